"""People: finding them however their name is typed, adding, aliases, corrections, merges.

A person's current version is the one no later version supersedes; a merged person's
current version names the person it was folded into, and everything that refers to the
merged person (past contacts, posts) shows the survivor.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased

from tracker.clock import utcnow
from tracker.errors import (
    AmbiguousPerson,
    BadText,
    NoSuchPerson,
    NothingToCorrect,
    PersonExists,
    RejectedError,
)
from tracker.models import Person, PersonAlias, PersonVersion, Staff, StaffLeave
from tracker.services.names import normalise_name
from tracker.services.records.text import clean_clerk, clean_text, required_text

PERSON_ID = re.compile(r"^#([0-9]{1,9})$")
MAX_NAME = 200
MERGE_DEPTH = 20


@dataclass(frozen=True)
class PersonView:
    """A person as they stand: the current version's fields."""

    id: int
    name: str
    side: str | None
    affiliation: str | None
    merged_into: int | None

    @property
    def label(self) -> str:
        details = ", ".join(x for x in (self.side, self.affiliation) if x)
        return f"#{self.id} {self.name}" + (f" ({details})" if details else "")

    @property
    def short(self) -> str:
        """For lists of candidates in one error line: ``#3 Jon Jong-su (N)``."""
        return f"#{self.id} {self.name}" + (f" ({self.side})" if self.side else "")


def _current(session: Session, person_ids: list[int] | None = None) -> dict[int, PersonView]:
    newer = aliased(PersonVersion)
    query = select(PersonVersion).where(
        ~exists().where(newer.supersedes_id == PersonVersion.id))
    if person_ids is not None:
        query = query.where(PersonVersion.person_id.in_(person_ids))
    return {v.person_id: PersonView(v.person_id, v.name, v.side_code, v.affiliation,
                                    v.merged_into_id)
            for v in session.scalars(query)}


def current_version(session: Session, person_id: int) -> PersonVersion:
    newer = aliased(PersonVersion)
    return session.scalars(select(PersonVersion).where(
        PersonVersion.person_id == person_id,
        ~exists().where(newer.supersedes_id == PersonVersion.id))).one()


def surviving(session: Session, person_ids: list[int]) -> dict[int, PersonView]:
    """Each id's person as shown: the survivor of any merges."""
    views = _current(session)
    result: dict[int, PersonView] = {}
    for person_id in person_ids:
        view = views.get(person_id)
        for _ in range(MERGE_DEPTH):
            if view is None or view.merged_into is None:
                break
            view = views.get(view.merged_into)
        if view is not None:
            result[person_id] = view
    return result


def folded_into(session: Session, person_id: int) -> list[int]:
    """``person_id`` and every person merged into them (their contacts are theirs)."""
    views = surviving(session, _all_ids(session))
    return sorted(pid for pid, view in views.items() if view.id == person_id)


def display_names(session: Session, person_ids: list[int]) -> dict[int, str]:
    return {pid: view.name for pid, view in surviving(session, person_ids).items()}


def name_lookup(session: Session) -> Callable[[Sequence[int]], list[str]]:
    """Person ids to names as shown today (a merged person as the survivor), looked up once
    for a whole list: the people of the office are few, the rows of a list many."""
    return names_from(shown_names(session))


def names_from(shown: dict[int, str]) -> Callable[[Sequence[int]], list[str]]:
    """Person ids to names, from ``shown_names``'s answer."""
    return lambda ids: [shown.get(p, f"#{p}") for p in ids]


def shown_names(session: Session) -> dict[int, str]:
    """Every person's id and the name they are shown by today (a merged one: the survivor's)."""
    return display_names(session, _all_ids(session))


