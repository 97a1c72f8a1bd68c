"""Each register lists every event column of its version table as correctable."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, MetaData, String, Table

from tracker.services.records.registers import BOOKKEEPING, REGISTERS, Register


def unlisted(register: Register, table: Table) -> set[str]:
    """Columns of ``table`` the register should list but does not, and listed ones it lacks."""
    event_columns = {c.name for c in table.columns} - BOOKKEEPING - {register.record_fk.key}
    return event_columns ^ set(register.fields)


@pytest.mark.parametrize("code", sorted(REGISTERS))
def test_register_fields_are_the_version_columns_minus_bookkeeping(code):
    register = REGISTERS[code]
    table = register.version.__table__
    assert register.record_fk.key in table.columns
    assert set(register.fields) == (
        {c.name for c in table.columns} - BOOKKEEPING - {register.record_fk.key})
    assert len(register.fields) == len(set(register.fields))  # none listed twice
    assert unlisted(register, table) == set()


@pytest.mark.parametrize("code", sorted(REGISTERS))
def test_a_new_version_column_not_listed_as_correctable_is_caught(code):
    """The check above is not vacuous: a column added to the table alone is reported."""
    register = REGISTERS[code]
    table = register.version.__table__.to_metadata(MetaData())
    table.append_column(Column("weather", String(20)))
    assert unlisted(register, table) == {"weather"}


def test_bookkeeping_names_only_real_columns():
    for register in REGISTERS.values():
        names = {c.name for c in register.version.__table__.columns}
        assert names >= BOOKKEEPING, register.code
