"""Filling a tracker database with N synthetic contacts and M messages, fast, as the CLI would.

    python bench/synthetic.py --db URL --contacts N [--messages M] [--seed S]

It migrates the database and loads the seed if that is still to do (as ``tracker db upgrade``
and ``tracker seed`` would), then appends the synthetic records after whatever the log holds,
in one transaction, through the raw driver (SQLite ``executemany``, PostgreSQL ``COPY``) in
chunks, so that a million contacts take little memory. The result is a log the CLI can go on
using:

- registration numbers exactly as the CLI gives them (``C-000286``), after the register's
  counter, and the counter moved to the last one;
- a valid hash chain per register (``tracker verify`` passes), each hash computed with the
  write path's own functions (``tracker.services.records.chain``);
- on PostgreSQL every id sequence of the tables written moved past the largest id, so the
  next ``tracker contact log`` works; then ANALYZE (on both engines).

The rows look like a busy log: dates spread over 2015-2024 (about 1 % known only to their
quarter), every kind, field and outcome the database knows, participants drawn from its
people, a few tags, a venue, a note on about 20 %, subjects made of a small vocabulary of
Latin and Hangul words (railway, forest, 개성, 철도 …; each common) and, in one record of each
register in 100,000, the rare words "zeppelin" and "비행선" (in that record's only version).
About 0.5 % of the records are corrected and 0.2 % voided (a second version, recorded a month
later, with a reason). Messages go between the sides, some linked to a synthetic contact,
some answering an earlier synthetic message. Every synthetic version is recorded by "bench"
at 2026-01-01 09:00 (corrections and voids at 2026-01-31). The same seed on the same database
gives the same rows.

Other benches call ``fill(engine, contacts, messages)``; a search benchmark takes the rare
words from ``RARE_WORD`` and ``RARE_HANGUL`` and how many records hold them from
``rare_records(n)``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import random
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: the checkout's tracker, not another one
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine

from tracker.db.bulk import BulkWriter
from tracker.services.records.chain import GENESIS_HASH, version_content, version_hash
from tracker.services.records.registers import CONTACTS, MESSAGES, Register

# The rare words: in the subject of one record (contact or message) in RARE_EVERY, nowhere
# else. No word of the vocabulary contains either.
RARE_WORD = "zeppelin"
RARE_HANGUL = "비행선"
RARE_EVERY = 100_000

LATIN_WORDS = (
    "railway", "road", "forest", "health", "talks", "liaison", "families", "reunion",
    "tourism", "industrial", "complex", "sports", "culture", "military", "border", "fisheries",
    "river", "electricity", "shipping", "agriculture", "epidemic", "prevention", "summit",
    "declaration", "follow-up", "schedule", "delegation", "consultation", "exchange",
    "weather", "transport", "survey", "joint", "working", "level", "visit", "Panmunjom",
    "Kaesong", "Pyongyang", "Seoul",
)
HANGUL_WORDS = (
    "개성", "철도", "도로", "산림", "보건", "회담", "연락", "이산가족", "상봉", "관광", "공단",
    "체육", "문화", "군사", "협력", "방역", "협의", "통지", "실무", "공동", "조사", "평양", "서울",
    "판문점", "남북", "교류", "선언", "이행",
)
VOCABULARY = LATIN_WORDS + HANGUL_WORDS
TAGS = ("railway", "forestry", "health", "families", "sports", "roads", "tourism", "철도", "산림")
VENUES = ("joint liaison office, Kaesong", "Peace House, Panmunjom", "Tongilgak, Panmunjom",
          "by telephone", "Pyongyang", "Seoul")
VENUE_WEIGHTS = (70, 8, 5, 12, 2, 3)
TIMES = ("09:00", "16:00", "10:30", "14:00")

# Weights (in %) of the codes the database holds; a code not named gets the "*" weight.
KIND_WEIGHTS = {"gov-meeting": 2, "working-talks": 3, "chief-meeting": 15, "other": 80, "*": 1}
MESSAGE_KIND_WEIGHTS = {"message": 50, "notice": 30, "document": 18, "unspecified": 2, "*": 1}
FIELD_WEIGHTS = {"unknown": 30, "other": 5, "*": 13}  # the five fields of talks: 13 each
OUTCOME_WEIGHTS = {"held": 92, "*": 2}  # no answer, refused, cancelled, postponed: 2 each

START = dt.date(2015, 1, 1)
DAYS = 365 * 10
RECORDED = dt.datetime(2026, 1, 1, 9, 0, 0)
CORRECTED = RECORDED + dt.timedelta(days=30)
CLERK = "bench"
CHUNK = 20_000
QUARTER_ONLY, CORRECTED_SHARE, VOIDED_SHARE, NOTE_SHARE = 0.01, 0.005, 0.002, 0.2

# Both drivers take these strings for DATE and TIMESTAMP columns (SQLite stores them as they
# are, in SQLAlchemy's format); the hash covers isoformat(), as ``chain._jsonable`` gives it.
_STORED = {RECORDED: RECORDED.strftime("%Y-%m-%d %H:%M:%S.%f"),
           CORRECTED: CORRECTED.strftime("%Y-%m-%d %H:%M:%S.%f")}
_HASHED = {RECORDED: RECORDED.isoformat(), CORRECTED: CORRECTED.isoformat()}
_DAY = [(START + dt.timedelta(days=i)).isoformat() for i in range(DAYS)]


def is_rare(i: int, every: int = RARE_EVERY) -> bool:
    """Whether the ``i``-th (from 0) synthetic record of a register carries the rare words."""
    return i % every == every // 2


def rare_records(n: int, every: int = RARE_EVERY) -> int:
    """How many of ``n`` synthetic records of one register carry the rare words."""
    return (n - every // 2 + every - 1) // every if n > every // 2 else 0


class Weighted:
    """Codes with weights, for ``random.choices``."""

    def __init__(self, codes: Sequence[str], weights: dict[str, float]) -> None:
        if not codes:
            raise ValueError("no codes to choose from: is the database migrated?")
        self.codes = list(codes)
        self.cum = list(itertools.accumulate(weights.get(c, weights["*"]) for c in codes))

    def pick(self, rng: random.Random) -> str:
        return rng.choices(self.codes, cum_weights=self.cum)[0]

    def other_than(self, code: str, rng: random.Random) -> str:
        others = [c for c in self.codes if c != code]
        return rng.choice(others) if others else code


@dataclass(frozen=True)
class Reference:
    """What the rows may name: the database's codes and people."""

    contact_kinds: Weighted
    message_kinds: Weighted
    fields: Weighted
    outcomes: Weighted
    sides: tuple[str, ...]
    people: tuple[int, ...]


