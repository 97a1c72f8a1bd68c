"""Import and export of a large log against the least any correct program must do, in one run.

    python bench/bench_import.py [--contacts 10000 1000000] [--engines sqlite postgresql]
                                 [--pg-url URL] [--pg-dump copy|cursor]
                                 [--sqlite-insert plain|staged] [--runs K] [--keep DIR]
                                 [--profile]

For each engine and size N it fills a migrated, seeded source log with N synthetic contacts
(participants on 60 %, tags, a few corrections and voids, no synthetic messages:
``bench/synthetic.py``; ``--keep DIR`` keeps it for later runs, see ``bench/cached.py``) and
measures four programs, each as its own process: wall time from start to exit (both sides pay
an interpreter's start-up and imports) and peak RSS (``os.wait4``, from a bare interpreter
that starts it, since Linux counts the memory of the process a child was forked from).

- Export: ``tracker export --out DIR`` (the real executable: every file, the manifest, the
  SHA-256s) against a raw-driver dump of the same columns of the current contact versions
  (contacts.csv, participants' names and tags as JSON lists, external_ref and hashes; and
  participants.csv), with no Python per row: on PostgreSQL ``COPY (SELECT …) TO STDOUT (FORMAT
  csv)`` written to the file as it comes, JIT off as tracker has it (``--pg-dump cursor``: a
  server-side cursor into ``csv.writer.writerows``); on SQLite, which has no COPY,
  ``csv.writer.writerows`` straight over the ``sqlite3`` cursor. Ratio: dump s / export s.
- Import: ``tracker import DIR/contacts.csv --before-opening`` into a fresh target (``tracker
  db upgrade``, ``tracker seed``, ANALYZE; a contacts.csv alone names participants in its
  ``with`` column) against the bare reference on another fresh target: ``csv.reader`` over
  the same file, a leading apostrophe taken back (the export's escape); each record's fields
  as the service stores them (codes, dates as dates, empty as none or the default; a void
  record made then voided and a corrected one as one version without its reason, as ``tracker
  import`` does); participants by name from a dict read once; its source key
  (``external_ref``) looked up in the log a chunk at a time, as a source key and, for
  ``tracker:HASH``, as a first version's hash (the 285 seeded contacts are in both logs,
  skipped); each version hashed with ``version_content``/``version_hash`` chained
  from the target's head; ids after the largest, registration numbers after the counter; the
  file's ``import_file`` row with its SHA-256; then the contact, contact_version,
  contact_participant and contact_tag rows written with the raw driver in one transaction,
  20,000 records at a time: SQLite plain ``executemany`` into the tables (``--sqlite-insert
  staged``: through a TEMP table and one ``INSERT … SELECT`` a table, as ``tracker.db.bulk``
  does, which fires the search trigger far more cheaply), PostgreSQL ``COPY``; the counter and
  sequences moved. It checks nothing else. Ratio: our rows/s / reference rows/s.

Targets: >= 0.5x the reference for import and export on both engines, and peak RSS at the
largest size within 1.5x of the smallest. After every import ``tracker verify`` must exit 0
on both targets, both must hold N imported contacts, and (first run) the two targets'
imported rows, every column but ids, hashes and the file they point at, participants and tags
included, must be the same. ``--runs K`` measures each K times, alternately, and keeps the
fastest time and the largest RSS. The load average is printed at the start and the end: on a
busy machine the figures mean little. ``--profile`` runs our export and import once more
under cProfile (untimed) and prints where their time goes.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.services.exchange.files import COLUMNS  # a module without imports: start-up stays

TRACKER = str(Path(sys.executable).parent / "tracker")
PG_URL = os.environ.get("TRACKER_TEST_POSTGRES_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CLERK = "bench"
CHUNK = 20_000  # records a write, in the reference
SEEDED_CONTACTS = 285  # in the seed: in the source and in every target, skipped by an import
MIB = 1024.0  # ru_maxrss is in KiB on Linux


# --- running a process, with its time and peak memory -------------------------------------------

@dataclass
class Run:
    seconds: float
    rss_mib: float
    out: str
    err: str


# Starts the command, waits for it, writes "seconds maxrss_kib" to argv[1]. A child's peak RSS
# counts the memory of the process it was forked from (Linux keeps the high-water mark across
# exec): measured from this script (70 MiB of imports) every process would seem to take at
# least that much, so a bare interpreter (about 9 MiB) starts it.
PEAK = ("import os, sys, time\n"
        "t0 = time.perf_counter()\n"
        "pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)\n"
        "_, status, usage = os.wait4(pid, 0)\n"
        "seconds = time.perf_counter() - t0\n"
        "open(sys.argv[1], 'w').write(f'{seconds} {usage.ru_maxrss}')\n"
        "sys.exit(os.waitstatus_to_exitcode(status))\n")


def measured(cmd: list[str], *, check: bool = True) -> Run:
    """Run ``cmd``: its wall time from start to exit and its peak RSS."""
    with tempfile.TemporaryDirectory() as folder:
        out, err, about = (Path(folder) / n for n in ("out", "err", "about"))
        with out.open("wb") as o, err.open("wb") as e:
            done = subprocess.run([sys.executable, "-S", "-c", PEAK, str(about), *cmd],
                                  stdout=o, stderr=e, env=child_env())
        seconds, kib = about.read_text().split()
        run = Run(float(seconds), int(kib) / MIB, out.read_text(), err.read_text())
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {done.returncode}:\n{run.err}{run.out}")
    return run


def child_env() -> dict[str, str]:
    return {**os.environ, "TRACKER_CLERK": CLERK, "PAGER": "cat"}


def tracker(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([TRACKER, "--db", url, *args], capture_output=True, text=True,
                          env=child_env())


def this_script(*args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", *args]


# --- the raw driver, from a SQLAlchemy URL --------------------------------------------------------

def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def connect(url: str) -> Any:
    """A raw driver connection: sqlite3 (autocommit; our pragmas) or psycopg."""
    if is_sqlite(url):
        import sqlite3

        path = url.split("///", 1)[1]
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA foreign_keys = ON")  # as tracker's connections: the same checks
        conn.execute("PRAGMA recursive_triggers = ON")
        return conn
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1))


def scalar(conn: Any, sql: str, params: tuple[Any, ...] = ()) -> Any:
    row = conn.execute(sql, params).fetchone()
    return row[0] if row else None


# --- the bare reference import (run as a child process) -------------------------------------------

CONTACT_COLUMNS = COLUMNS["contacts"]  # contacts.csv as ``tracker export`` writes it
VERSION_COLUMNS = ("id", "contact_id", "version_no", "supersedes_id", "is_void", "reason",
                   "recorded_at", "recorded_by", "prev_hash", "hash", "kind_code", "date_from",
                   "date_to", "venue", "subject", "initiated_by", "notes", "time_of_day",
                   "field_code", "outcome_code")
RECORD_COLUMNS = ("id", "reg_no", "provenance", "source_id", "import_file_id", "source_key")
STORED_TIME = "%Y-%m-%d %H:%M:%S.%f"  # a timestamp as SQLAlchemy stores it on SQLite


@dataclass
class Rows:
    records: list[tuple[Any, ...]] = field(default_factory=list)
    versions: list[tuple[Any, ...]] = field(default_factory=list)
    people: list[tuple[int, int]] = field(default_factory=list)
    tags: list[tuple[int, str]] = field(default_factory=list)


def _write(conn: Any, sqlite: bool, table: str, columns: tuple[str, ...],
           rows: list[tuple[Any, ...]], staged: bool = False) -> None:
    if not rows:
        return
    cols = ", ".join(columns)
    if sqlite:
        marks = ", ".join("?" for _ in columns)
        if not staged:
            conn.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
            return
        # as tracker.db.bulk does: the triggers fire inside one statement a table
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS ref_{table} ({cols})")
        conn.executemany(f"INSERT INTO temp.ref_{table} ({cols}) VALUES ({marks})", rows)
        conn.execute(f"INSERT INTO main.{table} ({cols}) SELECT {cols} FROM temp.ref_{table} "
                     "ORDER BY rowid")
        conn.execute(f"DELETE FROM temp.ref_{table}")
        return
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _already(conn: Any, sqlite: bool, keys: list[str]) -> set[str]:
    """The keys the log already holds (a query or two a chunk): a record's source key, or
    ``tracker:HASH`` naming the first version of a record of this very log."""
    ours = [k[8:] for k in keys if k.startswith("tracker:")]
    if sqlite:
        found = conn.execute("SELECT source_key FROM contact WHERE source_key IN "
                             "(SELECT value FROM json_each(?))", (json.dumps(keys),)).fetchall()
        hashes = conn.execute("SELECT hash FROM contact_version WHERE version_no = 1 AND hash "
                              "IN (SELECT value FROM json_each(?))", (json.dumps(ours),))
    else:
        found = conn.execute("SELECT source_key FROM contact WHERE source_key = ANY(%s)",
                             (keys,)).fetchall()
        hashes = conn.execute("SELECT hash FROM contact_version WHERE version_no = 1 AND "
                              "hash = ANY(%s)", (ours,))
    return {k for (k,) in found} | {f"tracker:{h}" for (h,) in hashes}


def reference_import(url: str, path: Path, staged: bool = False) -> dict[str, Any]:
    """The least a correct importer of our contacts.csv must do; see the module docstring."""
    from tracker.services.records.chain import GENESIS_HASH, version_content, version_hash
    from tracker.services.records.registers import CONTACTS

    t0 = time.perf_counter()
    sqlite = is_sqlite(url)
    mark = "?" if sqlite else "%s"
    conn = connect(url)
    if sqlite:
        conn.execute("BEGIN IMMEDIATE")
    last_no = scalar(conn, "SELECT last_no FROM register_counter WHERE register = 'C'"
                     + ("" if sqlite else " FOR UPDATE"))
    head = scalar(conn, "SELECT hash FROM contact_version ORDER BY id DESC LIMIT 1") \
        or GENESIS_HASH
    next_record = scalar(conn, "SELECT coalesce(max(id), 0) + 1 FROM contact")
    next_version = scalar(conn, "SELECT coalesce(max(id), 0) + 1 FROM contact_version")
    # people by the name shown today (a merged one as the survivor), read once
    person = {name: merged or pid for pid, name, merged in conn.execute(
        "SELECT v.person_id, v.name, v.merged_into_id FROM person_version v WHERE NOT EXISTS "
        "(SELECT 1 FROM person_version n WHERE n.supersedes_id = v.id)")}
    sources = dict(conn.execute("SELECT key, id FROM source").fetchall())
    seeded = {f"seed:{k}" for (k,) in conn.execute(
        "SELECT seed_key FROM contact WHERE seed_key IS NOT NULL")}
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    values = (path.name, digest.hexdigest(), now.strftime(STORED_TIME) if sqlite else now, CLERK)
    if sqlite:
        file_id = conn.execute("INSERT INTO import_file (name, sha256, recorded_at, "
                               "recorded_by) VALUES (?, ?, ?, ?)", values).lastrowid
    else:
        file_id = scalar(conn, "INSERT INTO import_file (name, sha256, recorded_at, "
                         "recorded_by) VALUES (%s, %s, %s, %s) RETURNING id", values)
    content, chained = version_content, version_hash
    day, stamp, loads = dt.date.fromisoformat, dt.datetime.fromisoformat, json.loads
    added = versions_added = already = 0

    def write(chunk: list[tuple[str, list[str]]]) -> None:
        nonlocal head, last_no, next_record, next_version, added, versions_added, already
        there = _already(conn, sqlite, [k for k, _ in chunk if k not in seeded])
        rows, seen = Rows(), set()
        for key, cells in chunk:
            if key in seeded or key in there or key in seen:
                already += 1
                continue
            seen.add(key)
            (_reg, _no, _sup, status, reason, d0, d1, at, kind, outcome, field_, subject,
             venue, initiated_by, with_, tags_, notes, recorded_at, recorded_by, source,
             _ref, _prev, _hash) = cells
            start = day(d0)
            fields = {"kind_code": kind, "date_from": start, "date_to": day(d1) if d1 else start,
                      "venue": venue or None, "subject": subject, "initiated_by":
                      initiated_by or None, "notes": notes or None, "time_of_day": at or None,
                      "field_code": field_ or "unknown", "outcome_code": outcome or "held"}
            people = sorted(person[n] for n in loads(with_)) if with_ and with_ != "[]" else []
            tags = loads(tags_) if tags_ and tags_ != "[]" else []
            when = stamp(recorded_at) if recorded_at else now
            clerk = recorded_by or CLERK
            last_no += 1
            reg_no = f"C-{last_no:06d}"
            record_id, next_record = next_record, next_record + 1
            rows.records.append((record_id, reg_no, "imported",
                                 sources[source] if source else None, file_id, key))
            kept = [(False, None)] if status != "void" else \
                [(False, None), (True, reason or None)]  # void, without its history
            supersedes: tuple[int, str] | None = None
            stored = ([start.isoformat(), fields["date_to"].isoformat()] if sqlite
                      else [start, fields["date_to"]])
            for number, (is_void, why) in enumerate(kept, start=1):
                new_hash = chained(head, content(
                    CONTACTS, reg_no=reg_no, version_no=number,
                    supersedes_hash=supersedes[1] if supersedes else None, is_void=is_void,
                    reason=why, recorded_at=when, recorded_by=clerk, participants=people,
                    fields=fields, tags=tags))
                version_id, next_version = next_version, next_version + 1
                rows.versions.append((
                    version_id, record_id, number, supersedes[0] if supersedes else None,
                    int(is_void) if sqlite else is_void, why,
                    when.strftime(STORED_TIME) if sqlite else when, clerk, head, new_hash,
                    kind, stored[0], stored[1], fields["venue"], subject,
                    fields["initiated_by"], fields["notes"], fields["time_of_day"],
                    fields["field_code"], fields["outcome_code"]))
                rows.people.extend((version_id, p) for p in people)
                rows.tags.extend((version_id, t) for t in tags)
                head, supersedes = new_hash, (version_id, new_hash)
        _write(conn, sqlite, "contact", RECORD_COLUMNS, rows.records, staged)
        _write(conn, sqlite, "contact_version", VERSION_COLUMNS, rows.versions, staged)
        _write(conn, sqlite, "contact_participant", ("version_id", "person_id"), rows.people,
               staged)
        _write(conn, sqlite, "contact_tag", ("version_id", "tag"), rows.tags, staged)
        added += len(rows.records)
        versions_added += len(rows.versions)

    limit = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)
    chunk: list[tuple[str, list[str]]] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        if tuple(header) != CONTACT_COLUMNS:
            raise SystemExit(f"{path}: not an export's contacts.csv: {header}")
        sha = digest.hexdigest()
        last = reader.line_num
        for cells in reader:
            if cells and any(c[:1] == "'" for c in cells):  # the export's escape, taken back
                cells = [c[1:] if c[:1] == "'" else c for c in cells]
            chunk.append((cells[20] or f"{sha}:{last + 1}", cells))
            last = reader.line_num
            if len(chunk) >= CHUNK:
                write(chunk)
                chunk = []
    write(chunk)
    csv.field_size_limit(limit)
    conn.execute(f"UPDATE register_counter SET last_no = {mark} WHERE register = 'C'",
                 (last_no,))
    if not sqlite:
        for table in ("contact", "contact_version"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"(SELECT max(id) FROM {table}))")
    conn.commit()
    conn.close()
    return {"added": added, "versions": versions_added, "already": already,
            "seconds": time.perf_counter() - t0}


# --- the raw dump (run as a child process) --------------------------------------------------------

def dump_queries(sqlite: bool) -> dict[str, str]:
    """contacts.csv and participants.csv as the database can give them: current versions."""
    names = "json_group_array(n.name)" if sqlite else "json_agg(n.name)"
    tags = "json_group_array(t.tag)" if sqlite else "json_agg(t.tag)"
    shown = "NOT EXISTS (SELECT 1 FROM person_version m WHERE m.supersedes_id = n.id)"
    current = "NOT EXISTS (SELECT 1 FROM contact_version x WHERE x.supersedes_id = v.id)"
    contacts = (
        "SELECT c.reg_no, v.version_no, CASE WHEN v.supersedes_id IS NOT NULL "
        "THEN v.version_no - 1 END, CASE WHEN v.is_void THEN 'void' ELSE 'current' END, "
        "v.reason, v.date_from, v.date_to, v.time_of_day, v.kind_code, v.outcome_code, "
        "v.field_code, v.subject, v.venue, v.initiated_by, "
        f"(SELECT {names} FROM contact_participant p JOIN person_version n "
        f"ON n.person_id = p.person_id WHERE p.version_id = v.id AND {shown}), "
        f"(SELECT {tags} FROM contact_tag t WHERE t.version_id = v.id), "
        "v.notes, v.recorded_at, v.recorded_by, s.key, coalesce(c.source_key, "
        "'seed:' || c.seed_key, 'tracker:' || (SELECT f.hash FROM contact_version f "
        "WHERE f.contact_id = c.id AND f.version_no = 1)), v.prev_hash, v.hash "
        "FROM contact c JOIN contact_version v ON v.contact_id = c.id "
        f"LEFT JOIN source s ON s.id = c.source_id WHERE {current} "
        "ORDER BY c.id, v.version_no")
    participants = (
        "SELECT c.reg_no, v.version_no, '#' || p.person_id, n.name "
        "FROM contact_participant p JOIN contact_version v ON v.id = p.version_id "
        "JOIN contact c ON c.id = v.contact_id "
        f"JOIN person_version n ON n.person_id = p.person_id AND {shown} "
        f"WHERE {current} ORDER BY c.id, v.version_no, p.person_id")
    return {"contacts": contacts, "participants": participants}


HEADERS = {"contacts": CONTACT_COLUMNS, "participants": COLUMNS["participants"]}


def raw_dump(url: str, directory: Path, method: str) -> dict[str, Any]:
    t0 = time.perf_counter()
    sqlite = is_sqlite(url)
    directory.mkdir(parents=True, exist_ok=True)
    conn = connect(url)
    if not sqlite:  # as tracker's stream(): JIT compiling these plans costs 0.5 s, saves nothing
        conn.execute("SET jit = off")
    for name, sql in dump_queries(sqlite).items():
        path = directory / f"{name}.csv"
        if not sqlite and method == "copy":
            with path.open("wb") as fh, conn.cursor() as cur, cur.copy(
                    f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
                for block in copy:
                    fh.write(block)
            continue
        with path.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh, lineterminator="\n")
            out.writerow(HEADERS[name])
            if sqlite:
                cur = conn.execute(sql)
            else:  # a server-side cursor: the rows arrive in batches, never all at once
                cur = conn.cursor(name=f"dump_{name}")
                cur.itersize = 5000
                cur.execute(sql)
            out.writerows(cur)
            cur.close()
    if not sqlite:
        conn.rollback()
    conn.close()
    return {"seconds": time.perf_counter() - t0}


def child(argv: list[str]) -> int:
    what, url, path, *rest = argv
    if what == "import":
        result = reference_import(url, Path(path), staged=rest == ["staged"])
    elif what == "dump":
        result = raw_dump(url, Path(path), rest[0])
    else:
        raise SystemExit(f"unknown child {what}")
    print(json.dumps(result))
    return 0


# --- databases ------------------------------------------------------------------------------------

class Targets:
    """Fresh, migrated, seeded, analysed target logs: SQLite files in a folder, PostgreSQL
    schemas in the test database; each removed at the end."""

    def __init__(self, engine: str, folder: Path, pg_url: str) -> None:
        self.engine = engine
        self.folder = folder
        self.pg_url = pg_url
        self.schemas: list[str] = []
        self.files: list[Path] = []

    def new(self, label: str) -> str:
        if self.engine == "sqlite":
            path = self.folder / f"target-{label}-{uuid.uuid4().hex[:6]}.sqlite"
            self.files.append(path)
            url = f"sqlite:///{path}"
        else:
            schema = f"bench_import_{uuid.uuid4().hex[:10]}"
            with contextlib.closing(connect(self.pg_url)) as admin:
                admin.execute(f'CREATE SCHEMA "{schema}"')
                admin.commit()
            self.schemas.append(schema)
            sep = "&" if "?" in self.pg_url else "?"
            url = f"{self.pg_url}{sep}options=-csearch_path%3D{schema}"
        for args in (("db", "upgrade"), ("seed",)):
            done = tracker(url, *args)
            if done.returncode != 0:
                raise RuntimeError(f"tracker {' '.join(args)} on {url}: {done.stderr}")
        analyse(url)
        return url

    def drop(self, url: str) -> None:
        if self.engine == "sqlite":
            path = Path(url.split("///", 1)[1])
            for p in (path, path.with_name(path.name + "-wal"),
                      path.with_name(path.name + "-shm")):
                p.unlink(missing_ok=True)
            return
        self._drop_schema(url.rsplit("%3D", 1)[1])

    def _drop_schema(self, schema: str) -> None:
        with contextlib.closing(connect(self.pg_url)) as admin:
            admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            admin.commit()
        self.schemas.remove(schema)

    def close(self) -> None:
        for schema in list(self.schemas):
            with contextlib.suppress(Exception):  # never hide why the run failed
                self._drop_schema(schema)
        for path in self.files:
            for p in (path, path.with_name(path.name + "-wal"),
                      path.with_name(path.name + "-shm")):
                p.unlink(missing_ok=True)


def analyse(url: str) -> None:
    with contextlib.closing(connect(url)) as conn:
        conn.execute("ANALYZE")
        if not is_sqlite(url):
            conn.commit()


def imported(url: str) -> int:
    with contextlib.closing(connect(url)) as conn:
        return int(scalar(conn, "SELECT count(*) FROM contact WHERE provenance = 'imported'"))


def rows_digest(url: str) -> str:
    """A digest of every imported contact version as stored (all but ids, hashes and the
    import_file row), with its participants and tags."""
    sqlite = is_sqlite(url)
    if sqlite:
        people = ("(SELECT group_concat(person_id) FROM (SELECT person_id FROM "
                  "contact_participant WHERE version_id = v.id ORDER BY person_id))")
        tags = ("(SELECT group_concat(tag, '|') FROM (SELECT tag FROM contact_tag "
                "WHERE version_id = v.id ORDER BY tag))")
    else:
        people = ("(SELECT string_agg(person_id::text, ',' ORDER BY person_id) FROM "
                  "contact_participant WHERE version_id = v.id)")
        tags = ("(SELECT string_agg(tag, '|' ORDER BY tag) FROM contact_tag "
                "WHERE version_id = v.id)")
    sql = ("SELECT c.reg_no, c.source_id, c.source_key, v.version_no, v.supersedes_id IS NULL, "
           "v.is_void, v.reason, v.kind_code, v.date_from, v.date_to, v.venue, v.subject, "
           "v.initiated_by, v.notes, v.time_of_day, v.field_code, v.outcome_code, "
           f"v.recorded_at, v.recorded_by, {people}, {tags} FROM contact c "
           "JOIN contact_version v ON v.contact_id = c.id WHERE c.provenance = 'imported' "
           "ORDER BY v.id")
    digest = hashlib.sha256()
    with contextlib.closing(connect(url)) as conn:
        if not sqlite:  # a target never analysed gets a nested loop over a seq scan: hours
            conn.execute("ANALYZE")
            conn.commit()
        cur = conn.execute(sql) if sqlite else conn.cursor(name="digest")
        if not sqlite:
            cur.execute(sql)
        for row in cur:
            digest.update(repr(row).encode())
    return digest.hexdigest()


def check_target(url: str, contacts: int, who: str) -> None:
    done = tracker(url, "verify")
    if done.returncode != 0:
        raise RuntimeError(f"{who}: tracker verify exited {done.returncode}:\n"
                           f"{done.stdout}{done.stderr}")
    found = imported(url)
    if found != contacts:
        raise RuntimeError(f"{who}: {found:,} imported contacts, not {contacts:,}")


# --- one size on one engine -----------------------------------------------------------------------

@dataclass
class Figures:
    contacts: int
    import_s: float
    import_rss: float
    reference_s: float
    reference_rss: float
    export_s: float
    export_rss: float
    dump_s: float
    dump_rss: float


def best(runs: list[Run]) -> Run:
    """The fastest run's time, the largest peak RSS of any."""
    return Run(min(r.seconds for r in runs), max(r.rss_mib for r in runs), "", "")