def find(session: Session, value: str, field: str = "with") -> PersonView:
    """The person ``value`` names: ``#ID``, or any alias after normalisation (exactly, else
    as the only person whose alias contains it). Refused with the closest names otherwise."""
    text = value.strip()
    if text.startswith("#"):
        match = PERSON_ID.match(text)
        view = surviving(session, [int(match[1])]).get(int(match[1])) if match else None
        if view is None:
            raise NoSuchPerson(f"no person {text} (see `tracker person list`)", field=field)
        return view
    wanted = normalise_name(text)
    if not wanted:
        raise NoSuchPerson(f"'{value}' is not a name", field=field)
    aliases = session.execute(select(PersonAlias.person_id, PersonAlias.alias,
                                     PersonAlias.normalised)).all()
    live = surviving(session, sorted({pid for pid, _, _ in aliases}))
    for test in (lambda n: n == wanted, lambda n: wanted in n):
        ids = sorted({live[pid].id for pid, _, norm in aliases if pid in live and test(norm)})
        if len(ids) == 1:
            return live_by_id(live, ids[0])
        if ids:
            listed = "; ".join(live_by_id(live, i).short for i in ids)
            raise AmbiguousPerson(f"'{value}' matches several people: {listed}", field=field)
    raise NoSuchPerson(f"'{value}' matches no one{_closest(value, aliases, live)} (see "
                       "`tracker person list`; `tracker person add` adds someone new)",
                       field=field)


def live_by_id(live: dict[int, PersonView], person_id: int) -> PersonView:
    return next(v for v in live.values() if v.id == person_id)


def _closest(value: str, aliases: Sequence[Any], live: dict[int, PersonView]) -> str:
    if not aliases:
        return "; no people are recorded yet"
    from rapidfuzz import fuzz, process, utils  # only when a name is not found

    choices = {i: alias for i, (_, alias, _) in enumerate(aliases)}
    best = process.extract(value, choices, scorer=fuzz.WRatio, limit=8,
                           processor=utils.default_process)
    names: list[str] = []
    for _, score, index in best:
        view = live.get(aliases[index][0])
        if view is not None and score >= 50 and view.short not in names:
            names.append(view.short)
    if names:
        return f"; closest: {'; '.join(names[:3])}"
    everyone = sorted({v.short for v in live.values()})
    return f"; people: {'; '.join(everyone)}" if len(everyone) <= 10 else ""


def named_exactly(session: Session, name: str) -> list[PersonView]:
    """Everyone one of whose names equals ``name`` after normalisation (``#ID`` too)."""
    if name.strip().startswith("#"):
        return [find(session, name, "name")]
    return _matching(session, [name])


def _matching(session: Session, names: list[str]) -> list[PersonView]:
    """People any of whose aliases equals one of ``names`` after normalisation."""
    wanted = {normalise_name(n) for n in names}
    ids = sorted(set(session.scalars(select(PersonAlias.person_id)
                                     .where(PersonAlias.normalised.in_(wanted)))))
    views = surviving(session, ids)
    return sorted({v.id: v for v in views.values()}.values(), key=lambda v: v.id)


def _name(value: str | None, field: str) -> str:
    text = required_text(value, field, max_len=MAX_NAME)
    if not normalise_name(text):
        raise BadText("must hold a name, not only punctuation", field=field)
    return text


def add_person(session: Session, *, name: str, side: str | None = None,
               affiliation: str | None = None, aliases: list[str] | None = None,
               new: bool = False, source_id: int | None = None, seed_key: str | None = None,
               source_key: str | None = None, recorded_at: Any = None,
               clerk: str) -> PersonView:
    """Record someone; refused when a name or alias is already someone's (``new`` insists).
    An import gives the person's source key and when the exported log recorded them."""
    from tracker.services.records.resolve import side as resolve_side

    shown = _name(name, "name")
    others = [_name(a, "alias") for a in aliases or []]
    side_code = resolve_side(session, side, "side") if side else None
    if not new:
        for field, text in (("name", shown), *(("alias", a) for a in others)):
            existing = _matching(session, [text])
            if existing:
                raise PersonExists(f"'{text}' is already {existing[0].label}", field=field,
                                   insist=("new", "if this is someone else"))
    now, by = recorded_at or utcnow(), clean_clerk(clerk)
    person = Person(source_id=source_id, seed_key=seed_key, source_key=source_key,
                    recorded_at=now, recorded_by=by)
    session.add(person)
    session.flush()
    session.add(PersonVersion(person_id=person.id, version_no=1, name=shown,
                              side_code=side_code,
                              affiliation=clean_text(affiliation, "affiliation"),
                              recorded_at=now, recorded_by=by))
    for alias in dict.fromkeys([shown, *others]):
        _add_alias_row(session, person.id, alias, source_id, now, by)
    session.flush()
    return PersonView(person.id, shown, side_code, affiliation, None)


