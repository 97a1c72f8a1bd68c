"""Scratch databases for benchmarks, kept between runs with ``--keep DIR``.

Filling 10,000,000 synthetic contacts takes the better part of an hour; a benchmark run
with ``--keep`` fills each size once (a SQLite file in DIR, a PostgreSQL database named
after the size) and later runs reuse it. A database is reused only once its fill finished
(a marker file in DIR), so an interrupted fill is started again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from bench.bench_reports import PG_URL, make_db
from bench.synthetic import fill
from tracker.db.migrate import upgrade
from tracker.db.session import Database
from tracker.services.seed import load_seed


def bench_db(engine_name: str, contacts: int, messages: int, keep: Path | None
             ) -> tuple[str, Callable[[], None]]:
    """(url, cleanup) of a migrated, seeded database holding the synthetic log."""
    if keep is None:
        return make_db(engine_name, contacts, messages)
    keep.mkdir(parents=True, exist_ok=True)
    name = f"tracker_bench_{contacts}_{messages}"
    done = keep / f"{engine_name}-{name}.done"
    if engine_name == "sqlite":
        path = keep / f"{name}.sqlite"
        url = f"sqlite:///{path}"
        if not done.exists():
            path.unlink(missing_ok=True)
    else:
        url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        if not done.exists():
            admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
    if not done.exists():
        upgrade(url)
        db = Database(url)
        with db.write() as session:
            load_seed(session)
        fill(db.engine, contacts, messages)
        db.engine.dispose()
        done.touch()
        print(f"  filled and kept {url}", flush=True)
    else:
        print(f"  reusing {url}", flush=True)
    return url, lambda: None