@dataclass
class Chain:
    """Where a register's synthetic rows go: advanced as rows are made."""

    register: Register
    next_record_id: int
    next_version_id: int
    last_no: int  # the register counter
    head: str = GENESIS_HASH  # the hash of the register's newest version
    records: int = 0
    versions: int = 0

    def number(self) -> tuple[int, str]:
        record_id, self.next_record_id = self.next_record_id, self.next_record_id + 1
        self.last_no += 1
        self.records += 1
        return record_id, self.register.format_reg_no(self.last_no)


@dataclass
class Chunk:
    """Rows of up to CHUNK records, per table, in id order."""

    records: list[tuple] = field(default_factory=list)
    versions: list[tuple] = field(default_factory=list)
    participants: list[tuple[int, int]] = field(default_factory=list)
    tags: list[tuple[int, str]] = field(default_factory=list)


def _dates(rng: random.Random) -> tuple[str, str]:
    i = rng.randrange(DAYS)
    if rng.random() >= QUARTER_ONLY:
        return _DAY[i], _DAY[i]
    day = START + dt.timedelta(days=i)
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    end = (dt.date(day.year + 1, 1, 1) if first_month == 10
           else dt.date(day.year, first_month + 3, 1)) - dt.timedelta(days=1)
    return start.isoformat(), end.isoformat()


def _subject(rng: random.Random, rare: bool) -> str:
    words = rng.choices(VOCABULARY, k=rng.randint(2, 5))
    return " ".join([RARE_WORD, RARE_HANGUL, *words] if rare else words)


def _note(rng: random.Random) -> str | None:
    if rng.random() >= NOTE_SHARE:
        return None
    return "follow-up: " + " ".join(rng.choices(VOCABULARY, k=rng.randint(4, 10)))


