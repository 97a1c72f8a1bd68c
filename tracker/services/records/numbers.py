"""Registration numbers: gapless per register, taken under the register's lock.

Numbers come from a counter row that every write to a register locks (``SELECT … FOR UPDATE``
on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already serialises writers), so a rolled-back
transaction gives its number back. The same lock orders the hash chain.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tracker.errors import CounterOutOfStep
from tracker.models import RegisterCounter
from tracker.services.records.registers import LOCK_ORDER, Register


def lock_register(session: Session, register: Register) -> int:
    """Take the register's lock (kept to the end of the transaction); returns the last number."""
    return session.execute(
        select(RegisterCounter.last_no)
        .where(RegisterCounter.register == register.code)
        .with_for_update()
    ).scalar_one()


def lock_for_writing(session: Session, register: Register) -> None:
    """Lock ``register`` and every register before it in ``LOCK_ORDER`` (no deadlocks)."""
    for each in LOCK_ORDER:
        lock_register(session, each)
        if each is register:
            return


def take_numbers(session: Session, register: Register, count: int = 1) -> list[str]:
    """Reserve the next ``count`` numbers; the row lock is held until the transaction ends."""
    last = lock_register(session, register)
    taken = session.scalar(select(register.record.reg_no)
                           .where(register.record.reg_no == register.format_reg_no(last + 1)))
    if taken is not None:  # someone moved the counter back by hand: never reuse a number
        raise CounterOutOfStep(
            f"registration number {taken} is already taken: the {register.noun} counter "
            "is behind its records; nothing was written (run `tracker verify`, then see "
            "the README on a broken log)")
    session.execute(
        update(RegisterCounter)
        .where(RegisterCounter.register == register.code)
        .values(last_no=last + count)
    )
    return [register.format_reg_no(n) for n in range(last + 1, last + count + 1)]
