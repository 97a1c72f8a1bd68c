"""Checking the log against its own hash chains: ``tracker verify``.

Each register's versions are read in the order they were written (by id) and every hash is
recomputed from the row's content and the previous row's hash. The rows are streamed, so
memory does not grow with the log. Besides the chain, the register's records must be
numbered 1..N without a gap, each must have a version, and the counter must stand at N.

What it can tell, and what it cannot: a changed, removed, inserted or reordered version
breaks the chain at that row or the next. A log cut back to an earlier state, or rewritten
and re-hashed consistently from some point on, is a valid chain; only a head saved earlier
(``--save``, ``--head``) shows that it is no longer the log it was.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Select, exists, func, select
from sqlalchemy.orm import Session

from tracker.clock import utcnow
from tracker.models import ChainCheck, ContactParticipant, RegisterCounter
from tracker.services.records.chain import (
    GENESIS_HASH,
    chain_head,
    version_content,
    version_hash,
)
from tracker.services.records.registers import REGISTERS, Register
from tracker.services.records.text import clean_clerk
from tracker.services.sql import TEXT_SEPARATOR, id_list, text_list

BATCH = 5000


@dataclass
class Break:
    """The first thing in a register that does not match."""

    register: str
    reg_no: str | None
    version_no: int | None
    what: str
    stored_hash: str | None = None  # the hash the broken version row holds

    @property
    def key(self) -> tuple[str, str | None, int | None, str | None]:
        return (self.register, self.reg_no, self.version_no, self.stored_hash)

    def describe(self) -> str:
        where = self.reg_no or f"register {self.register}"
        if self.version_no is not None:
            where += f" version {self.version_no}"
        return f"{where}: {self.what}"


@dataclass
class RegisterCheck:
    register: str
    noun: str
    versions: int = 0
    records: int = 0
    head: str = GENESIS_HASH
    saved_head_found: bool = False
    broken: Break | None = None
    accepted: list[Break] = field(default_factory=list)  # known breaks an administrator accepted


def versions_query(register: Register) -> Select[Any]:
    """Every version of the register in the order written, with what its hash covers."""
    v = register.version.__table__
    r = register.record.__table__
    s = v.alias("superseded")
    sr = r.alias("superseded_record")
    fk = v.c[register.record_fk.key]
    columns = [
        v.c.id, r.c.reg_no, v.c.version_no, v.c.is_void, v.c.reason, v.c.recorded_at,
        v.c.recorded_by, v.c.prev_hash, v.c.hash, fk.label("record_id"),
        s.c.hash.label("superseded_hash"), s.c.version_no.label("superseded_no"),
        s.c[register.record_fk.key].label("superseded_record"),
        sr.c.reg_no.label("superseded_reg_no"),
        v.c.supersedes_id,
        *(v.c[name] for name in register.fields),
    ]
    if register.has_participants:
        p = ContactParticipant.__table__
        columns.append(select(id_list(p.c.person_id)).where(p.c.version_id == v.c.id)
                       .scalar_subquery().label("participants"))
    t = register.tag_table.__table__
    columns.append(select(text_list(t.c.tag)).where(t.c.version_id == v.c.id)
                   .scalar_subquery().label("tags"))
    return (select(*columns)
            .select_from(v.outerjoin(r, r.c.id == fk)
                         .outerjoin(s, s.c.id == v.c.supersedes_id)
                         .outerjoin(sr, sr.c.id == s.c[register.record_fk.key]))
            .order_by(v.c.id))


def _versions(conn: Connection, register: Register) -> Iterator[Any]:
    result = conn.execution_options(stream_results=True, max_row_buffer=BATCH).execute(
        versions_query(register))
    yield from result.yield_per(BATCH)


def _participant_ids(value: str | None) -> list[int]:
    return [int(x) for x in value.split(",")] if value else []


def _tag_list(value: str | None) -> list[str]:
    return value.split(TEXT_SEPARATOR) if value else []


def check_register(conn: Connection, register: Register, saved_head: str | None = None,
                   accepted: frozenset[tuple[str, str | None, int | None, str | None]]
                   = frozenset()) -> RegisterCheck:
    """Walk one register's chain; ``saved_head`` is a head it must still contain, and
    ``accepted`` holds breaks an administrator accepted (walked past, listed apart)."""
    check = RegisterCheck(register.code, register.noun,
                          saved_head_found=saved_head in (None, GENESIS_HASH))
    check.broken = _walk_chain(conn, register, check, saved_head, accepted)
    if check.broken is None:
        check.broken = _numbering_problem(conn, register, check)
    return check


def _walk_chain(conn: Connection, register: Register, check: RegisterCheck,
                saved_head: str | None,
                accepted: frozenset[tuple[str, str | None, int | None, str | None]]
                ) -> Break | None:
    """Recompute the chain; ``check.head`` ends at the last version that matched.

    Rows are unpacked by position (the order of ``versions_query``): a mapping per row cost
    a third of the time at a million versions.
    """
    head = GENESIS_HASH
    before_head: str | None = None  # the previous row's own prev_hash
    names = register.fields
    n_fields = len(names)
    with_participants = register.has_participants
    code = register.code
    for row in _versions(conn, register):
        (_, reg_no, version_no, is_void, reason, recorded_at, recorded_by, prev_hash, stored,
         record_id, superseded_hash, superseded_no, superseded_record, superseded_reg_no,
         supersedes_id, *rest) = row
        check.versions += 1
        if reg_no is None:
            return Break(code, f"a {register.noun} (record id {record_id})", version_no,
                         "its record is missing")
        content = version_content(
            register, reg_no=reg_no, version_no=version_no, supersedes_hash=superseded_hash,
            is_void=is_void, reason=reason, recorded_at=recorded_at, recorded_by=recorded_by,
            participants=_participant_ids(rest[n_fields]) if with_participants else [],
            fields=dict(zip(names, rest[:n_fields], strict=True)), tags=_tag_list(rest[-1]),
        )
        problem: Break | None = None
        link = None if version_no == 1 and supersedes_id is None else _link_problem(
            register, version_no=version_no, supersedes_id=supersedes_id,
            superseded_hash=superseded_hash, superseded_no=superseded_no,
            superseded_record=superseded_record, superseded_reg_no=superseded_reg_no,
            record_id=record_id)
        if link:
            problem = Break(code, reg_no, version_no, link, stored)
        elif prev_hash != head:
            if prev_hash == before_head:
                what = "a version was inserted before this one (both follow the same version)"
            elif version_hash(prev_hash, content) == stored:
                what = ("chain order broken: the version before this one is missing or "
                        "not the one it followed")
            else:
                what = "chain order broken and content changed"
            problem = Break(code, reg_no, version_no, what, stored)
        elif version_hash(head, content) != stored:
            problem = Break(code, reg_no, version_no,
                            "content changed: the stored hash does not match the row", stored)
        if problem is not None:
            if problem.key not in accepted:
                return problem
            check.accepted.append(problem)  # walk on from the row as it stands
        before_head, head = head, stored
        check.head = head
        if head == saved_head:
            check.saved_head_found = True
    return None


def _link_problem(register: Register, *, version_no: int, supersedes_id: int | None,
                  superseded_hash: str | None, superseded_no: int | None,
                  superseded_record: int | None, superseded_reg_no: str | None,
                  record_id: int) -> str | None:
    """A version that does not supersede its record's previous version."""
    if version_no == 1:
        return "a first version supersedes another" if supersedes_id is not None else None
    if supersedes_id is None:
        return f"version {version_no} supersedes nothing"
    if superseded_hash is None:
        return "a version missing: the version it supersedes is gone"
    if superseded_record != record_id:
        return (f"supersedes version {superseded_no} of another {register.noun}, "
                f"{superseded_reg_no}")
    if superseded_no != version_no - 1:
        return f"supersedes version {superseded_no}, not the one before it"
    return None


