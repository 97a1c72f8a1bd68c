"""Resolving what a clerk types into rows: kinds, sides, people and registration numbers.

Forgiving in what it accepts (any case, a unique prefix, a partial name, ``c-286``) and strict
in what it returns: an unknown or ambiguous input is refused with the valid choices.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import (
    AmbiguousChoice,
    BadValue,
    NotSeeded,
    RecordNotFound,
    UnknownChoice,
)
from tracker.models import Side, Staff
from tracker.services.records.registers import REGISTERS, Record, Register

if TYPE_CHECKING:
    from tracker.services.people import PersonView

REG_NO = re.compile(r"^\s*([CMcm])-?0*([0-9]{1,9})\s*$")


def choose(value: str, choices: Sequence[str], *, field: str) -> str:
    """The choice ``value`` names exactly (any case) or as the prefix of only one."""
    wanted = value.strip().lower()
    exact = [c for c in choices if c.lower() == wanted]
    if exact:
        return exact[0]
    matches = [c for c in choices if c.lower().startswith(wanted)] if wanted else []
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise AmbiguousChoice(value, matches, field=field)
    raise UnknownChoice(value, choices, field=field)


def kind(session: Session, register: Register, value: str, field: str = "kind") -> str:
    table = register.kind_table
    codes = session.scalars(select(table.code).order_by(table.sort_order)).all()
    return choose(value, codes, field=field)


def field_of_work(session: Session, value: str, field: str = "field") -> str:
    """A field (``political`` …, ``unknown``) by code or unique prefix."""
    from tracker.models import Field

    codes = session.scalars(select(Field.code).order_by(Field.sort_order)).all()
    return choose(value, codes, field=field)


def outcome(session: Session, value: str, field: str = "outcome") -> str:
    """A contact's outcome (``held``, ``no-answer`` …) by code or unique prefix."""
    from tracker.models import ContactOutcome

    codes = session.scalars(select(ContactOutcome.code)
                            .order_by(ContactOutcome.sort_order)).all()
    return choose(value, codes, field=field)


def side(session: Session, value: str, field: str) -> str:
    """A side by code (``S``) or by name prefix (``south``)."""
    sides = session.execute(select(Side.code, Side.name).order_by(Side.code.desc())).all()
    if not sides:
        raise NotSeeded("no sides are defined yet; run `tracker seed` first", field=field)
    wanted = value.strip().lower()
    for code, name in sides:
        if wanted in (code.lower(), name.lower()):
            return code
    by_name = [code for code, name in sides if wanted and name.lower().startswith(wanted)]
    if len(by_name) == 1:
        return by_name[0]
    listed = [f"{code} ({name})" for code, name in sides]
    raise UnknownChoice(value, listed, field=field, what="is not a side")


def staff_label(session: Session, staff: Staff) -> str:
    """A post as the office says it: ``#12 Lee Min-ho (S, official)``."""
    from tracker.services.people import display_names

    name = (display_names(session, [staff.person_id]).get(staff.person_id)
            if staff.person_id is not None else None) or f"unnamed {staff.role}"
    return f"#{staff.id} {name} ({staff.side_code}, {staff.role})"


def person(session: Session, value: str, field: str = "with") -> PersonView:
    """A person by ``#ID`` or any of their names (see ``tracker.services.people.find``)."""
    from tracker.services.people import find

    return find(session, value, field)


def parse_reg_no(value: str, field: str | None = None) -> tuple[Register, str]:
    """A registration number given as ``field`` (or as the command's REG_NO argument)."""
    match = REG_NO.match(value)
    if not match:
        raise BadValue(f"'{value}' is not like C-000123 (contact) or M-000123 (message)",
                       field=field, about=None if field else "registration number")
    register = REGISTERS[match[1].upper()]
    return register, register.format_reg_no(int(match[2]))


def record(session: Session, value: str,
           field: str | None = None) -> tuple[Register, Record]:
    """``(register, Contact | Message)`` for a registration number such as ``c-286``."""
    register, reg_no = parse_reg_no(value, field)
    # select() over a union of two mapped classes is typed as their common base
    found = cast(Record | None, session.scalar(
        select(register.record).where(register.record.reg_no == reg_no)))
    if found is None:
        raise RecordNotFound(f"no {register.noun} {reg_no}", field=field)
    return register, found
