"""Finding records by their text: subject, venue, notes, the reasons of their versions, their
tags and field, and the names and aliases of the people who took part.

The text is split at spaces into terms, and a record matches when every term appears in it
(in any of those fields, case aside): ``railway 개성`` finds a contact about the railway held
in Kaesong. A term matches inside a word, which Korean needs (``연락`` is inside
``연락사무소``).

Each engine answers from its own index (migration 0009): SQLite an FTS5 trigram table per
register, PostgreSQL a trigram GIN index. Both need a term of three characters or more to
narrow anything down; a shorter term is still answered exactly, by reading the register.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    case,
    column,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
    union,
    union_all,
)
from sqlalchemy.orm import Session

from tracker.db import search_index
from tracker.db.engine import FOLD_FUNCTION
from tracker.db.session import stream
from tracker.errors import BadValue
from tracker.models import ContactParticipant, Field, PersonAlias
from tracker.services.names import normalise_name
from tracker.services.people import name_lookup, surviving
from tracker.services.records.registers import (
    CONTACTS,
    REGISTERS,
    Register,
    date_label,
    is_current,
    split_id_list,
    split_text_list,
)
from tracker.services.sql import id_list, text_list

# Per register, the version columns searched, in the order the indexes of 0009 hold them.
SEARCHED: dict[str, tuple[str, ...]] = {
    code: search_index.SEARCHED[register.version.__tablename__]
    for code, register in REGISTERS.items()}
TRIGRAM = 3  # the shortest term either index can narrow down
ESCAPE = "!"


@dataclass(frozen=True)
class Match:
    """A search compiled for one register: the SQL condition, and what a row needs to say
    where the terms were found."""

    terms: tuple[str, ...]
    people: frozenset[int]  # person ids whose name or alias holds one of the terms
    fields: frozenset[str]  # field codes whose code or name holds one of the terms
    condition: ColumnElement[bool]


MAX_TERMS = 16  # each word is one more index lookup and condition; a pasted paragraph is
# not a search (SQLite refused 1,100 words outright, PostgreSQL took minutes over 200)


def terms_of(query: str, field: str = "text") -> tuple[str, ...]:
    """The words of ``query``, each once (in any case)."""
    seen: dict[str, str] = {}
    for word in query.split():
        seen.setdefault(word.lower(), word)
    terms = tuple(seen.values())
    if not terms:
        raise BadValue("give some text to search for", field=field)
    if len(terms) > MAX_TERMS:
        raise BadValue(f"{len(terms)} different words; give at most {MAX_TERMS}", field=field)
    return terms


def matching(session: Session, register: Register, query: str, *,
             field: str = "text") -> Match:
    """The condition, on ``register.version``, that every term of ``query`` is found.

    Per term, the versions holding it are gathered as one set of ids (text index, tags,
    participants), which the database builds once and then looks up by primary key, so a
    rare word costs what it finds, not a pass over the register.
    """
    terms = terms_of(query, field)
    version = register.version
    people: set[int] = set()
    fields: set[str] = set()
    conditions = []
    for term in terms:
        holders = [_text_hits(session, register, term)]
        tags = _tags_holding(session, register, term)
        if tags:
            holders.append(select(register.tag_table.version_id)
                           .where(register.tag_table.tag.in_(tags)))
        named = _people_named(session, term) if register.has_participants else set()
        if named:
            people |= named
            holders.append(select(ContactParticipant.version_id)
                           .where(ContactParticipant.person_id.in_(sorted(named))))
        found: ColumnElement[bool] = version.id.in_(union(*holders))
        in_field = _fields_named(session, term)
        if in_field:
            fields |= in_field
            found = or_(found, version.field_code.in_(sorted(in_field)))
        conditions.append(found)
    return Match(terms, frozenset(people), frozenset(fields), and_(*conditions))


def _tags_holding(session: Session, register: Register, term: str) -> list[str]:
    """The distinct tags holding ``term``. Tags are few and repeat over many records: the
    distinct ones are read by hopping through the tag index from one value to the next (a
    loose index scan: one lookup per distinct tag, not one row per tagged record), tested
    here (tags are stored case-folded), and the records then found by the index."""
    table = register.tag_table.__tablename__
    distinct = session.scalars(text(
        f"WITH RECURSIVE t(tag) AS (SELECT min(tag) FROM {table} UNION ALL "
        f"SELECT (SELECT min(tag) FROM {table} WHERE tag > t.tag) FROM t "
        "WHERE t.tag IS NOT NULL) SELECT tag FROM t WHERE tag IS NOT NULL"))
    wanted = term.casefold()
    return [tag for tag in distinct if wanted in tag]


def _fields_named(session: Session, term: str) -> set[str]:
    wanted = term.lower()
    return {code for code, name in session.execute(select(Field.code, Field.name))
            if wanted in code.lower() or wanted in name.lower()}


def _like_pattern(term: str) -> str:
    escaped = (term.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%")
               .replace("_", ESCAPE + "_"))
    return f"%{escaped}%"


def _searched_text(register: Register, dialect: str) -> Any:
    """The searched columns joined by newlines, spelled exactly as 0009's PostgreSQL index
    is, so that the planner recognises the expression and uses the index."""
    table = register.version.__tablename__
    columns = SEARCHED[register.code]
    if dialect == "postgresql":
        return literal_column("(" + " || E'\\n' || ".join(
            f"coalesce({table}.{c}, '')" for c in columns) + ")")
    return literal_column(" || char(10) || ".join(
        f"coalesce({table}.{c}, '')" for c in columns))


def _text_hits(session: Session, register: Register, term: str) -> Any:
    """Ids of the versions whose searched text holds ``term``, from the engine's index."""
    dialect = session.get_bind().dialect.name
    version = register.version
    if dialect == "sqlite" and len(term) >= TRIGRAM:
        fts = table(f"fts_{version.__tablename__}", column("rowid", Integer))
        phrase = '"' + term.replace('"', '""') + '"'
        return select(fts.c.rowid).where(literal_column(fts.name).op("MATCH")(phrase))
    return select(version.id).where(_holds(_searched_text(register, dialect), term, dialect))