def _tags(rng: random.Random, share: float) -> tuple[str, ...]:
    return tuple(sorted(rng.sample(TAGS, rng.randint(1, 2)))) if rng.random() < share else ()


def _append(chain: Chain, chunk: Chunk, record_id: int, reg_no: str, fields: dict[str, Any],
            participants: tuple[int, ...], tags: tuple[str, ...], *, version_no: int = 1,
            supersedes: tuple[int, str] | None = None, is_void: bool = False,
            reason: str | None = None, recorded_at: dt.datetime = RECORDED) -> tuple[int, str]:
    """One version row, hashed as ``chain.Appender`` hashes it; returns (id, hash)."""
    content = version_content(
        chain.register, reg_no=reg_no, version_no=version_no,
        supersedes_hash=supersedes[1] if supersedes else None, is_void=is_void, reason=reason,
        recorded_at=_HASHED[recorded_at],  # type: ignore[arg-type]  # isoformat, as hashed
        recorded_by=CLERK, participants=list(participants), fields=fields, tags=list(tags))
    digest = version_hash(chain.head, content)
    if chain.versions == 0:
        if tuple(fields) != chain.register.fields:  # the order the columns are inserted in
            raise AssertionError(f"fields {tuple(fields)} are not {chain.register.fields}")
        _check_same_hash(chain, content, digest)
    version_id, chain.next_version_id = chain.next_version_id, chain.next_version_id + 1
    chunk.versions.append((version_id, record_id, version_no,
                           supersedes[0] if supersedes else None, *fields.values(), is_void,
                           reason, _STORED[recorded_at], CLERK, chain.head, digest))
    chunk.participants.extend((version_id, p) for p in participants)
    chunk.tags.extend((version_id, t) for t in tags)
    chain.head = digest
    chain.versions += 1
    return version_id, digest


def _check_same_hash(chain: Chain, content: dict[str, Any], digest: str) -> None:
    """The hash of text dates is the hash of the dates ``verify`` reads back (checked once)."""
    typed = {k: dt.date.fromisoformat(v) if k in ("date_from", "date_to") else v
             for k, v in content.items()}
    typed["recorded_at"] = dt.datetime.fromisoformat(content["recorded_at"])
    if version_hash(chain.head, typed) != digest:
        raise AssertionError("synthetic hashes differ from the write path's")


