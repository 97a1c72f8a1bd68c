"""Loading ``seeds/``: sides, office, sources, reported figures, staff posts and the records
known only as totals. Idempotent: every seeded row has a natural or seed key and only missing
keys are inserted, so a second run adds nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.clock import utcnow
from tracker.db.locks import exclusive
from tracker.errors import SeedFilesMissing
from tracker.models import Office, ReportedFigure, Side, Source, Staff
from tracker.paths import bundled_dir
from tracker.services.records.chain import LATER_FIELDS, Appender, VersionDraft
from tracker.services.records.numbers import take_numbers
from tracker.services.records.registers import CONTACTS, MESSAGES, Register

SEED_CLERK = "seed"


def seeds_dir() -> Path:
    """The seed files inside an installed wheel, else the checkout's top-level ``seeds/``."""
    found = bundled_dir("seeds", "sources.csv")
    if found is not None:
        return found
    raise SeedFilesMissing("cannot find the seed files (seeds/sources.csv) of this installation")


@dataclass
class SeedResult:
    added: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.added.values())


def _rows(directory: Path, name: str) -> list[dict[str, str]]:
    path = directory / name
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def load_seed(session: Session, directory: Path | None = None) -> SeedResult:
    directory = directory or seeds_dir()
    exclusive(session, "seed")  # of simultaneous first seeds, one loads, the others find it
    now = utcnow()
    result = SeedResult()

    sources = {s.key: s for s in session.scalars(select(Source))}
    added = 0
    for row in _rows(directory, "sources.csv"):
        if row["key"] not in sources:
            source = Source(
                key=row["key"], publisher=row["publisher"] or None, title=row["title"],
                published_on=_date(row["published_on"]), date_basis=row["date_basis"] or None,
                seed_file=row["seed_file"] or None,
            )
            session.add(source)
            sources[row["key"]] = source
            added += 1
    session.flush()
    result.added["sources"] = added

    existing_sides = set(session.scalars(select(Side.code)))
    new_sides = [r for r in _rows(directory, "sides.csv") if r["code"] not in existing_sides]
    session.add_all(Side(code=r["code"], name=r["name"], body=r["body"]) for r in new_sides)
    result.added["sides"] = len(new_sides)

    existing_offices = set(session.scalars(select(Office.name)))
    new_offices = [r for r in _rows(directory, "office.csv") if r["name"] not in existing_offices]
    session.add_all(
        Office(name=r["name"], location=r["location"], opened_on=_date(r["opened_on"]),
               source_id=sources[r["source_key"]].id)
        for r in new_offices
    )
    result.added["offices"] = len(new_offices)

    result.added["figures"] = _seed_figures(session, directory, sources, now)
    session.flush()
    people, result.added["people"], result.added["aliases"] = _seed_people(
        session, directory, sources, now)
    result.added["staff"] = _seed_staff(session, directory, sources, people, now)
    result.added["routines"] = _seed_routines(session, directory, now)
    # The reported totals are of the office's own work, so the office is where they happened.
    result.added["contacts"] = _seed_records(session, directory, "contacts.csv", CONTACTS,
                                             sources, now,
                                             venue="joint liaison office, Kaesong")
    result.added["messages"] = _seed_records(session, directory, "messages.csv", MESSAGES,
                                             sources, now)
    session.flush()
    return result


def _seed_figures(session: Session, directory: Path, sources: dict[str, Source],
                  now: dt.datetime) -> int:
    existing: set[tuple[object, ...]] = set(session.execute(select(
        ReportedFigure.metric, ReportedFigure.as_of, ReportedFigure.source_id,
        ReportedFigure.qualifier, ReportedFigure.value_low, ReportedFigure.value_high,
    )))
    added = 0
    for r in _rows(directory, "figures.csv"):
        figure = ReportedFigure(
            metric=r["metric"], value_low=int(r["value_low"]), value_high=int(r["value_high"]),
            qualifier=r["qualifier"], as_of=_date(r["as_of"]),
            source_id=sources[r["source_key"]].id, note=r["note"] or None,
            recorded_at=now, recorded_by=SEED_CLERK,
        )
        ident = (figure.metric, figure.as_of, figure.source_id, figure.qualifier,
                 figure.value_low, figure.value_high)
        if ident not in existing:
            session.add(figure)
            existing.add(ident)
            added += 1
    return added


