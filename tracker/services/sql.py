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


class year_of(FunctionElement[str]):
    """``YYYY`` of a DATE column."""

    type = String()
    inherit_cache = True


@compiles(year_of, "sqlite")
def _year_sqlite(element: year_of, compiler: Any, **kw: Any) -> str:
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 4)"


@compiles(year_of, "postgresql")
def _year_postgresql(element: year_of, compiler: Any, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY')"


@compiles(year_of)
def _year_default(element: year_of, compiler: Any, **kw: Any) -> str:
    return f"substr(CAST({compiler.process(element.clauses, **kw)} AS VARCHAR(10)), 1, 4)"
