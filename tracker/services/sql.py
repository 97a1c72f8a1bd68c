"""Dialect-specific SQL the ORM has no portable spelling for."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class _date_prefix(FunctionElement[str]):
    """The first ``chars`` characters of a DATE column's ISO text (``pg_format`` there)."""

    type = String()
    inherit_cache = True
    chars: int
    pg_format: str


class month_of(_date_prefix):
    """``YYYY-MM`` of a DATE column."""

    inherit_cache = True
    chars, pg_format = 7, "YYYY-MM"


class year_of(_date_prefix):
    """``YYYY`` of a DATE column."""

    inherit_cache = True
    chars, pg_format = 4, "YYYY"


@compiles(_date_prefix, "sqlite")
def _prefix_sqlite(element: _date_prefix, compiler: Any, **kw: Any) -> str:
    # SQLite stores DATE as ISO text: a month or a year is a prefix of it.
    return f"substr({compiler.process(element.clauses, **kw)}, 1, {element.chars})"


@compiles(_date_prefix, "postgresql")
def _prefix_postgresql(element: _date_prefix, compiler: Any, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, '{element.pg_format}')"


@compiles(_date_prefix)
def _prefix_default(element: _date_prefix, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"substr(CAST({column} AS VARCHAR(10)), 1, {element.chars})"


class id_list(FunctionElement[str]):
    """The values of an integer column of a group, as one comma-separated string."""

    type = String()
    inherit_cache = True


@compiles(id_list, "postgresql")
def _id_list_postgresql(element: id_list, compiler: Any, **kw: Any) -> str:
    return f"string_agg(CAST({compiler.process(element.clauses, **kw)} AS TEXT), ',')"


@compiles(id_list)
def _id_list_default(element: id_list, compiler: Any, **kw: Any) -> str:
    return f"group_concat({compiler.process(element.clauses, **kw)}, ',')"


TEXT_SEPARATOR = "\x1f"  # the unit separator: tags refuse control characters, so never in one


class text_list(FunctionElement[str]):
    """The values of a text column of a group, as one string joined by ``TEXT_SEPARATOR``."""

    type = String()
    inherit_cache = True


@compiles(text_list, "postgresql")
def _text_list_postgresql(element: text_list, compiler: Any, **kw: Any) -> str:
    return f"string_agg({compiler.process(element.clauses, **kw)}, chr(31))"


@compiles(text_list)
def _text_list_default(element: text_list, compiler: Any, **kw: Any) -> str:
    return f"group_concat({compiler.process(element.clauses, **kw)}, char(31))"

