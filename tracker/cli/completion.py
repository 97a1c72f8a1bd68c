"""Shell completion from the database: people by any of their names, registration numbers.

Each function opens the database read-only (a missing or foreign one completes nothing) and
asks one indexed question, so completion stays instant on a large log. Imported by a command
module only when the shell asks for completions.
"""

from __future__ import annotations

from typing import Any

import typer


def _read(ctx: typer.Context) -> Any:
    from tracker.config import resolve_url
    from tracker.db.schema import Access, open_database

    root = ctx.find_root()
    try:
        return open_database(resolve_url(root.params.get("db")), Access.EXISTING)
    except Exception:  # completion must never fail loudly: no database, no suggestions
        return None


def people(ctx: typer.Context, incomplete: str) -> list[str]:
    """Names and aliases that begin with what was typed (after normalisation)."""
    from sqlalchemy import select

    from tracker.models import PersonAlias
    from tracker.services.names import normalise_name

    db = _read(ctx)
    if db is None:
        return []
    wanted = normalise_name(incomplete)
    try:
        with db.read() as session:
            rows = session.execute(select(PersonAlias.alias, PersonAlias.normalised)
                                   .where(PersonAlias.normalised.startswith(wanted,
                                                                            autoescape=True))
                                   .order_by(PersonAlias.alias).limit(50)).all()
    finally:
        db.dispose()
    return list(dict.fromkeys(alias for alias, _ in rows))


def _numbers(ctx: typer.Context, incomplete: str, codes: str) -> list[str]:
    from sqlalchemy import select

    from tracker.services.records.registers import REGISTERS

    db = _read(ctx)
    if db is None:
        return []
    typed = incomplete.strip().upper()
    found: list[str] = []
    try:
        with db.read() as session:
            for code in codes:
                if typed and not (typed.startswith(code) or code.startswith(typed[:1])):
                    continue
                table = REGISTERS[code].record
                prefix = typed if typed.startswith(f"{code}-") else f"{code}-"
                # the unique index on reg_no answers a prefix as a range, at any size
                found += session.scalars(select(table.reg_no)
                                         .where(table.reg_no >= prefix,
                                                table.reg_no < prefix + "\uffff")
                                         .order_by(table.reg_no.desc()).limit(50)).all()
    finally:
        db.dispose()
    return found


def reg_numbers(ctx: typer.Context, incomplete: str) -> list[str]:
    """Registration numbers of both registers, newest first."""
    return _numbers(ctx, incomplete, "CM")


def contacts(ctx: typer.Context, incomplete: str) -> list[str]:
    return _numbers(ctx, incomplete, "C")


def messages(ctx: typer.Context, incomplete: str) -> list[str]:
    return _numbers(ctx, incomplete, "M")
