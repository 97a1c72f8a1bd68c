"""``tracker export``: the whole log as files, streamed, with a manifest.

Each file is written as its rows are read (a server-side cursor on PostgreSQL), so a log of
millions of records is never held in memory. The manifest lists every file with its row count
and SHA-256, and each register's chain head, so that a copy can be checked and a rewrite of
the log after the export can be detected.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session, aliased

from tracker import __version__
from tracker.clock import utcnow
from tracker.db.session import stream
from tracker.models import (
    Contact,
    ContactParticipant,
    ContactVersion,
    Message,
    MessageVersion,
    Person,
    PersonAlias,
    PersonVersion,
    ReportedFigure,
    Source,
    Staff,
    StaffLeave,
)
from tracker.services.exchange.dump import CsvDump, participant_sql, version_sql
from tracker.services.exchange.files import COLUMNS, FILES, MANIFEST, own_key
from tracker.services.exchange.reader import file_sha256
from tracker.services.exchange.writers import WRITERS
from tracker.services.people import names_from, shown_names
from tracker.services.records.chain import chain_head
from tracker.services.records.registers import CONTACTS, MESSAGES, Register, is_current
from tracker.services.sql import TEXT_SEPARATOR, text_list

Row = tuple[Any, ...]


@dataclass
class ExportResult:
    directory: Path
    files: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(f["rows"] for f in self.files.values())


def export_log(session: Session, directory: Path, *, fmt: str = "csv",
               history: bool = False) -> ExportResult:
    """Write every file of ``FILES`` and the manifest into ``directory`` (made if missing)."""
    writer = WRITERS[fmt]
    directory.mkdir(parents=True, exist_ok=True)
    result = ExportResult(directory)
    shown = shown_names(session)  # every person's name, read once for every file
    names = names_from(shown)
    sources: dict[str, Callable[[], Iterator[Row]]] = {
        "sources": lambda: _sources(session),
        "figures": lambda: _figures(session),
        "people": lambda: _people(session),
        "staff": lambda: _staff(session),
        "contacts": lambda: _versions(session, CONTACTS, history, names),
        "participants": lambda: _participants(session, history, names),
        "messages": lambda: _versions(session, MESSAGES, history, names),
    }
    dump = CsvDump(session, shown) if fmt == "csv" else None
    dumped = {"contacts": lambda d: version_sql(d, CONTACTS, history),
              "messages": lambda d: version_sql(d, MESSAGES, history),
              "participants": lambda d: participant_sql(d, history)}
    for name in FILES:
        path = directory / f"{name}.{writer.suffix}"
        if dump is not None and name in dumped:  # the big files: shaped by the database
            count = dump.write(path, COLUMNS[name], dumped[name](dump.dialect))
        else:
            count = writer.write(path, name, COLUMNS[name], sources[name]())
        result.files[path.name] = {"rows": count, "sha256": file_sha256(path),
                                   "columns": list(COLUMNS[name])}
    if dump is not None:
        dump.close()
    manifest = {
        "tracker": __version__,
        "exported_at": utcnow().isoformat(),
        "format": fmt,
        "history": history,
        "chain_heads": {r.noun + "s": chain_head(session, r) for r in (CONTACTS, MESSAGES)},
        "files": result.files,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    return result


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    """A day as ISO; a record time as ISO to the microsecond, always (as ``dump`` writes it)."""
    if isinstance(value, dt.datetime):
        return value.strftime(STAMP)
    return value.isoformat() if value is not None else None


STAMP = "%Y-%m-%dT%H:%M:%S.%f"


def _sources(session: Session) -> Iterator[Row]:
    for s in session.execute(select(Source.key, Source.publisher, Source.title,
                                    Source.published_on, Source.date_basis, Source.seed_file,
                                    Source.url).order_by(Source.id)):
        yield (s.key, s.publisher, s.title, _iso(s.published_on), s.date_basis, s.seed_file,
               s.url)


def _figures(session: Session) -> Iterator[Row]:
    f = ReportedFigure
    for r in session.execute(select(f.metric, f.value_low, f.value_high, f.qualifier, f.as_of,
                                    Source.key, f.note, f.recorded_at, f.recorded_by)
                             .join(Source, Source.id == f.source_id).order_by(f.id)):
        yield (r.metric, r.value_low, r.value_high, r.qualifier, _iso(r.as_of), r.key, r.note,
               _iso(r.recorded_at), r.recorded_by)


def _people(session: Session) -> Iterator[Row]:
    """Each person as they stand (a merged one names the survivor), with every other name."""
    newer = aliased(PersonVersion)
    aliases: dict[int, list[str]] = {}
    for person_id, alias in session.execute(select(PersonAlias.person_id, PersonAlias.alias)
                                            .order_by(PersonAlias.id)):
        aliases.setdefault(person_id, []).append(alias)
    rows = session.execute(
        select(Person.id, PersonVersion.name, PersonVersion.side_code,
               PersonVersion.affiliation, PersonVersion.merged_into_id, Person.seed_key,
               Person.source_key, Person.recorded_at, Person.recorded_by)
        .join(PersonVersion, PersonVersion.person_id == Person.id)
        .where(~select(newer.id).where(newer.supersedes_id == PersonVersion.id).exists())
        .order_by(Person.id))
    for p in rows:
        others = [a for a in aliases.get(p.id, []) if a != p.name]
        yield (f"#{p.id}", p.name, p.side_code, p.affiliation, others,
               f"#{p.merged_into_id}" if p.merged_into_id else None, p.seed_key,
               p.source_key or (None if p.seed_key else
                                own_key("person", p.id, p.recorded_at, p.recorded_by)),
               _iso(p.recorded_at), p.recorded_by)


def _staff(session: Session) -> Iterator[Row]:
    rows = session.execute(
        select(Staff.id, Staff.side_code, Staff.role, Staff.person_id, Staff.service_from,
               StaffLeave.service_to, StaffLeave.reason, Source.key, Staff.seed_key,
               Staff.source_key, Staff.recorded_at, Staff.recorded_by)
        .outerjoin(StaffLeave, StaffLeave.staff_id == Staff.id)
        .outerjoin(Source, Source.id == Staff.source_id)
        .order_by(Staff.id))
    for s in rows:
        yield (f"#{s.id}", s.side_code, s.role, f"#{s.person_id}" if s.person_id else None,
               _iso(s.service_from), _iso(s.service_to), s.reason, s.key, s.seed_key,
               s.source_key or (None if s.seed_key else
                                own_key("staff", s.id, s.recorded_at, s.recorded_by)),
               _iso(s.recorded_at), s.recorded_by)


def _version_select(register: Register, history: bool) -> Any:
    v, record, tags = register.version, register.record, register.tag_table
    tag_list = select(text_list(tags.tag)).where(tags.version_id == v.id).scalar_subquery()
    query = (select(record.reg_no, v.version_no, v.supersedes_id, v.is_void, v.reason,
                    v.date_from, v.date_to, v.time_of_day, v.kind_code, v.field_code,
                    v.subject, v.notes, tag_list.label("tags"), v.recorded_at, v.recorded_by,
                    Source.key.label("source"), _external_ref(register).label("external_ref"),
                    v.prev_hash, v.hash, *register.own_columns())
             .join(record, register.record_fk == record.id)
             .outerjoin(Source, Source.id == record.source_id)
             .order_by(record.id, v.version_no))
    if register is MESSAGES:
        answered = aliased(Message)
        query = query.add_columns(select(answered.reg_no)
                                  .where(answered.id == MessageVersion.reply_to_id)
                                  .scalar_subquery().label("reply_reg_no"))
    return query if history else query.where(is_current(v))


def _external_ref(register: Register) -> Any:
    """What identifies a record wherever its rows go: the key it was imported under, else
    ``seed:KEY`` for a seeded one, else ``tracker:`` and the hash of its first version (unique
    to this record in this log)."""
    record, first = register.record, aliased(register.version)
    fk = getattr(first, register.record_fk.key)
    first_hash = select(first.hash).where(fk == record.id, first.version_no == 1)
    return func.coalesce(record.source_key, literal("seed:") + record.seed_key,
                         literal("tracker:") + first_hash.scalar_subquery())


def _versions(session: Session, register: Register, history: bool,
              names: Callable[[list[int]], list[str]]) -> Iterator[Row]:
    for m in stream(session, _version_select(register, history), 2000):
        tags = sorted(m.tags.split(TEXT_SEPARATOR)) if m.tags else []
        bookkeeping = (m.reg_no, m.version_no, m.version_no - 1 if m.supersedes_id else None,
                       "void" if m.is_void else "current", m.reason, _iso(m.date_from),
                       _iso(m.date_to), m.time_of_day, m.kind_code)
        tail = (m.recorded_at.strftime(STAMP), m.recorded_by, m.source, m.external_ref,
                m.prev_hash, m.hash)
        if register is CONTACTS:
            people = sorted(int(x) for x in m.participant_ids.split(",")) \
                if m.participant_ids else []
            yield (*bookkeeping, m.outcome_code, m.field_code, m.subject, m.venue,
                   m.initiated_by, names(people), tags, m.notes, *tail)
        else:
            yield (*bookkeeping, m.field_code, m.from_side, m.to_side, m.subject,
                   m.contact_reg_no, m.reply_reg_no, tags, m.notes, *tail)


def _participants(session: Session, history: bool,
                  names: Callable[[list[int]], list[str]]) -> Iterator[Row]:
    v, p = ContactVersion, ContactParticipant
    query = (select(Contact.reg_no, v.version_no, p.person_id)
             .join(v, v.id == p.version_id).join(Contact, Contact.id == v.contact_id)
             .order_by(Contact.id, v.version_no, p.person_id))
    if not history:
        query = query.where(is_current(v))
    for m in stream(session, query, 5000):
        yield (m.reg_no, m.version_no, f"#{m.person_id}", names([m.person_id])[0])
