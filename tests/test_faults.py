"""Faults of the database and its environment: each ends in one ``Error:`` line and no write.

Every case runs the real command (in-process through ``Cli``, or the installed
``tracker`` where a real process matters: a closed pipe, simultaneous first runs, kill -9)
and checks the exit code, that stderr holds exactly one ``Error: …`` line with the words
tracker prints today and neither a traceback nor "unexpected", and that nothing was written:
the file's bytes, the directory's listing or the log's row counts are as they were.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import random
import signal
import sqlite3
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, event, inspect, make_url, text

from tests.helpers import Cli, counts, has_database_open, wait_for

TRACKER = str(Path(sys.executable).with_name("tracker"))  # the venv's console script
DAY = "2018-12-21"
LOG = ("contact", "log", "--kind", "other", "--on", DAY, "--subject", "a fault test")
PASSWORD = "s3cret"
FILE_RUN_TIMEOUT_S = 120


# --- helpers of this module --------------------------------------------------------------

def one_error(code: int, exit_code: int, stdout: str, stderr: str, *words: str) -> str:
    """The single ``Error:`` line, after checking the exit code and that nothing else failed."""
    assert exit_code == code, (exit_code, stdout, stderr)
    assert "Traceback" not in stderr, stderr
    assert "unexpected" not in stderr.lower(), stderr
    errors = [line for line in stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, stderr
    assert stderr.rstrip("\n").splitlines()[-1] == errors[0], stderr  # the last word said
    for word in words:
        assert word in errors[0], (word, errors[0])
    return errors[0]


def refused(result, code: int, *words: str) -> str:
    """``one_error`` for an in-process run; no exception escaped and stdout is empty."""
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    line = one_error(code, result.exit_code, result.stdout, result.stderr, *words)
    assert result.stdout == "", result.stdout
    return line


def ok(result) -> str:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert "Error:" not in result.stderr, result.stderr
    return result.stdout


def sqlite_file(url: str) -> Path:
    return Path(make_url(url).database or "")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> dict[str, str]:
    """Every file in ``folder`` with its hash (directories marked as such)."""
    return {p.name: ("dir" if p.is_dir() else digest(p)) for p in sorted(folder.iterdir())}


def table_names(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(inspect(conn).get_table_names())
    finally:
        engine.dispose()


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[None]:
    """``chattr +i`` for the block (root ignores modes, not this flag); always undone."""
    subprocess.run(["chattr", "+i", str(path)], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


sqlite_only = pytest.mark.parametrize("engine_name", ["sqlite"])
postgresql_only = pytest.mark.parametrize("engine_name", ["postgresql"])


# --- 1. a --db that cannot be a tracker database ------------------------------------------

def _directory(tmp_path: Path) -> Path:
    (tmp_path / "adir").mkdir()
    return tmp_path / "adir"


def _text_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("minutes of the meeting\n")
    return path


def _truncated(tmp_path: Path, seeded: str) -> Path:
    path = tmp_path / "truncated.sqlite"
    path.write_bytes(sqlite_file(seeded).read_bytes()[:3000])
    return path


BAD_FILES = {
    # name: (make the target, exit code, words of the line)
    "directory": (lambda tmp, seeded: _directory(tmp), 1, ["is a directory, not a database"]),
    "text file": (lambda tmp, seeded: _text_file(tmp), 1, ["is not a SQLite database"]),
    "truncated": (_truncated, 1, ["is damaged", "restore it from a backup"]),
    "device": (lambda tmp, seeded: Path("/dev/null"), 1,
               ["/dev/null is not a regular file (a device or a pipe)"]),
}


@sqlite_only
@pytest.mark.parametrize("kind", list(BAD_FILES))
@pytest.mark.parametrize("command", [("report", "summary"), LOG, ("db", "upgrade"), ("seed",)],
                         ids=["read", "write", "upgrade", "seed"])
def test_db_that_is_not_a_database_file(kind, command, tmp_path, seeded_url):
    make, code, words = BAD_FILES[kind]
    target = make(tmp_path, seeded_url)
    folder = target.parent
    before = listing(folder) if folder != Path("/dev") else None
    refused(Cli(str(target))(*command), code, str(target), *words)
    if before is not None:
        assert listing(folder) == before  # the file untouched, no -wal/-shm left beside it
    else:
        assert target.is_char_device()


@pytest.mark.parametrize(("command", "code", "words"), [
    (("report", "summary"), 3, ["no tracker database at", "`tracker seed`"]),
    (("contact", "list"), 3, ["no tracker database at"]),
    (LOG, 1, ["cannot create", "directory", "does not exist"]),
    (("seed",), 1, ["cannot create", "directory", "does not exist"]),
    (("db", "upgrade"), 1, ["cannot create", "directory", "does not exist"]),
], ids=["summary", "list", "log", "seed", "upgrade"])
def test_db_in_a_missing_directory(command, code, words, tmp_path):
    target = tmp_path / "missing" / "log.sqlite"
    refused(Cli(str(target))(*command), code, str(target.parent), *words)
    assert not target.parent.exists()


def _foreign(url: str) -> None:
    """Another application's database: one table of its own, nothing of tracker's."""
    path = sqlite_file(url) if url.startswith("sqlite") else None
    if path is not None:
        with contextlib.closing(sqlite3.connect(path)) as conn:
            conn.execute("CREATE TABLE notes(x)")
            conn.execute("INSERT INTO notes VALUES ('theirs')")
            conn.commit()
        return
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE notes(x text)"))
        conn.execute(text("INSERT INTO notes VALUES ('theirs')"))
    engine.dispose()


@pytest.mark.parametrize("command", [("db", "upgrade"), ("seed",), ("report", "summary"), LOG],
                         ids=["upgrade", "seed", "summary", "log"])
def test_another_applications_database_is_refused(command, empty_url):
    _foreign(empty_url)
    refused(Cli(empty_url)(*command), 3, "another application", "no tracker schema",
            "give tracker a database of its own")
    assert table_names(empty_url) == ["notes"]
    engine = create_engine(empty_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT x FROM notes")).scalars().all() == ["theirs"]
    engine.dispose()


@sqlite_only
@pytest.mark.parametrize("command", [("db", "upgrade"), ("report", "summary")],
                         ids=["upgrade", "summary"])
def test_another_applications_sqlite_file_keeps_its_bytes(command, empty_url):
    _foreign(empty_url)
    path = sqlite_file(empty_url)
    before = digest(path)
    refused(Cli(empty_url)(*command), 3, "another application")
    with contextlib.closing(sqlite3.connect(path)) as conn:
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert (mode, digest(path)) == ("delete", before)


@pytest.mark.parametrize(("url", "words"), [
    ("sqlite://", ["--db: an in-memory database would vanish", "give a file path"]),
    ("sqlite:///:memory:", ["--db: an in-memory database would vanish"]),
    ("mysql://u@h/db", ["--db: mysql://u@h/db: tracker supports SQLite",
                        "and PostgreSQL", "not mysql"]),
    (f"postgresql+psycopg://u:{PASSWORD}@127.0.0.1:abc/x",
     ["--db: postgresql+psycopg://u:***@127.0.0.1:abc/x is not a valid database URL"]),
], ids=["memory", "memory-named", "mysql", "malformed"])
@pytest.mark.parametrize("command", [("report", "summary"), LOG, ("db", "upgrade"), ("seed",)],
                         ids=["read", "write", "upgrade", "seed"])
def test_db_url_that_tracker_cannot_use(url, words, command):
    result = Cli(url)(*command)
    refused(result, 2, *words)
    assert PASSWORD not in result.stdout + result.stderr


# --- 2. a database that may be read but not written ---------------------------------------

@sqlite_only
@pytest.mark.parametrize("what", ["file", "directory"])
def test_read_only_database(what, seeded_url):
    path = sqlite_file(seeded_url)
    before = digest(path)
    cli = Cli(seeded_url)
    with immutable(path if what == "file" else path.parent):
        summary = ok(cli("report", "summary", "--format", "csv"))
        assert "contacts,total,all contacts,285" in summary
        assert ok(cli("contact", "list", "--format", "csv")).count("\nC-") == 285
        verified = cli("verify")
        ok(verified)
        assert "read-only" in verified.stderr  # the result is not kept, and it says so
        line = refused(cli(*LOG), 1, str(path), "is read-only for you",
                       "this command cannot write to it")
        if what == "directory":
            assert "its directory is not writable" in line
        assert digest(path) == before
    assert digest(path) == before
    assert counts(seeded_url)["contact"] == 285


# --- 3. a read never writes ----------------------------------------------------------------

@pytest.mark.parametrize("command", [
    ("report", "summary"), ("contact", "list"), ("verify",), ("reconcile",),
    ("show", "C-000001"),
    ("db", "current"),
], ids=["summary", "list", "verify", "reconcile", "show", "db-current"])
def test_a_read_leaves_an_empty_file_empty(command, tmp_path):
    path = tmp_path / "empty.sqlite"
    path.touch()
    result = Cli(str(path))(*command)
    if command != ("db", "current"):
        refused(result, 3, "has no tracker schema", "run `tracker db upgrade`")
    assert path.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("empty")) == \
        ["empty.sqlite"]


# --- 4. the disk is full ----------------------------------------------------------------

@contextlib.contextmanager
def sqlite_size_limit(pages: int) -> Iterator[None]:
    """Every SQLite connection opened in the block may not grow its file past ``pages``."""
    def limit(dbapi_connection, _record) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(Engine, "connect", limit)
    try:
        yield
    finally:
        event.remove(Engine, "connect", limit)


@sqlite_only
def test_disk_full_during_a_log_writes_nothing(seeded_url):
    cli = Cli(seeded_url)
    with contextlib.closing(sqlite3.connect(sqlite_file(seeded_url))) as conn:
        pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    note = "n" * 1900
    logged = 0
    # The current size plus a few pages: some logs still fit, then one does not.
    with sqlite_size_limit(pages + 3):
        for i in range(200):
            before = counts(seeded_url)
            result = cli(*LOG[:-1], f"log {i}", "--note", note)
            if result.exit_code != 0:
                break
            logged += 1
        else:
            pytest.fail("200 logs with a 1,900-character note fit in 3 more pages")
        refused(result, 1, "the disk is full", "nothing was written")
        assert counts(seeded_url) == before
    assert before["contact"] == before["counter C"] == 285 + logged
    # Space again: the refused log's number is given back.
    assert ok(cli(*LOG, "--note", note)).strip() == f"C-{286 + logged:06d}"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_disk_full_while_writing_out_keeps_the_old_file(fmt, cli, tmp_path, monkeypatch):
    out = tmp_path / "reports" / f"summary.{fmt}"
    out.parent.mkdir()
    out.write_bytes(b"the report of last week\n")

    def no_space(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        if fmt == "xlsx":
            patch.setattr("tracker.render.xlsx.write_xlsx", no_space)
        else:
            patch.setattr(Path, "write_text", no_space)
        result = cli("report", "summary", "--out", str(out))
    refused(result, 1, f"--out: cannot write {out}", "No space left on device",
            "the old file, if any, is unchanged")
    assert out.read_bytes() == b"the report of last week\n"
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left


# --- 5. another program holds the write lock -------------------------------------------------

@sqlite_only
def test_busy_database(seeded_url, monkeypatch):
    import tracker.db.engine

    monkeypatch.setattr(tracker.db.engine, "BUSY_TIMEOUT_MS", 300)
    cli = Cli(seeded_url)
    before = counts(seeded_url)
    holder = sqlite3.connect(sqlite_file(seeded_url), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        result = cli(*LOG)
        waited = time.monotonic() - started
        refused(result, 1)
        assert result.stderr == ("Error: the database is busy (locked by another program "
                                 "for 0.3 s); try again\n")
        assert waited >= 0.25
        ok(cli("report", "summary"))  # readers never queue behind a writer
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert counts(seeded_url) == before
    assert ok(cli(*LOG)).strip() == "C-000286"


# --- 6. PostgreSQL unreachable, or its connections terminated ------------------------------

@pytest.mark.parametrize("command", [("report", "summary"), LOG, ("db", "upgrade"), ("seed",),
                                     ("verify",)],
                         ids=["summary", "log", "upgrade", "seed", "verify"])
def test_postgresql_unreachable(command):
    url = f"postgresql+psycopg://clerk:{PASSWORD}@127.0.0.1:5999/office"
    result = Cli(url)(*command)
    refused(result, 1, "cannot reach the database at 127.0.0.1:5999", "refused")
    assert PASSWORD not in result.stdout + result.stderr


def _with_app_name(url: str) -> tuple[str, str]:
    name = f"tracker-fault-{uuid.uuid4().hex[:8]}"
    return f"{url}{'&' if '?' in url else '?'}application_name={name}", name


def _terminate(admin: Engine, where: str, **params) -> int:
    """Terminate the backends ``where`` selects and wait until they are gone; how many."""
    query = ("FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
             f"AND datname = current_database() AND {where}")
    with admin.begin() as conn:
        killed = len(conn.execute(text(f"SELECT pg_terminate_backend(pid) {query}"),
                                  params).all())
    deadline = time.monotonic() + 10
    while True:
        with admin.connect() as conn:  # a new transaction: pg_stat_activity is a snapshot
            if not conn.execute(text(f"SELECT count(*) {query}"), params).scalar_one():
                return killed
        if time.monotonic() > deadline:
            raise RuntimeError(f"backends still alive 10 s after pg_terminate_backend: {where}")
        time.sleep(0.02)


@postgresql_only
def test_postgresql_restarted_between_commands(seeded_url):
    url, name = _with_app_name(seeded_url)
    cli = Cli(url)
    admin = create_engine(seeded_url)
    try:
        ok(cli("report", "summary"))
        # Each command closes its own engine: no connection is left for a restart to cut.
        assert _terminate(admin, "application_name = :name", name=name) == 0
        assert ok(cli(*LOG)).strip() == "C-000286"
        assert _terminate(admin, "application_name = :name", name=name) == 0
        assert "contacts,total,all contacts,286" in ok(cli("report", "summary", "-f", "csv"))
    finally:
        admin.dispose()


@postgresql_only
def test_postgresql_connection_terminated_during_a_write(seeded_url):
    admin = create_engine(seeded_url)
    cli = Cli(seeded_url)
    before = counts(seeded_url)
    fired: list[int] = []
    trouble: list[BaseException] = []  # raised in the listener, tracker would mask it

    def terminate_first_insert(conn, _cursor, statement, *_rest) -> None:
        if fired or conn.engine is admin or not statement.startswith("INSERT INTO contact "):
            return
        fired.append(conn.connection.dbapi_connection.info.backend_pid)
        try:
            assert _terminate(admin, "pid = :pid", pid=fired[0]) == 1
        except BaseException as exc:
            trouble.append(exc)
            raise

    event.listen(Engine, "before_cursor_execute", terminate_first_insert)
    try:
        result = cli(*LOG)
    finally:
        event.remove(Engine, "before_cursor_execute", terminate_first_insert)
    assert not trouble, trouble
    try:
        assert fired, "the log never reached its INSERT"
        server = make_url(seeded_url)
        refused(result, 1, f"cannot reach the database at {server.host}:{server.port or 5432}",
                "terminating connection due to administrator command")
        assert counts(seeded_url) == before
        assert ok(cli(*LOG)).strip() == "C-000286"  # the next command works; no gap
    finally:
        admin.dispose()


# --- 7. --out naming a directory -----------------------------------------------------------

@pytest.mark.parametrize("command", [("report", "summary"), ("report", "monthly"),
                                     ("report", "chart"), ("reconcile",)],
                         ids=["summary", "monthly", "chart", "reconcile"])
def test_out_is_a_directory(command, cli, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "old.csv").write_text("kept\n")
    before = listing(folder)
    refused(cli(*command, "--out", str(folder)), 2, f"Error: --out: {folder} is a directory")
    assert listing(folder) == before


@sqlite_only
def test_verify_save_into_a_directory_names_save(cli, tmp_path):
    refused(cli("verify", "--save", str(tmp_path)), 2, f"--save: {tmp_path} is a directory")


@sqlite_only
@pytest.mark.parametrize("where", ["directory", "missing directory"])
def test_backup_into_a_directory(where, cli, tmp_path):
    target = tmp_path if where == "directory" else tmp_path / "missing" / "copy.sqlite"
    before = listing(tmp_path)
    result = cli("db", "backup", str(target))
    assert result.exit_code in (1, 2), result.stderr  # refused as data or as usage
    refused(result, result.exit_code, str(target.parent if where != "directory" else target))
    assert listing(tmp_path) == before


# --- 8. the reader of stdout goes away --------------------------------------------------------

@sqlite_only
@pytest.mark.parametrize("reads", [1, 0], ids=["after-one-line", "before-reading"])
def test_stdout_closed_early(reads, seeded_url, monkeypatch):
    monkeypatch.setenv("TRACKER_DATABASE_URL", seeded_url)
    codes = []
    for _ in range(10):
        read_end, write_end = os.pipe()
        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)  # well short of the 72 kB listing
        proc = subprocess.Popen([TRACKER, "--db", str(sqlite_file(seeded_url)), "contact",
                                 "list", "--format", "json"],
                                stdout=write_end, stderr=subprocess.PIPE)
        os.close(write_end)
        with os.fdopen(read_end, "rb", buffering=0) as reader:
            if reads:
                assert reader.readline() == b"[\n"
        _, stderr = proc.communicate(timeout=FILE_RUN_TIMEOUT_S)
        code = proc.returncode
        assert code in (0, 141), (code, stderr)
        assert stderr == b"", stderr
        codes.append(code)
    if not reads:  # the very first write fails: tracker says so by its exit code only
        assert set(codes) == {141}


# --- 9. simultaneous first-time work on PostgreSQL --------------------------------------------

def _all_at_once(url: str, *args: str, n: int = 8) -> list[tuple[int, str, str]]:
    procs = [subprocess.Popen([TRACKER, "--db", url, *args], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(n)]
    done = []
    for proc in procs:
        out, err = proc.communicate(timeout=FILE_RUN_TIMEOUT_S)
        done.append((proc.returncode, out, err))
    return done


def test_simultaneous_first_runs_on_postgresql(scratch_pg_schema):
    url = scratch_pg_schema
    upgrades = _all_at_once(url, "db", "upgrade")
    assert [code for code, _, _ in upgrades] == [0] * 8, upgrades
    assert sum("schema at revision" in out for _, out, _ in upgrades) == 1, upgrades
    assert sum("already at revision" in out for _, out, _ in upgrades) == 7, upgrades

    seeds = _all_at_once(url, "seed")
    assert [code for code, _, _ in seeds] == [0] * 8, seeds
    assert sum(out.startswith("seed: added ") for _, out, _ in seeds) == 1, seeds
    assert sum("already loaded" in out for _, out, _ in seeds) == 7, seeds
    assert counts(url)["contact"] == 285

    figures = _all_at_once(url, "figure", "add", "--metric", "contacts.total", "--value", "300",
                           "--as-of", "2019-01-31", "--source", "a new briefing")
    added = [out for code, out, _ in figures if code == 0]
    assert len(added) == 1 and added[0].startswith("figure "), figures
    for code, out, err in figures:
        if code != 0:
            one_error(1, code, out, err, "--value: this figure is already recorded")
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM source WHERE title = 'a new briefing'")
                            ).scalar_one() == 1
        assert conn.execute(text(
            "SELECT count(*) FROM reported_figure WHERE metric = 'contacts.total' "
            "AND value_low = 300 AND as_of = '2019-01-31'")).scalar_one() == 1
    engine.dispose()


# --- 10. kill -9 at random moments -------------------------------------------------------------

KILLS = 20


def assert_whole(url: str) -> dict[str, int]:
    """No partial write: numbers gapless up to the counter, every record has one current
    version and gapless version numbers; returns the counts."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            for code, record, version, key in (("C", "contact", "contact_version", "contact_id"),
                                               ("M", "message", "message_version",
                                                "message_id")):
                last = conn.execute(text("SELECT last_no FROM register_counter WHERE "
                                         "register = :r"), {"r": code}).scalar_one()
                numbers = sorted(int(n[2:]) for n in conn.execute(
                    text(f"SELECT reg_no FROM {record}")).scalars())
                assert numbers == list(range(1, last + 1)), (code, last, numbers[-3:])
                assert conn.execute(text(
                    f"SELECT count(*) FROM {record} r WHERE NOT EXISTS (SELECT 1 FROM "
                    f"{version} v WHERE v.{key} = r.id)")).scalar_one() == 0
                current = conn.execute(text(
                    f"SELECT count(*) FROM {version} v WHERE NOT EXISTS (SELECT 1 FROM "
                    f"{version} w WHERE w.supersedes_id = v.id)")).scalar_one()
                assert current == last
                assert conn.execute(text(
                    f"SELECT count(*) FROM (SELECT {key} FROM {version} GROUP BY {key} "
                    "HAVING count(*) <> max(version_no)) gaps")).scalar_one() == 0
    finally:
        engine.dispose()
    return counts(url)