def measure(engine: str, contacts: int, args: argparse.Namespace, work: Path) -> Figures:
    """Each of the four measured, ``--runs`` times alternately: ours, then the reference."""
    from bench.cached import bench_db

    print(f"  {contacts:,} contacts:", flush=True)
    source, cleanup = bench_db(engine, contacts, 0, args.keep)
    targets = Targets(engine, work, args.pg_url)
    out = work / f"export-{engine}-{contacts}"
    dump = work / f"dump-{engine}-{contacts}"
    csv_path = out / "contacts.csv"
    runs: dict[str, list[Run]] = {"export": [], "dump": [], "import": [], "reference": []}
    try:
        for run in range(args.runs):
            shutil.rmtree(out, ignore_errors=True)
            runs["export"].append(measured([TRACKER, "--db", source, "export", "--out",
                                            str(out)]))
            exported = json.loads((out / "manifest.json").read_text())["files"]
            if exported["contacts.csv"]["rows"] != contacts + SEEDED_CONTACTS:
                raise RuntimeError(f"the export holds {exported['contacts.csv']['rows']:,} "
                                   f"contacts, not {contacts + SEEDED_CONTACTS:,}")
            runs["dump"].append(measured(this_script("dump", source, str(dump), args.pg_dump)))
            shutil.rmtree(dump, ignore_errors=True)

            ours_url = targets.new("ours")
            ours = measured([TRACKER, "--db", ours_url, "import", str(csv_path),
                             "--before-opening"])
            if f"added {contacts} contacts" not in ours.out:
                raise RuntimeError(f"tracker import did not add {contacts} contacts: "
                                   f"{ours.out}")
            check_target(ours_url, contacts, "our import")
            runs["import"].append(ours)

            ref_url = targets.new("reference")
            ref = measured(this_script("import", ref_url, str(csv_path), args.sqlite_insert))
            said = json.loads(ref.out.strip().splitlines()[-1])
            if said["added"] != contacts:
                raise RuntimeError(f"the reference added {said['added']:,} contacts")
            check_target(ref_url, contacts, "the reference")
            runs["reference"].append(ref)
            if run == 0 and rows_digest(ours_url) != rows_digest(ref_url):
                raise RuntimeError("our import and the reference stored different rows")
            targets.drop(ref_url)
            targets.drop(ours_url)
            print(f"    run {run + 1}: export {runs['export'][-1].seconds:.2f} s, raw dump "
                  f"{runs['dump'][-1].seconds:.2f} s; import {ours.seconds:.2f} s, reference "
                  f"{ref.seconds:.2f} s (by its own clock, start-up aside, "
                  f"{said['seconds']:.2f} s); verify ok" + (", same rows" if run == 0 else ""),
                  flush=True)

        if args.profile:
            profile("export", ["--db", source, "export", "--out", str(dump)], work)
            shutil.rmtree(dump, ignore_errors=True)
            url = targets.new("profile")
            profile("import", ["--db", url, "import", str(csv_path), "--before-opening"], work)
            targets.drop(url)
        export, raw, ours, ref = (best(runs[k]) for k in ("export", "dump", "import",
                                                           "reference"))
        return Figures(contacts, ours.seconds, ours.rss_mib, ref.seconds, ref.rss_mib,
                       export.seconds, export.rss_mib, raw.seconds, raw.rss_mib)
    finally:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(dump, ignore_errors=True)
        targets.close()
        cleanup()