def _seed_people(session: Session, directory: Path, sources: dict[str, Source],
                 now: dt.datetime) -> tuple[dict[str, tuple[int, str]], int, int]:
    """The people the seeds name: ``key -> (person id, name)``, people added, aliases added.

    A person already in the log under the same name (one migrated from a staff post) is the
    same person: only the aliases they lack are added.
    """
    from tracker.models import Person, PersonAlias, PersonVersion
    from tracker.services.names import normalise_name
    from tracker.services.people import named_exactly

    by_key: dict[str, tuple[int, str]] = {}
    added = aliases = 0
    keyed = {p.seed_key: p.id for p in session.scalars(
        select(Person).where(Person.seed_key.is_not(None)))}
    for r in _rows(directory, "people.csv"):
        seed_key = f"person:{r['key']}"
        person_id = keyed.get(seed_key)
        if person_id is None:
            known = named_exactly(session, r["name"])
            person_id = known[0].id if known else None
        if person_id is None:
            source_id = sources[r["source_key"]].id
            person = Person(source_id=source_id, seed_key=seed_key, recorded_at=now,
                            recorded_by=SEED_CLERK)
            session.add(person)
            session.flush()
            session.add(PersonVersion(person_id=person.id, version_no=1, name=r["name"],
                                      side_code=r["side"] or None,
                                      affiliation=r["affiliation"] or None, recorded_at=now,
                                      recorded_by=SEED_CLERK))
            session.add(PersonAlias(person_id=person.id, alias=r["name"],
                                    normalised=normalise_name(r["name"]), source_id=source_id,
                                    recorded_at=now, recorded_by=SEED_CLERK))
            person_id = person.id
            added += 1
        by_key[r["key"]] = (person_id, r["name"])
    session.flush()
    for r in _rows(directory, "aliases.csv"):
        person_id = by_key[r["person_key"]][0]
        norm = normalise_name(r["alias"])
        if session.scalar(select(PersonAlias.id).where(PersonAlias.person_id == person_id,
                                                       PersonAlias.normalised == norm)):
            continue
        session.add(PersonAlias(person_id=person_id, alias=r["alias"], normalised=norm,
                                source_id=sources[r["source_key"]].id, recorded_at=now,
                                recorded_by=SEED_CLERK))
        aliases += 1
    return by_key, added, aliases


def _seed_staff(session: Session, directory: Path, sources: dict[str, Source],
                people: dict[str, tuple[int, str]], now: dt.datetime) -> int:
    existing = set(session.scalars(select(Staff.seed_key).where(Staff.seed_key.is_not(None))))
    added = 0
    for r in _rows(directory, "staff.csv"):
        person_id, name = people[r["person_key"]] if r["person_key"] else (None, "")
        for i in range(1, int(r["count"]) + 1):
            # the key names the holder, as it did before people were apart from posts
            seed_key = f"{r['source_key']}:staff:{r['side']}:{r['role']}:{name or '-'}:{i}"
            if seed_key in existing:
                continue
            session.add(Staff(
                side_code=r["side"], person_id=person_id, role=r["role"],
                service_from=_date(r["service_from"]), source_id=sources[r["source_key"]].id,
                seed_key=seed_key, recorded_at=now, recorded_by=SEED_CLERK,
            ))
            added += 1
    return added


def _seed_records(session: Session, directory: Path, filename: str, register: Register,
                  sources: dict[str, Source], now: dt.datetime, **same_for_all: str) -> int:
    """One record per unit of a reported total, dated to the whole reporting period."""
    wanted: list[tuple[str, dict[str, str]]] = []
    for r in _rows(directory, filename):
        for i in range(1, int(r["count"]) + 1):
            wanted.append((f"{r['source_key']}:{register.noun}:{r['kind']}:{i}", r))
    existing = set(session.scalars(
        select(register.record.seed_key).where(register.record.seed_key.is_not(None))
    ))
    missing = [(key, r) for key, r in wanted if key not in existing]
    if not missing:
        return 0
    numbers = take_numbers(session, register, len(missing))
    appender = Appender(session, register)
    for reg_no, (seed_key, r) in zip(numbers, missing, strict=True):
        source = sources[r["source_key"]]
        record = register.record(reg_no=reg_no, provenance="seeded", source_id=source.id,
                                 seed_key=seed_key)
        session.add(record)
        session.flush()
        # nothing but what the total says: field unknown, outcome held (a round of contact)
        fields = {name: LATER_FIELDS.get(name) for name in register.fields}
        fields.update(
            kind_code=r["kind"], date_from=_date(r["date_from"]), date_to=_date(r["date_to"]),
            notes=f"seeded from a reported total ({r['basis']}); source: {source.key}",
            **same_for_all,
        )
        appender.append(record, VersionDraft(fields=fields), version_no=1, supersedes=None,
                        recorded_at=now, recorded_by=SEED_CLERK)
    return len(missing)


def _seed_routines(session: Session, directory: Path, now: dt.datetime) -> int:
    """The routines the sources state (the co-heads' weekly meeting), each with its sources."""
    from tracker.models import Routine
    from tracker.services.routines import add_routine

    path = directory / "routines.csv"
    if not path.exists():  # seed folders made before routines existed
        return 0
    existing = set(session.scalars(select(Routine.seed_key)))
    added = 0
    for row in _rows(directory, "routines.csv"):
        if row["key"] in existing:
            continue
        add_routine(session, name=row["name"], kind=row["kind"], every=row["every"],
                    starts_on=row["starts_on"], at=row["at"] or None,
                    sources=[k for k in row["source_keys"].split(";") if k],
                    basis=row["basis"], clerk=SEED_CLERK, seed_key=row["key"])
        added += 1
    return added