def _holds(text_column: Any, term: str, dialect: str) -> ColumnElement[bool]:
    """``text_column`` holds ``term``, in any case of any script. PostgreSQL's ILIKE folds
    every script (and is what the trigram index serves); SQLite's LIKE folds ASCII only, so
    there both sides are folded by the function the engine registers."""
    if dialect == "sqlite":
        return func.instr(getattr(func, FOLD_FUNCTION)(text_column), term.lower()) > 0
    return text_column.ilike(_like_pattern(term), escape=ESCAPE)


def _people_named(session: Session, term: str) -> set[int]:
    """Person ids whose name or alias holds ``term``, or whose surviving person's does
    (a contact keeps the id it was logged with; it shows the person it was merged into)."""
    wanted = normalise_name(term)
    if not wanted:
        return set()
    aliases = session.execute(select(PersonAlias.person_id, PersonAlias.normalised)).all()
    named = {pid for pid, normalised in aliases if wanted in normalised}
    if not named:
        return set()
    views = surviving(session, sorted({pid for pid, _ in aliases}))
    survivors = {views[pid].id for pid in named if pid in views}
    return named | {pid for pid, view in views.items() if view.id in survivors}


# --- tracker search -------------------------------------------------------------------------


def search(session: Session, query: str, *, registers: Sequence[str] = ("C", "M"),
           history: bool = False, sort: str = "rank", reverse: bool = False,
           limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Records (current versions; every version with ``history``) whose text matches
    ``query``, as a stream. ``rank`` puts records whose subject holds every term first, then
    newest first; ``date`` is newest first; ``reverse`` turns either around."""
    dialect = session.get_bind().dialect.name
    selects, matches = [], {}
    for code in registers:
        register = REGISTERS[code]
        match = matching(session, register, query)
        matches[code] = match
        selects.append(_register_select(register, match, history, dialect))
    union = union_all(*selects).subquery("found")
    c = union.c
    newest = [(c.date_from, True), (c.date_to, True), (func.coalesce(c.time_of_day, ""), True),
              (c.register, False), (c.record_id, True)]
    keys: dict[str, list[tuple[Any, bool]]] = {  # (column, descending)
        "rank": [(c.rank, False), *newest],
        "date": newest,
        "reg_no": [(c.register, False), (c.record_id, False)],
        "kind": [(c.kind_code, False), *newest],
    }
    order = [column.desc() if descending != reverse else column.asc()
             for column, descending in keys[sort]]
    stmt = select(union).order_by(*order, c.version_no)
    if limit is not None:
        stmt = stmt.limit(limit)
    return _stream(session, stmt, matches)


def _register_select(register: Register, match: Match, history: bool, dialect: str) -> Any:
    v = register.version
    subject_holds_all = and_(*(_holds(v.subject, t, dialect) for t in match.terms))
    people: Any = literal(None)
    venue: Any = literal(None)
    if register is CONTACTS:
        people = (select(id_list(ContactParticipant.person_id))
                  .where(ContactParticipant.version_id == v.id).scalar_subquery())
        venue = register.version.venue  # type: ignore[union-attr]
    tags = (select(text_list(register.tag_table.tag))
            .where(register.tag_table.version_id == v.id).scalar_subquery())
    conditions = [match.condition]
    if not history:
        conditions += [is_current(v), v.is_void == false()]
    return (select(literal(register.code).label("register"), register.record.reg_no,
                   register.record_fk.label("record_id"), v.version_no,
                   v.date_from, v.date_to, v.time_of_day, v.kind_code, v.field_code,
                   v.subject, venue.label("venue"), v.notes, v.reason, v.is_void,
                   case((is_current(v), True), else_=False).label("is_current"),
                   people.label("participant_ids"), tags.label("tags"),
                   case((subject_holds_all, 0), else_=1).label("rank"))
            .join(register.record, register.record_fk == register.record.id)
            .where(*conditions))


SEARCH_COLUMNS = ("reg_no", "date", "kind", "subject", "found_in")
SEARCH_HISTORY_COLUMNS = ("reg_no", "version", "status", "date", "kind", "subject", "found_in")
SEARCH_DATA_COLUMNS = ("reg_no", "version", "status", "date_from", "date_to", "time_of_day",
                       "kind", "field", "subject", "venue", "notes", "reason", "with", "tags",
                       "found_in")


def _stream(session: Session, stmt: Any, matches: dict[str, Match]
            ) -> Iterator[dict[str, Any]]:
    names = name_lookup(session)
    for m in stream(session, stmt):
        people = split_id_list(m.participant_ids)
        tags = split_text_list(m.tags)
        yield {
            "reg_no": m.reg_no, "version": m.version_no,
            "status": ("void" if m.is_void else "current") if m.is_current else "superseded",
            "date": date_label(m.date_from, m.date_to, m.time_of_day),
            "date_from": m.date_from, "date_to": m.date_to, "time_of_day": m.time_of_day,
            "kind": m.kind_code, "field": m.field_code, "subject": m.subject,
            "venue": m.venue, "notes": m.notes, "reason": m.reason,
            "with": names(people),  # a message has none: [], so every cell parses
            "tags": tags,
            "found_in": _found_in(m, matches[m.register], people, tags),
        }


def _found_in(m: Any, match: Match, people: list[int], tags: list[str]) -> list[str]:
    """Where the terms were found, in the order of the fields."""
    terms = [t.lower() for t in match.terms]
    found = [f for f in SEARCHED[m.register]
             if (value := getattr(m, f)) and any(t in value.lower() for t in terms)]
    if match.people.intersection(people):
        found.append("with")
    if any(t in tag.lower() for tag in tags for t in terms):
        found.append("tags")
    if m.field_code in match.fields:
        found.append("field")
    return found