# Runs tracker's app under cProfile and saves the stats to argv[1] (``tracker.cli.main`` ends
# with os._exit, which would leave ``python -m cProfile`` nothing to save). GC off, as main has it.
PROFILED = ("import cProfile, gc, sys\n"
            "from tracker.cli import full_app\n"
            "out, sys.argv = sys.argv[1], ['tracker', *sys.argv[2:]]\n"
            "app = full_app()\n"
            "gc.disable()\n"
            "profiler = cProfile.Profile()\n"
            "try:\n"
            "    profiler.runcall(app, prog_name='tracker')\n"
            "except SystemExit as exc:\n"
            "    code = exc.code\n"
            "profiler.dump_stats(out)\n"
            "sys.exit(code)\n")


def profile(what: str, args: list[str], scratch: Path) -> None:
    """A command of ours once more under cProfile (untimed): where its time goes."""
    import pstats

    stats_file = scratch / f"profile-{uuid.uuid4().hex[:6]}.prof"
    try:
        measured([sys.executable, "-c", PROFILED, str(stats_file), *args])
        print(f"    cProfile of our {what}:", flush=True)
        stats = pstats.Stats(str(stats_file), stream=sys.stdout)
        stats.strip_dirs().sort_stats("tottime").print_stats(20)
        stats.sort_stats("cumulative").print_stats(30)
    finally:
        stats_file.unlink(missing_ok=True)