def _numbering_problem(conn: Connection, register: Register,
                       check: RegisterCheck) -> Break | None:
    r = register.record.__table__
    v = register.version.__table__
    expected = 0
    for (reg_no,) in conn.execution_options(stream_results=True, max_row_buffer=BATCH).execute(
            select(r.c.reg_no).order_by(r.c.id)).yield_per(BATCH):
        expected += 1
        if reg_no != register.format_reg_no(expected):
            return Break(register.code, reg_no, None,
                         f"registration numbers out of sequence: expected "
                         f"{register.format_reg_no(expected)} here (a gap or a reordering)")
    check.records = expected
    orphan = conn.execute(
        select(r.c.reg_no)
        .where(~exists().where(v.c[register.record_fk.key] == r.c.id))
        .order_by(r.c.id).limit(1)
    ).scalar()
    if orphan is not None:
        return Break(register.code, orphan, None, "the record has no version")
    counter = conn.execute(select(RegisterCounter.last_no)
                           .where(RegisterCounter.register == register.code)).scalar()
    if counter is None:
        return Break(register.code, None, None, "the register's counter is missing")
    if counter != expected:
        side = "ahead of" if counter > expected else "behind"
        return Break(register.code, None, None,
                     f"the counter ({counter}) is {side} the records (last "
                     f"{register.format_reg_no(expected) if expected else 'none'})")
    return None