def _correction(rng: random.Random, ref: Reference, register: Register,
                fields: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """A changed copy of ``fields`` and the reason, as a clerk's correction would make."""
    new = dict(fields)
    what = rng.choice(("kind", "subject", "field"))
    if what == "kind":
        kinds = ref.contact_kinds if register is CONTACTS else ref.message_kinds
        new["kind_code"] = kinds.other_than(fields["kind_code"], rng)
    elif what == "field":
        new["field_code"] = ref.fields.other_than(fields["field_code"], rng)
    if new == fields:  # nothing else to choose from: correct the subject
        what = "subject"
    if what == "subject":
        new["subject"] = f"{fields['subject']} {rng.choice(VOCABULARY)}"
    return new, f"{what} corrected"


def _versions(rng: random.Random, ref: Reference, chain: Chain, chunk: Chunk, record_id: int,
              reg_no: str, fields: dict[str, Any], participants: tuple[int, ...],
              tags: tuple[str, ...], rare: bool) -> None:
    """The first version and, for a few records, a correction or a void superseding it."""
    first = _append(chain, chunk, record_id, reg_no, fields, participants, tags)
    roll = rng.random()
    if rare or roll >= CORRECTED_SHARE + VOIDED_SHARE:
        return
    if roll < VOIDED_SHARE:
        _append(chain, chunk, record_id, reg_no, fields, participants, tags, version_no=2,
                supersedes=first, is_void=True, reason="logged twice", recorded_at=CORRECTED)
    else:
        corrected, reason = _correction(rng, ref, chain.register, fields)
        _append(chain, chunk, record_id, reg_no, corrected, participants, tags, version_no=2,
                supersedes=first, reason=reason, recorded_at=CORRECTED)


def contact_chunks(n: int, ref: Reference, chain: Chain, *, seed: int = 1,
                   rare_every: int = RARE_EVERY) -> Iterator[Chunk]:
    """``n`` contacts, in chunks of CHUNK records; ``chain`` ends at the last one."""
    rng = random.Random(f"contacts:{seed}")
    venue_cum = list(itertools.accumulate(VENUE_WEIGHTS))
    initiators = [*ref.sides, None]
    for start in range(0, n, CHUNK):
        chunk = Chunk()
        for i in range(start, min(n, start + CHUNK)):
            record_id, reg_no = chain.number()
            chunk.records.append((record_id, reg_no, "logged", None, None))
            rare = is_rare(i, rare_every)
            d0, d1 = _dates(rng)
            fields = {  # in CONTACTS.fields order: the order the columns are inserted in
                "kind_code": ref.contact_kinds.pick(rng), "date_from": d0, "date_to": d1,
                "venue": rng.choices(VENUES, cum_weights=venue_cum)[0],
                "subject": _subject(rng, rare), "initiated_by": rng.choice(initiators),
                "notes": _note(rng),
                "time_of_day": rng.choice(TIMES) if rng.random() < 0.1 else None,
                "field_code": ref.fields.pick(rng), "outcome_code": ref.outcomes.pick(rng),
            }
            people = ref.people
            participants = (tuple(sorted(rng.sample(people, rng.randint(1, min(3, len(people))))))
                            if people and rng.random() < 0.6 else ())
            _versions(rng, ref, chain, chunk, record_id, reg_no, fields, participants,
                      _tags(rng, 0.1), rare)
        yield chunk


def message_chunks(n: int, ref: Reference, chain: Chain, *, contacts: Sequence[int] = (),
                   seed: int = 1, rare_every: int = RARE_EVERY) -> Iterator[Chunk]:
    """``n`` messages, some linked to one of ``contacts`` (ids), some answering an earlier one."""
    rng = random.Random(f"messages:{seed}")
    first_id = chain.next_record_id
    for start in range(0, n, CHUNK):
        chunk = Chunk()
        for i in range(start, min(n, start + CHUNK)):
            record_id, reg_no = chain.number()
            chunk.records.append((record_id, reg_no, "logged", None, None))
            rare = is_rare(i, rare_every)
            d0, d1 = _dates(rng)
            sender, recipient = (rng.sample(ref.sides, 2) if len(ref.sides) >= 2
                                 else (None, None))
            fields = {  # in MESSAGES.fields order
                "kind_code": ref.message_kinds.pick(rng), "date_from": d0, "date_to": d1,
                "from_side": sender, "to_side": recipient, "subject": _subject(rng, rare),
                "contact_id": rng.choice(contacts) if contacts and rng.random() < 0.3 else None,
                "notes": _note(rng),
                "time_of_day": rng.choice(TIMES) if rng.random() < 0.05 else None,
                "reply_to_id": (rng.randrange(first_id, record_id)
                                if record_id > first_id and rng.random() < 0.1 else None),
                "field_code": ref.fields.pick(rng),
            }
            _versions(rng, ref, chain, chunk, record_id, reg_no, fields, (), _tags(rng, 0.05),
                      rare)
        yield chunk


def version_columns(register: Register) -> str:
    return ", ".join(["id", register.record_fk.key, "version_no", "supersedes_id",
                      *register.fields, "is_void", "reason", "recorded_at", "recorded_by",
                      "prev_hash", "hash"])


RECORD_COLS = "id, reg_no, provenance, source_id, seed_key"


@dataclass
class Filled:
    """What ``fill`` added, per register."""

    chains: list[Chain]

    def describe(self) -> str:
        parts = []
        for c in self.chains:
            if c.records:
                first = c.register.format_reg_no(c.last_no - c.records + 1)
                last = c.register.format_reg_no(c.last_no)
                parts.append(f"{c.records:,} {c.register.noun}s {first}..{last} "
                             f"({c.versions:,} versions)")
        return "; ".join(parts) or "nothing"


def _one(cur: Any, sql: str, params: tuple = ()) -> Any:
    if params:
        cur.execute(sql, params)
    else:
        cur.execute(sql)
    row = cur.fetchone()
    return row[0] if row else None


def _reference(cur: Any) -> Reference:
    def codes(table: str) -> list[str]:
        cur.execute(f"SELECT code FROM {table} ORDER BY sort_order, code")
        return [r[0] for r in cur.fetchall()]

    cur.execute("SELECT code FROM side ORDER BY code")
    sides = tuple(r[0] for r in cur.fetchall())
    # people as they stand: not one merged into another
    cur.execute("SELECT p.id FROM person p WHERE NOT EXISTS (SELECT 1 FROM person_version v "
                "WHERE v.person_id = p.id AND v.merged_into_id IS NOT NULL) ORDER BY p.id")
    people = tuple(r[0] for r in cur.fetchall())
    return Reference(Weighted(codes("contact_kind"), KIND_WEIGHTS),
                     Weighted(codes("message_kind"), MESSAGE_KIND_WEIGHTS),
                     Weighted(codes("field"), FIELD_WEIGHTS),
                     Weighted(codes("contact_outcome"), OUTCOME_WEIGHTS), sides, people)


def _chain(cur: Any, register: Register, mark: str, lock: str) -> Chain:
    """The register as it stands, its counter locked (PostgreSQL; SQLite holds the file)."""
    record = register.record.__table__.name
    version = register.version.__table__.name
    last_no = _one(cur, f"SELECT last_no FROM register_counter WHERE register = {mark}{lock}",
                   (register.code,))
    if last_no is None:
        raise RuntimeError(f"the {register.noun} counter is missing: is the database migrated?")
    if _one(cur, f"SELECT id FROM {record} WHERE reg_no = {mark}",
            (register.format_reg_no(last_no + 1),)) is not None:
        raise RuntimeError(f"the {register.noun} counter ({last_no}) is behind its records; "
                           "run `tracker verify`")
    head = _one(cur, f"SELECT hash FROM {version} ORDER BY id DESC LIMIT 1") or GENESIS_HASH
    return Chain(register, _one(cur, f"SELECT coalesce(max(id), 0) + 1 FROM {record}"),
                 _one(cur, f"SELECT coalesce(max(id), 0) + 1 FROM {version}"), last_no, head)


def fill(engine: Engine, contacts: int, messages: int, *, seed: int = 1) -> Filled:
    """Append synthetic records after whatever the (migrated, seeded) database holds.

    One transaction; then ANALYZE. Returns what it added.
    """
    sqlite = engine.dialect.name == "sqlite"
    mark, lock = ("?", "") if sqlite else ("%s", " FOR UPDATE")
    raw = engine.raw_connection()
    cache_size = None
    try:
        cur = raw.cursor()
        if sqlite:
            # A page cache as big as what the fill touches (the indexes take random inserts;
            # a 300,000-contact fill took 37 s instead of 52 s with 1 GiB instead of 256 MiB).
            # Only pages used are allocated. Put back afterwards.
            cache_size = _one(cur, "PRAGMA cache_size")
            cur.execute(f"PRAGMA cache_size = -{_cache_kib(contacts + messages)}")
            if not raw.driver_connection.in_transaction:
                cur.execute("BEGIN IMMEDIATE")
        ref = _reference(cur)
        c_chain = _chain(cur, CONTACTS, mark, lock)  # in LOCK_ORDER: contacts, then messages
        m_chain = _chain(cur, MESSAGES, mark, lock)
        if contacts:
            linkable: Sequence[int] = range(c_chain.next_record_id,
                                            c_chain.next_record_id + contacts)
        else:  # link messages to the newest contacts already there
            cur.execute("SELECT id FROM contact ORDER BY id DESC LIMIT 10000")
            linkable = [r[0] for r in cur.fetchall()]
        jobs = [(c_chain, contact_chunks(contacts, ref, c_chain, seed=seed)),
                (m_chain, message_chunks(messages, ref, m_chain, contacts=linkable, seed=seed))]
        writer = BulkWriter(cur, sqlite, prefix="synthetic")  # rows as stored: ready
        items = ((chain, chunk) for chain, chunks in jobs
                 for chunk in itertools.chain(chunks, [None]))
        with ThreadPoolExecutor(1, thread_name_prefix="synthetic") as maker:
            item = next(items, None)
            while item is not None:
                chain, chunk = item
                register = chain.register
                if chunk is not None:
                    writer.stage(register.record.__table__.name, RECORD_COLS.split(", "),
                                 chunk.records, ready=True)
                    writer.stage(register.version.__table__.name,
                                 version_columns(register).split(", "), chunk.versions,
                                 ready=True)
                    writer.stage("contact_participant", ("version_id", "person_id"),
                                 chunk.participants, ready=True)
                    writer.stage(register.tag_table.__table__.name, ("version_id", "tag"),
                                 chunk.tags, ready=True)
                elif chain.records:  # the register's last chunk is in: move its counter
                    # (it only moves forward, an append-only trigger)
                    cur.execute(f"UPDATE register_counter SET last_no = {mark} "
                                f"WHERE register = {mark}", (chain.last_no, register.code))
                    if not sqlite:
                        _move_sequences(cur, register)
                # The next chunk is made (Python, holding the GIL) while the database
                # inserts this one (SQLite releases the GIL for the statement); not while
                # staging, where each row would wait for the GIL.
                following = maker.submit(next, items, None)
                writer.flush()
                item = following.result()
        writer.close(keep_cursor=True)
        raw.commit()
        cur.execute("ANALYZE")
        raw.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        if cache_size is not None:
            with contextlib.suppress(Exception):  # never hide why the fill failed
                raw.cursor().execute(f"PRAGMA cache_size = {int(cache_size)}")
        raw.close()
    return Filled([c_chain, m_chain])


def _cache_kib(records: int) -> int:
    """SQLite page cache for a fill: about 2 KiB a record, from 256 MiB up to 4 GiB."""
    return min(4 << 20, max(256 << 10, 2 * records))


def _move_sequences(cur: Any, register: Register) -> None:
    """Every id sequence of the register's tables past its largest id (the CLI's next insert
    takes nextval; our rows took ids without it)."""
    for table in (register.record.__table__.name, register.version.__table__.name):
        sequence = _one(cur, "SELECT pg_get_serial_sequence(%s, 'id')", (table,))
        if sequence is not None:
            cur.execute(f"SELECT setval(%s::regclass, (SELECT max(id) FROM {table}))",
                        (sequence,))


def _insert(engine: Engine, cur: Any, table: str, cols: str, rows: list[tuple]) -> None:
    """Bulk insert of rows holding Python values (bench_verify uses it)."""
    writer = BulkWriter(cur, engine.dialect.name == "sqlite", prefix="insert")
    writer.stage(table, cols.split(", "), rows)
    writer.flush()
    writer.close(keep_cursor=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/synthetic.py",
        description=_help_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Example: python bench/synthetic.py --db /tmp/big.sqlite --contacts 1000000 "
               "--messages 200000",
    )
    parser.add_argument("--db", required=True, metavar="URL",
                        help="SQLite file or SQLAlchemy URL (as tracker --db); created, "
                             "migrated and seeded if need be")
    parser.add_argument("--contacts", required=True, type=_count, metavar="N",
                        help="synthetic contacts to add")
    parser.add_argument("--messages", type=_count, default=0, metavar="M",
                        help="synthetic messages to add (default 0)")
    parser.add_argument("--seed", type=int, default=1, metavar="S",
                        help="random seed: the same seed on the same database gives the same "
                             "rows (default 1)")
    args = parser.parse_args(argv)

    from tracker.cli.seed_cmd import describe
    from tracker.config import resolve_url
    from tracker.db.faults import safe_url
    from tracker.db.migrate import upgrade
    from tracker.db.session import Database
    from tracker.errors import TrackerError
    from tracker.services.seed import load_seed

    url = resolve_url(args.db)
    try:
        before, after = upgrade(url)
        if before != after:
            print(f"{safe_url(url)}: schema at revision {after} (was {before or 'empty'})")
        db = Database(url)
        try:
            with db.write() as session:
                print(describe(load_seed(session)))
            t0 = time.perf_counter()
            filled = fill(db.engine, args.contacts, args.messages, seed=args.seed)
            seconds = time.perf_counter() - t0
        finally:
            db.dispose()
    except TrackerError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    print(f"added {filled.describe()} in {seconds:.1f} s")
    return 0


def _help_text() -> str:
    """The module docstring without the usage line (argparse prints its own) and the part
    for other benches."""
    paragraphs = (__doc__ or "").strip().split("\n\n")
    return "\n\n".join([paragraphs[0], *paragraphs[2:-1]])


def _count(value: str) -> int:
    n = int(value.replace("_", "").replace(",", ""))
    if n < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return n


if __name__ == "__main__":
    sys.exit(main())