def start_tracker(url: str, args: list[str]) -> subprocess.Popen:
    """Start ``tracker`` and return once it has opened the database (or ended)."""
    proc = subprocess.Popen([TRACKER, "--db", url, *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    wait_for(lambda: proc.poll() is not None or has_database_open(proc.pid, url),
             "tracker never opened the database", FILE_RUN_TIMEOUT_S)
    return proc


def busy_span(url: str, args: list[str]) -> float:
    """How long the command runs after it opened the database (one run, not killed)."""
    proc = start_tracker(url, args)
    opened = time.monotonic()
    _, stderr = proc.communicate(timeout=FILE_RUN_TIMEOUT_S)
    assert proc.returncode == 0, stderr
    return time.monotonic() - opened


def kill_at_random(url: str, args: list[str], rng: random.Random, window: float) -> bool:
    """Start ``tracker``, SIGKILL it 0-``window`` s after it opened the database; whether the
    kill landed (the process had not finished).

    The clock starts at the open: the interpreter's start-up before it (about half a second of
    imports) writes nothing, and kills landing there would prove nothing."""
    proc = start_tracker(url, args)
    time.sleep(rng.uniform(0, window))
    finished = proc.poll()
    if finished is None:
        os.kill(proc.pid, signal.SIGKILL)
    _, stderr = proc.communicate(timeout=FILE_RUN_TIMEOUT_S)
    assert finished in (None, 0), (finished, stderr)
    return finished is None


def fresh_database(url: str) -> None:
    """Empty the database at ``url`` and migrate it again (the log refuses DELETE)."""
    from tracker.db.migrate import upgrade

    if url.startswith("sqlite"):
        path = sqlite_file(url)
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    else:
        schema = make_url(url).query["options"].rsplit("=", 1)[-1]  # -csearch_path=SCHEMA
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
    upgrade(url)


@pytest.mark.parametrize("command", ["log", "correct", "seed"])
def test_kill_9_leaves_no_partial_write(command, migrated_url):
    url = migrated_url
    cli = Cli(url)
    if command != "seed":
        ok(cli("seed"))
    rng = random.Random(f"kill-9 {command}")

    def args(i: int) -> list[str]:
        return {"log": [*LOG[:-1], f"killed log {i}"],
                "correct": ["correct", "C-000100", "--subject", f"killed correction {i}",
                            "--reason", f"attempt {i}"],
                "seed": ["seed"]}[command]

    # Kills land 0-0.6 s after the open, within the time the command really works there
    # (measured once: a log is done in a fraction of that), so most hit its transaction.
    window = min(0.6, busy_span(url, args(-1)))
    complete = counts(url)  # for the seed: everything it loads
    if command == "seed":
        fresh_database(url)
    empty = counts(url)
    kills = 0
    for i in range(KILLS):
        kills += kill_at_random(url, args(i), rng, window)
        found = assert_whole(url)
        if command == "seed":  # one transaction: all of it or none of it
            assert found in (empty, complete), found
            if found == complete:  # it finished: the next run starts from nothing again
                assert cli("verify").exit_code == 0
                fresh_database(url)
    assert kills >= 1, f"all {KILLS} runs finished within {window:.2f} s; none was killed"
    # And the log goes on: a seed completes, the next write gets the next number.
    if command == "seed":
        ok(cli("seed"))
        assert counts(url) == complete
    else:
        last = counts(url)["counter C"]
        assert ok(cli(*LOG)).strip() == f"C-{last + 1:06d}"
    assert_whole(url)
    verified = cli("verify")
    assert verified.exit_code == 0, (verified.stdout, verified.stderr)


# --- 11. file modes ----------------------------------------------------------------------------

def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_database_and_its_wal_are_private(tmp_path):
    path = tmp_path / "new.sqlite"
    seen: dict[str, int] = {}

    def modes_at_commit(_conn) -> None:
        for suffix in ("", "-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                seen[suffix or "db"] = mode(side)

    with umask(0o022):
        event.listen(Engine, "commit", modes_at_commit)
        try:
            assert ok(Cli(str(path))(*LOG)).strip() == "C-000001"
        finally:
            event.remove(Engine, "commit", modes_at_commit)
        assert seen == {"db": 0o600, "-wal": 0o600, "-shm": 0o600}
        assert mode(path) == 0o600
        for left in (path.with_name(path.name + s) for s in ("-wal", "-shm")):
            assert not left.exists() or mode(left) == 0o600


@sqlite_only
@pytest.mark.parametrize(("mask", "existing", "wanted"), [
    (0o022, None, 0o644),
    (0o077, None, 0o600),
    (0o022, 0o644, 0o644),
    (0o077, 0o644, 0o644),
    (0o022, 0o640, 0o640),
], ids=["new-022", "new-077", "keeps-644", "keeps-644-under-077", "keeps-640"])
def test_report_file_mode(mask, existing, wanted, cli, tmp_path):
    out = tmp_path / "new.csv"
    if existing is not None:
        out.write_text("old\n")
        out.chmod(existing)
    with umask(mask):
        result = cli("report", "summary", "--out", str(out))
    ok(result)
    assert mode(out) == wanted
    assert out.read_text().startswith("section,item,name,count")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".new.csv")] == []