@dataclass
class Verification:
    registers: list[RegisterCheck]
    missing_heads: dict[str, str] = field(default_factory=dict)  # register -> saved head

    @property
    def ok(self) -> bool:
        return not self.missing_heads and all(c.broken is None for c in self.registers)

    @property
    def heads(self) -> dict[str, str]:
        return {c.register: c.head for c in self.registers}


def verify(conn: Connection, *, expected_heads: Mapping[str, str] | None = None
           ) -> Verification:
    """Check every register; a register stops at its first break, the others still run."""
    wanted = dict(expected_heads or {})
    accepted = accepted_breaks(conn)
    checks = [check_register(conn, register, wanted.get(code), accepted)
              for code, register in REGISTERS.items()]
    result = Verification(checks)
    for check in checks:
        if not check.saved_head_found and check.broken is None:
            result.missing_heads[check.register] = wanted[check.register]
    return result


def accepted_breaks(conn: Connection
                    ) -> frozenset[tuple[str, str | None, int | None, str | None]]:
    c = ChainCheck.__table__
    rows = conn.execute(select(c.c.register, c.c.reg_no, c.c.version_no, c.c.stored_hash)
                        .where(c.c.status == "accepted"))
    return frozenset((r, n, v, h) for r, n, v, h in rows)


def record_results(session: Session, result: Verification, *, accept: str | None,
                   clerk: str) -> int:
    """Keep this run's result per register; with ``accept``, its breaks become accepted.

    Returns how many breaks were accepted. The rows are what every report reads to say
    whether the log was last found intact.
    """
    now = utcnow()
    accepted = 0
    for check in result.registers:
        broken = check.broken
        status = "ok" if broken is None else "broken"
        if broken is not None and accept is not None and broken.version_no is not None:
            status = "accepted"
            accepted += 1
        session.add(ChainCheck(
            register=check.register, status=status, versions=check.versions, head=check.head,
            reg_no=broken.reg_no if broken else None,
            version_no=broken.version_no if broken else None,
            stored_hash=broken.stored_hash if broken else None,
            what=broken.what[:2000] if broken else None,
            reason=accept if status == "accepted" else None,
            checked_at=now, checked_by=clean_clerk(clerk),
        ))
    session.flush()
    return accepted


@dataclass(frozen=True)
class LogState:
    """What a report says about the log: its heads now, and the last verify's finding."""

    heads: dict[str, str]
    broken: list[str]  # "C-000003 version 1: content changed … (verify at …)", if any

    def document(self) -> dict[str, Any]:
        return {"heads": self.heads, "broken": self.broken or None}

    def properties(self) -> dict[str, str]:
        """As document properties of a spreadsheet."""
        props = {f"tracker log head {code}": head for code, head in self.heads.items()}
        if self.broken:
            props["tracker log broken"] = "; ".join(self.broken)
        return props


def log_state(session: Session) -> LogState:
    """The chain heads and, per register, a break the newest ``verify`` run found."""
    heads = {code: chain_head(session, register) for code, register in REGISTERS.items()}
    newest = (select(func.max(ChainCheck.id)).where(ChainCheck.status != "accepted")
              .group_by(ChainCheck.register))
    broken = [
        f"{c.reg_no or 'register ' + c.register}"
        f"{f' version {c.version_no}' if c.version_no else ''}: {c.what} "
        f"(found by tracker verify at {c.checked_at:%Y-%m-%d %H:%M} UTC)"
        for c in session.scalars(select(ChainCheck).where(ChainCheck.id.in_(newest),
                                                          ChainCheck.status == "broken")
                                 .order_by(ChainCheck.register))
    ]
    return LogState(heads, broken)
