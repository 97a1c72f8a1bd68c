"""Shell completion from the database: kinds, sides, people by any of their names, and
registration numbers.

Completion must feel instant (≤ 0.3 s on a 1,000,000-record log), and importing SQLAlchemy
alone takes longer than that on a slow machine. So these functions skip it: they open the
database read-only with the raw driver (``sqlite3`` from the standard library, or psycopg)
and ask one indexed question each. A missing, foreign or unreachable database completes
nothing and never prints an error: the shell is not the place for one. Imported by a command
module only when the shell asks for completions.

Typer offers only the suggestions that begin with the text as typed (case included), as
bash's own completion does; names are looked up by their normalised form and then shown as
stored.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import typer

LIMIT = 50


class _Reader:
    """A read-only DB-API connection and its placeholder style."""

    def __init__(self, conn: Any, mark: str) -> None:
        self.conn, self.mark = conn, mark

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cur = self.conn.cursor()
        try:
            cur.execute(sql.replace("?", self.mark), tuple(params))
            return list(cur.fetchall())
        finally:
            cur.close()


def _sqlite(url: str) -> Any:
    import sqlite3
    from urllib.parse import quote

    path = url.split(":///", 1)[1].split("?", 1)[0] if ":///" in url else ""
    if not path or path == ":memory:" or not os.path.isfile(path):
        return None  # never create a file while completing
    target = f"file:{quote(os.path.abspath(path))}"
    try:
        conn = sqlite3.connect(f"{target}?mode=ro", uri=True, timeout=0.2)
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1")
        return conn
    except sqlite3.Error:  # a read-only folder cannot hold the WAL's shared memory
        return sqlite3.connect(f"{target}?immutable=1", uri=True)


def _postgres(url: str) -> Any:
    import psycopg

    rest = url.partition("://")[2]  # postgresql+psycopg://… as libpq spells it
    return psycopg.connect(f"postgresql://{rest}", connect_timeout=2, autocommit=True)


@contextmanager
def _reader(ctx: typer.Context) -> Iterator[_Reader | None]:
    from tracker.config import resolve_url

    url = resolve_url(ctx.find_root().params.get("db"))
    conn = None
    try:
        if url.startswith("sqlite"):
            conn, mark = _sqlite(url), "?"
        elif url.startswith(("postgresql", "postgres")):
            conn, mark = _postgres(url), "%s"
    except Exception:  # completion must never fail loudly: no database, no suggestions
        conn = None
    try:
        yield _Reader(conn, mark) if conn is not None else None
    finally:
        if conn is not None:
            conn.close()


def _ask(ctx: typer.Context, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with _reader(ctx) as db:
        if db is None:
            return []
        try:
            return db.rows(sql, params)
        except Exception:  # not our schema (or not yet): nothing to offer
            return []


def _like_prefix(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


def people(ctx: typer.Context, incomplete: str) -> list[str]:
    """Names and aliases that begin with what was typed (after normalisation)."""
    from tracker.services.names import normalise_name

    rows = _ask(ctx, "SELECT DISTINCT alias FROM person_alias WHERE normalised LIKE ? "
                "ESCAPE '\\' ORDER BY alias LIMIT ?",
                (_like_prefix(normalise_name(incomplete)), LIMIT))
    return [alias for (alias,) in rows]


def _codes(ctx: typer.Context, incomplete: str, table: str) -> list[tuple[str, str]]:
    """(code, name) of a reference table whose code begins with what was typed."""
    rows = _ask(ctx, f"SELECT code, name FROM {table} ORDER BY {_ORDER[table]}")
    return [(code, name) for code, name in rows if code.startswith(incomplete)]


_ORDER = {"contact_kind": "sort_order", "message_kind": "sort_order", "side": "code",
          "field": "sort_order", "contact_outcome": "sort_order"}


def fields(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _codes(ctx, incomplete, "field")


def outcomes(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _codes(ctx, incomplete, "contact_outcome")


def contact_kinds(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _codes(ctx, incomplete, "contact_kind")


def message_kinds(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _codes(ctx, incomplete, "message_kind")


def kinds(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Both registers' kinds (``correct`` takes either)."""
    return contact_kinds(ctx, incomplete) + message_kinds(ctx, incomplete)


def sides(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _codes(ctx, incomplete, "side")


def _numbers(ctx: typer.Context, incomplete: str, codes: str) -> list[str]:
    typed = incomplete.strip().upper()
    found: list[str] = []
    with _reader(ctx) as db:
        if db is None:
            return []
        for code in codes:
            if typed and not (typed.startswith(code) or code.startswith(typed[:1])):
                continue
            prefix = typed if typed.startswith(f"{code}-") else f"{code}-"
            table = {"C": "contact", "M": "message"}[code]
            try:  # the unique index on reg_no answers a prefix as a range, at any size
                found += [n for (n,) in db.rows(
                    f"SELECT reg_no FROM {table} WHERE reg_no >= ? AND reg_no < ? "
                    "ORDER BY reg_no DESC LIMIT ?", (prefix, prefix + "\uffff", LIMIT))]
            except Exception:
                return []
    return found


def reg_numbers(ctx: typer.Context, incomplete: str) -> list[str]:
    """Registration numbers of both registers, newest first."""
    return _numbers(ctx, incomplete, "CM")


def contacts(ctx: typer.Context, incomplete: str) -> list[str]:
    return _numbers(ctx, incomplete, "C")


def messages(ctx: typer.Context, incomplete: str) -> list[str]:
    return _numbers(ctx, incomplete, "M")


def dimensions(ctx: typer.Context, incomplete: str) -> list[str]:
    """What ``--by`` splits a report by (no database needed)."""
    return [d for d in ("field", "side", "initiator", "tag", "outcome") if d.startswith(incomplete)]
