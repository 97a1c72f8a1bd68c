"""Fixtures: every test gets its own database on SQLite and, when reachable, PostgreSQL.

PostgreSQL tests run in a scratch schema of ``TRACKER_TEST_POSTGRES_URL`` (default: the local
server's ``test`` database), dropped afterwards. With no server they skip with the reason,
except under ``CI=true``, where an unreachable server is an error.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.helpers import Cli, pinned_clock, skip_unless_ci

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_URL = os.environ.get("TRACKER_TEST_POSTGRES_URL", DEFAULT_PG)
ENGINES = ["sqlite", "postgresql"]
SEEDED_AT = "2026-01-05T09:00:00"  # the record time of the seeded rows in every test


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "build: builds the wheel (a few seconds); part of the normal suite")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite tests/golden/* from the current output.")


def _pg_unreachable() -> str | None:
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any failure to reach it is the reason to skip
        return f"PostgreSQL not reachable at {PG_URL}: {str(exc).splitlines()[0]}"
    return None


_PG_REASON: list[str | None] = []


def require_postgres() -> None:
    if not _PG_REASON:
        _PG_REASON.append(_pg_unreachable())
    reason = _PG_REASON[0]
    if reason:
        skip_unless_ci(reason)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the user's real database or depends on who runs it, or when."""
    import tracker.clock

    monkeypatch.setattr(tracker.clock, "_pinned", None)  # a leaked pin never reaches the next
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'default.sqlite'}")
    monkeypatch.setenv("TRACKER_CLERK", "test-clerk")


@pytest.fixture
def scratch_pg_schema() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh, empty schema."""
    with pg_schema() as url:
        yield url


@contextmanager
def pg_schema() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema for the block (a test that needs two databases)."""
    require_postgres()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _empty_url(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if engine == "sqlite":
        return f"sqlite:///{tmp_path / f'test-{uuid.uuid4().hex[:8]}.sqlite'}"
    return request.getfixturevalue("scratch_pg_schema")


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def empty_url(engine_name: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A database with nothing in it (SQLite: the file does not exist yet)."""
    return _empty_url(engine_name, tmp_path, request)


@pytest.fixture
def migrated_url(empty_url: str) -> str:
    from tracker.db.migrate import upgrade

    upgrade(empty_url)
    return empty_url


@pytest.fixture
def seeded_url(migrated_url: str) -> str:
    return _seeded(migrated_url)


@pytest.fixture
def second_seeded_url(engine_name: str, tmp_path: Path) -> Iterator[str]:
    """Another seeded log on the same engine, seeded at the same moment: an export's target
    beside ``seeded_url``, its source."""
    from tracker.db.migrate import upgrade

    if engine_name == "sqlite":
        url = f"sqlite:///{tmp_path / 'second.sqlite'}"
        upgrade(url)
        yield _seeded(url)
        return
    with pg_schema() as url:
        upgrade(url)
        yield _seeded(url)


def _seeded(migrated: str) -> str:
    from tracker.db.session import Database
    from tracker.services.seed import load_seed

    db = Database(migrated)
    # A fixed record time makes the seeded hash chain, and so the heads every report prints,
    # the same in every run (the golden files hold them).
    with pinned_clock(SEEDED_AT), db.write() as session:
        load_seed(session)
    db.engine.dispose()
    return migrated


@pytest.fixture
def cli(seeded_url: str) -> Cli:
    return Cli(seeded_url)


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """Compare text to ``tests/golden/NAME`` byte for byte (``--update-golden`` rewrites)."""
    update = request.config.getoption("--update-golden")
    folder = Path(__file__).parent / "golden"

    def check(name: str, actual: str) -> None:
        path = folder / name
        if update:
            path.write_bytes(actual.encode())
        assert path.exists(), f"missing golden file {path}; run pytest --update-golden"
        assert actual.encode() == path.read_bytes()

    return check
