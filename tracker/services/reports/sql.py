"""Dialect-specific SQL the ORM has no portable spelling for."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class month_of(FunctionElement[str]):
    """``YYYY-MM`` of a DATE column."""

    type = String()
    inherit_cache = True


@compiles(month_of, "sqlite")
def _month_sqlite(element: month_of, compiler: Any, **kw: Any) -> str:
    # SQLite stores DATE as ISO text: the month is its first seven characters.
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 7)"


@compiles(month_of, "postgresql")
def _month_postgresql(element: month_of, compiler: Any, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


@compiles(month_of)
def _month_default(element: month_of, compiler: Any, **kw: Any) -> str:
    return f"substr(CAST({compiler.process(element.clauses, **kw)} AS VARCHAR(10)), 1, 7)"