def _add_alias_row(session: Session, person_id: int, alias: str, source_id: int | None,
                   now: Any, by: str) -> bool:
    norm = normalise_name(alias)
    if session.scalar(select(PersonAlias.id).where(PersonAlias.person_id == person_id,
                                                   PersonAlias.normalised == norm)):
        return False
    session.add(PersonAlias(person_id=person_id, alias=alias, normalised=norm,
                            source_id=source_id, recorded_at=now, recorded_by=by))
    return True


def add_alias(session: Session, who: str, alias: str, *, clerk: str,
              source_id: int | None = None) -> PersonView:
    person = find(session, who, "who")
    text = _name(alias, "alias")
    taken = [p for p in _matching(session, [text]) if p.id != person.id]
    if taken:
        raise PersonExists(f"'{text}' is already {taken[0].label}'s name; merge the two "
                           "with `tracker person merge` if they are one person", field="alias")
    if not _add_alias_row(session, person.id, text, source_id, utcnow(), clean_clerk(clerk)):
        raise NothingToCorrect(f"'{text}' is already an alias", about=person.label)
    session.flush()
    return person


def correct_person(session: Session, who: str, *, name: str | None = None,
                   side: str | None = None, affiliation: str | None = None, reason: str,
                   clerk: str) -> tuple[PersonView, int]:
    """A new version of a person with the given fields changed; the old one is kept."""
    from tracker.services.records.resolve import side as resolve_side

    reason_text = required_text(reason, "reason")
    person = find(session, who, "who")
    current = current_version(session, person.id)
    values = {"name": current.name, "side_code": current.side_code,
              "affiliation": current.affiliation}
    if name is not None:
        new_name = _name(name, "name")
        values["name"] = new_name
        taken = [p for p in _matching(session, [new_name]) if p.id != person.id]
        if taken:
            raise PersonExists(f"'{new_name}' is already {taken[0].label}'s name; "
                               "merge the two with `tracker person merge` if they are one "
                               "person", field="name")
    if side is not None:
        values["side_code"] = resolve_side(session, side, "side") if side.strip() else None
    if affiliation is not None:
        values["affiliation"] = clean_text(affiliation, "affiliation")
    if values == {"name": current.name, "side_code": current.side_code,
                  "affiliation": current.affiliation}:
        raise NothingToCorrect("the correction changes nothing", about=person.label)
    now, by = max(utcnow(), current.recorded_at), clean_clerk(clerk)
    version = PersonVersion(person_id=person.id, version_no=current.version_no + 1,
                            supersedes_id=current.id, merged_into_id=None, reason=reason_text,
                            recorded_at=now, recorded_by=by, **values)
    session.add(version)
    if name is not None:
        _add_alias_row(session, person.id, values["name"] or "", None, now, by)
    session.flush()
    return surviving(session, [person.id])[person.id], version.version_no


def merge(session: Session, duplicate: str, survivor: str, *, reason: str,
          clerk: str) -> PersonView:
    """Fold ``duplicate`` into ``survivor``: a last version of the duplicate names the
    survivor, so its contacts and posts show the survivor; its aliases find the survivor."""
    reason_text = required_text(reason, "reason")
    gone = find(session, duplicate, "duplicate")
    kept = find(session, survivor, "survivor")
    if gone.id == kept.id:
        raise RejectedError(f"{gone.label} and {kept.label} are the same person",
                            field="survivor")
    current = current_version(session, gone.id)
    now, by = max(utcnow(), current.recorded_at), clean_clerk(clerk)
    session.add(PersonVersion(person_id=gone.id, version_no=current.version_no + 1,
                              supersedes_id=current.id, name=current.name,
                              side_code=current.side_code, affiliation=current.affiliation,
                              merged_into_id=kept.id, reason=reason_text, recorded_at=now,
                              recorded_by=by))
    session.flush()
    return kept


PEOPLE_COLUMNS = ["id", "name", "side", "affiliation", "aliases", "staff"]