# --- the tables -----------------------------------------------------------------------------------

def table(engine: str, rows: list[Figures], args: argparse.Namespace) -> None:
    dump = "COPY" if engine == "postgresql" and args.pg_dump == "copy" else "cursor+csv"
    insert = ("COPY" if engine == "postgresql" else "executemany staged in a TEMP table"
              if args.sqlite_insert == "staged" else "plain executemany")
    print(f"\n{engine}: import (rows/s: contacts imported a second, process start to exit; "
          f"reference inserts: {insert})")
    print(f"  {'contacts':>10}  {'ours s':>8} {'rows/s':>9}  {'reference s':>11} {'rows/s':>9}"
          f"  {'ratio':>6}  {'our RSS MiB':>11} {'ref RSS MiB':>11}")
    for f in rows:
        ours, ref = f.contacts / f.import_s, f.contacts / f.reference_s
        print(f"  {f.contacts:>10,}  {f.import_s:8.2f} {ours:9,.0f}  {f.reference_s:11.2f} "
              f"{ref:9,.0f}  {ours / ref:5.2f}x  {f.import_rss:11.1f} {f.reference_rss:11.1f}")
    print(f"{engine}: export (raw dump: {dump} of contacts.csv and participants.csv)")
    print(f"  {'contacts':>10}  {'export s':>8} {'rows/s':>9}  {'raw dump s':>11}  {'ratio':>6}"
          f"  {'export RSS MiB':>14} {'dump RSS MiB':>12}")
    for f in rows:
        print(f"  {f.contacts:>10,}  {f.export_s:8.2f} {f.contacts / f.export_s:9,.0f}  "
              f"{f.dump_s:11.2f}  {f.dump_s / f.export_s:5.2f}x  {f.export_rss:14.1f} "
              f"{f.dump_rss:12.1f}")
    print("  ratio: ours as a share of the reference's speed (target >= 0.50x)")
    if len(rows) > 1:
        low, high = rows[0], rows[-1]
        print(f"  peak RSS at {high.contacts:,} / at {low.contacts:,} contacts: import "
              f"{high.import_rss / low.import_rss:.2f}x, export "
              f"{high.export_rss / low.export_rss:.2f}x (target <= 1.50x)")


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return child(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python bench/bench_import.py", description=__doc__.split("\n\n")[0],
        epilog="Example: python bench/bench_import.py --contacts 10000 1000000 --keep "
               "/var/tmp/tracker-bench")
    parser.add_argument("--contacts", type=int, nargs="+", default=[10_000, 1_000_000],
                        metavar="N", help="sizes (default 10000 1000000)")
    parser.add_argument("--engines", nargs="+", choices=["sqlite", "postgresql"],
                        default=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default=PG_URL, metavar="URL",
                        help=f"PostgreSQL database for the schemas (default {PG_URL})")
    parser.add_argument("--pg-dump", choices=["copy", "cursor"], default="copy",
                        help="PostgreSQL raw dump: COPY TO STDOUT (default) or a server-side "
                             "cursor into csv.writer")
    parser.add_argument("--sqlite-insert", choices=["plain", "staged"], default="plain",
                        help="the SQLite reference's inserts: plain executemany into the tables "
                             "(default, as the issue says) or staged in a TEMP table and moved "
                             "with one INSERT … SELECT a table a chunk, as tracker.db.bulk does")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="keep the filled source logs (SQLite files in DIR, a PostgreSQL "
                             "database per size) for later runs; the export lands there too")
    parser.add_argument("--runs", type=int, default=1, metavar="K",
                        help="measure each K times, alternately, and keep the fastest time and "
                             "the largest peak RSS (default 1)")
    parser.add_argument("--profile", action="store_true",
                        help="also run our export and import under cProfile (untimed) and "
                             "print where their time goes")
    args = parser.parse_args(argv)
    # bench.cached fills PostgreSQL sources through bench_reports.PG_URL, read at import
    os.environ["TRACKER_TEST_POSTGRES_URL"] = args.pg_url
    sizes = sorted(set(args.contacts))
    print(f"load average at start: {load()} ({os.cpu_count()} CPUs)", flush=True)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="tracker-bench-import-", dir=args.keep))
    try:
        for engine in args.engines:
            print(f"{engine}:", flush=True)
            table(engine, [measure(engine, n, args, work) for n in sizes], args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nload average at end: {load()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