def list_people(session: Session, *, side: str | None = None,
                staff_only: bool = False) -> list[dict[str, Any]]:
    from tracker.services.records.resolve import side as resolve_side

    side_code = resolve_side(session, side, "side") if side else None
    views = {pid: v for pid, v in _current(session).items() if v.merged_into is None}
    aliases: dict[int, list[str]] = {}
    for pid, alias in session.execute(select(PersonAlias.person_id, PersonAlias.alias)
                                      .order_by(PersonAlias.id)):
        aliases.setdefault(pid, []).append(alias)
    surviving_ids = surviving(session, sorted(aliases))
    for pid in list(aliases):  # a merged person's aliases find the survivor
        target = surviving_ids.get(pid)
        if target is not None and target.id != pid:
            aliases.setdefault(target.id, []).extend(aliases.pop(pid))
    posts = _open_posts(session)
    rows = []
    for pid, view in sorted(views.items()):
        if side_code is not None and view.side != side_code:
            continue
        if staff_only and pid not in posts:
            continue
        rows.append({"id": pid, "name": view.name, "side": view.side,
                     "affiliation": view.affiliation,
                     "aliases": "; ".join(a for a in aliases.get(pid, []) if a != view.name),
                     "staff": ", ".join(posts.get(pid, []))})
    return rows


def _open_posts(session: Session) -> dict[int, list[str]]:
    """Roles of the posts in service, by the person who holds them now (after merges)."""
    held: list[tuple[int, str]] = []
    ended = select(StaffLeave.staff_id)
    for person_id, role in session.execute(select(Staff.person_id, Staff.role)
                                           .where(Staff.person_id.is_not(None),
                                                  Staff.id.not_in(ended))):
        if person_id is not None:
            held.append((person_id, role))
    holders = surviving(session, sorted({pid for pid, _ in held}))
    posts: dict[int, list[str]] = {}
    for person_id, role in held:
        holder = holders.get(person_id)
        posts.setdefault(holder.id if holder else person_id, []).append(role)
    return posts


def show_person(session: Session, who: str) -> dict[str, Any]:
    """A person with aliases, versions, posts and the contacts they took part in."""
    from tracker.models import Contact, ContactParticipant, ContactVersion
    from tracker.services.records.read import recorded_label
    from tracker.services.records.registers import is_current

    person = find(session, who, "who")
    folded = folded_into(session, person.id)
    aliases = session.scalars(select(PersonAlias.alias).where(
        PersonAlias.person_id.in_(folded)).order_by(PersonAlias.id)).all()
    versions = session.scalars(select(PersonVersion).where(
        PersonVersion.person_id == person.id).order_by(PersonVersion.version_no)).all()
    posts = session.execute(
        select(Staff, StaffLeave.service_to).outerjoin(StaffLeave,
                                                       StaffLeave.staff_id == Staff.id)
        .where(Staff.person_id.in_(folded)).order_by(Staff.id)).all()
    contacts = session.execute(
        select(Contact.reg_no, ContactVersion.date_from, ContactVersion.date_to,
               ContactVersion.kind_code, ContactVersion.subject)
        .join(ContactVersion, ContactVersion.contact_id == Contact.id)
        .join(ContactParticipant, ContactParticipant.version_id == ContactVersion.id)
        .where(ContactParticipant.person_id.in_(folded), is_current(ContactVersion),
               ContactVersion.is_void.is_(False))
        .order_by(Contact.id)).all()
    return {
        "id": person.id, "name": person.name, "side": person.side,
        "affiliation": person.affiliation,
        "aliases": list(dict.fromkeys(aliases)),
        "merged": [pid for pid in folded if pid != person.id],
        "posts": [{"post": f"#{s.id}", "side": s.side_code, "role": s.role,
                   "service_from": s.service_from, "service_to": to} for s, to in posts],
        "contacts": [{"reg_no": r, "date": d0.isoformat() if d0 == d1 else f"{d0}/{d1}",
                      "kind": k, "subject": subj} for r, d0, d1, k, subj in contacts],
        "versions": [{"version": v.version_no, "name": v.name, "side": v.side_code,
                      "affiliation": v.affiliation,
                      "merged_into": f"#{v.merged_into_id}" if v.merged_into_id else None,
                      "reason": v.reason, "recorded_at": recorded_label(v.recorded_at),
                      "recorded_by": v.recorded_by} for v in versions],
    }


def _all_ids(session: Session) -> list[int]:
    return list(session.scalars(select(Person.id)))
