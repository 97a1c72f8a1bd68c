"""Bad input to the commands that write the log: refused cleanly and leaving no trace.

For ``contact log``, ``message log``, ``correct`` and ``void`` every bad input must give exactly
one ``Error: <field>: …`` line on stderr, exit 2 (cannot be understood) or 1 (understood but
refused), no traceback, nothing on stdout and nothing written: the row counts of the log
tables, the chain heads and the register counters are the same before and after.

"Today" is pinned to 2019-01-15 through tracker's clock. The seeded log holds C-000001 ..
C-000285 (kinds in seed order: gov-meeting, working-talks, chief-meeting, other; C-000100 is an
``other``) and M-000001 .. M-000173 (all ``unspecified``, sides unknown), dated 2018-09-14 to
2018-12-20; the named staff are Chun Hae-sung and Kim Chang-soo (S) and Jon Jong-su (N).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, insert, select

import tracker.clock
from tracker.models import (
    Base,
    ContactKind,
    ContactVersion,
    MessageKind,
    MessageVersion,
    RegisterCounter,
)

TODAY = dt.date(2019, 1, 15)
COUNTED_TABLES = ("contact", "contact_version", "message", "message_version",
                  "contact_participant", "staff", "staff_leave")
CONTACT_KINDS = ("gov-meeting", "working-talks", "chief-meeting", "other")
MESSAGE_KINDS = ("message", "notice", "document", "unspecified")
NAMED_STAFF = ("Chun Hae-sung", "Kim Chang-soo", "Jon Jong-su")
SIDES = ("S (South Korea)", "N (North Korea)")
SEEDED_CONTACTS = 285
SEEDED_MESSAGES = 173


class StderrNotOneLine(AssertionError):
    """The refusal is right, but stderr holds more than the one ``Error:`` line."""


class FieldNotNamed(AssertionError):
    """The refusal is right, but its ``Error:`` line does not name the field at fault."""


@pytest.fixture(autouse=True)
def pinned_today(isolated_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tracker.clock, "_pinned", dt.datetime.combine(TODAY, dt.time(10)))


Snapshot = dict[str, Any]


@pytest.fixture
def snapshot(cli) -> Iterator[Callable[[], Snapshot]]:
    """What a refused command must leave as it was: row counts, chain heads, counters."""
    engine = create_engine(cli.url)

    def take() -> Snapshot:
        with engine.connect() as conn:
            state: Snapshot = {
                name: conn.execute(
                    select(func.count()).select_from(Base.metadata.tables[name])
                ).scalar_one()
                for name in COUNTED_TABLES
            }
            state["counters"] = {register: last for register, last in conn.execute(
                select(RegisterCounter.register, RegisterCounter.last_no)
            )}
            for version in (ContactVersion, MessageVersion):
                state[f"{version.__tablename__} head"] = conn.execute(
                    select(version.hash).order_by(version.id.desc()).limit(1)
                ).scalar()
        return state

    yield take
    engine.dispose()


# --- building command lines ------------------------------------------------------------------

def contact_log(*extra: str, kind: str | None = "other", on: str | None = "2018-12-01",
                subject: str | None = "Weekly co-chiefs' meeting") -> tuple[str, ...]:
    args = ["contact", "log"]
    for flag, value in (("--kind", kind), ("--on", on), ("--subject", subject)):
        if value is not None:
            args += [flag, value]
    return (*args, *extra)


def message_log(*extra: str, from_: str | None = "S", to: str | None = "N",
                kind: str | None = "notice", on: str | None = "2018-12-01",
                subject: str | None = "Agenda for Friday") -> tuple[str, ...]:
    args = ["message", "log"]
    for flag, value in (("--sender", from_), ("--recipient", to), ("--kind", kind), ("--on", on),
                        ("--subject", subject)):
        if value is not None:
            args += [flag, value]
    return (*args, *extra)


def correct(reg_no: str, *extra: str, reason: str | None = "typo") -> tuple[str, ...]:
    return ("correct", reg_no, *extra, *(("--reason", reason) if reason is not None else ()))


def void(reg_no: str, *extra: str, reason: str | None = "logged twice") -> tuple[str, ...]:
    return ("void", reg_no, *extra, *(("--reason", reason) if reason is not None else ()))


# --- checking one refusal --------------------------------------------------------------------

@dataclass(frozen=True)
class Bad:
    """One bad command line and how it must be refused."""

    args: tuple[str, ...]
    exit_code: int
    error: str  # the one stderr line starts with this, e.g. "Error: --on:"
    mentions: tuple[str, ...] = ()  # … and contains these (the valid choices, say)
    omits: tuple[str, ...] = ()


def bad(args: tuple[str, ...], exit_code: int, error: str, *mentions: str,
        omits: tuple[str, ...] = ()) -> Bad:
    return Bad(args, exit_code, error, mentions, omits)


def assert_no_traceback(result) -> None:
    """Neither a printed traceback nor an exception that escaped the command."""
    for text in (result.output, result.stdout, result.stderr):
        assert "Traceback" not in text, text
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"uncaught {type(result.exception).__name__}: {result.exception}"
    )


def check_refused(cli, snapshot: Callable[[], Snapshot], case: Bad) -> list[AssertionError]:
    """Run one bad command; assert what must hold, return the known-rule breaches found."""
    before = snapshot()
    result = cli(*case.args)
    after = snapshot()
    shown = f"{case.args!r} -> exit {result.exit_code}\nstdout: {result.stdout!r}\n" \
            f"stderr: {result.stderr!r}"

    assert_no_traceback(result)
    assert result.exit_code == case.exit_code, shown
    assert after == before, f"something was written: {shown}"
    assert result.stdout == "", shown
    lines = result.stderr.splitlines()
    errors = [line for line in lines if line.startswith("Error: ")]
    assert len(errors) == 1, shown
    for text in case.mentions:
        assert text in errors[0], f"{text!r} not listed: {shown}"
    for text in case.omits:
        assert text not in errors[0], f"{text!r} listed: {shown}"

    breaches: list[AssertionError] = []
    if not errors[0].startswith(case.error):
        breaches.append(FieldNotNamed(f"expected {case.error!r}…: {shown}"))
    if lines != errors:
        breaches.append(StderrNotOneLine(f"{len(lines)} lines on stderr: {shown}"))
    return breaches


def raise_breaches(breaches: list[AssertionError]) -> None:
    """One exception for all breaches; of their class only when they are all alike."""
    if not breaches:
        return
    kinds = {type(b) for b in breaches}
    cls = kinds.pop() if len(kinds) == 1 else AssertionError
    raise cls("\n\n".join(str(b) for b in breaches))


def ok(result) -> None:
    assert_no_traceback(result)
    assert result.exit_code == 0, result.output


# --- the cases -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    bad: tuple[Bad, ...]
    setup: tuple[tuple[str, ...], ...] = ()  # commands that must succeed first


CASES: dict[str, Case] = {
    "malformed-date": Case((
        bad(contact_log(on="2018-13-45"), 2, "Error: --on:", "2018-13-45"),
        bad(message_log(on="2018/12/01"), 2, "Error: --on:"),
        bad(contact_log("--until", "2018-12-32"), 2, "Error: --until:"),
        bad(contact_log(on="the week after"), 2, "Error: --on:"),
        bad(contact_log(on=""), 2, "Error: --on:"),
        bad(correct("C-000100", "--on", "2018-13-45"), 2, "Error: --on:"),
    )),
    "impossible-date": Case((
        bad(contact_log(on="2018-02-30"), 2, "Error: --on:", "2018-02-30"),
        bad(message_log(on="2018-02-29"), 2, "Error: --on:"),  # 2018 is no leap year
        bad(contact_log(on="2018-13"), 2, "Error: --on:"),  # a month that is not
        bad(contact_log(on="0000-01-01"), 2, "Error: --on:"),
        bad(correct("M-000100", "--until", "2018-11-31"), 2, "Error: --until:"),
    )),
    "until-before-on": Case((
        bad(contact_log("--until", "2018-12-09", on="2018-12-10"), 1, "Error: --until:"),
        bad(message_log("--until", "2018-11", on="2018-12"), 1, "Error: --until:"),
        # the corrected end before the record's own start, 2018-09-14
        bad(correct("C-000100", "--until", "2018-09-01"), 1, "Error: --until:"),
        bad(correct("M-000100", "--on", "2018-12-10", "--until", "2018-12-01"), 1,
            "Error: --until:"),
    )),
    "future-date": Case((
        bad(contact_log(on="2019-01-16"), 1, "Error: --on:", "--allow-future"),
        bad(contact_log(on="next week"), 1, "Error: --on:", "2019-01-22", "--allow-future"),
        bad(contact_log("--until", "2019-02-01", on="2019-01-10"), 1, "Error: --until:"),
        bad(message_log(on="2019-02"), 1, "Error: --on:", "--allow-future"),
        bad(correct("C-000100", "--on", "2019-01-16"), 1, "Error: --on:"),
        bad(correct("M-000100", "--until", "2020-01-01"), 1, "Error: --until:"),
    )),
    "unknown-kind": Case((
        bad(contact_log(kind="conference"), 2, "Error: --kind:", *CONTACT_KINDS),
        bad(contact_log(kind=""), 2, "Error: --kind:", *CONTACT_KINDS),
        bad(message_log(kind="letter"), 2, "Error: --kind:", *MESSAGE_KINDS),
        bad(message_log(kind="chief-meeting"), 2, "Error: --kind:", *MESSAGE_KINDS),
        bad(correct("C-000100", "--kind", "notice"), 2, "Error: --kind:", *CONTACT_KINDS),
        bad(correct("M-000100", "--kind", "other"), 2, "Error: --kind:", *MESSAGE_KINDS),
    )),
    "unknown-side": Case((
        bad(contact_log("--initiated-by", "X"), 2, "Error: --initiated-by:", *SIDES),
        bad(contact_log("--initiated-by", " "), 2, "Error: --initiated-by:", *SIDES),
        bad(message_log(from_="East"), 2, "Error: --sender:", *SIDES),
        bad(message_log(to="Korea"), 2, "Error: --recipient:", *SIDES),
        bad(correct("C-000100", "--initiated-by", "west"), 2, "Error: --initiated-by:"),
        bad(correct("M-000100", "--sender", "X", "--recipient", "N"), 2, "Error: --sender:"),
    )),
    "same-side": Case((
        bad(message_log(from_="S", to="S"), 1, "Error: --recipient:"),
        bad(message_log(from_="south", to="s"), 1, "Error: --recipient:"),
        bad(message_log(from_="N", to="North Korea"), 1, "Error: --recipient:"),
        bad(correct("M-000100", "--sender", "N", "--recipient", "north"), 1, "Error: --recipient:"),
    )),
    "unknown-person": Case((
        bad(contact_log("--with", "Nobody"), 1, "Error: --with:", "'Nobody'", *NAMED_STAFF),
        bad(contact_log("--with", "Kim Chang-soo", "--with", "Kim Jong-un"), 1,
            "Error: --with:", "'Kim Jong-un'", "closest:", "Kim Chang-soo"),
        bad(contact_log("--with", "#0"), 1, "Error: --with:", "#0"),
        bad(correct("C-000100", "--with", "Nobody"), 1, "Error: --with:", *NAMED_STAFF),
    )),
    "ambiguous-or-repeated-person": Case((
        bad(contact_log("--with", "Ch"), 1, "Error: --with:", "several",
            "Chun Hae-sung", "Kim Chang-soo", omits=("Jon Jong-su",)),
        bad(contact_log("--with", "-s"), 1, "Error: --with:", "several", *NAMED_STAFF),
        bad(correct("C-000100", "--with", "Jon", "--with", "ch"), 1, "Error: --with:",
            "several"),
        bad(contact_log("--with", "Chun Hae-sung", "--with", "chun"), 1, "Error: --with:",
            "twice"),
    )),
    "voided-record": Case(
        setup=(void("C-000020"), void("M-000020")),
        bad=(
            bad(correct("C-000020", "--subject", "Talks"), 1, "Error: C-000020:", "void"),
            bad(correct("M-000020", "--kind", "notice"), 1, "Error: M-000020:", "void"),
            bad(void("C-000020"), 1, "Error: C-000020:", "void"),
            bad(void("m-20", reason="again"), 1, "Error: M-000020:", "void"),
        ),
    ),
    "correction-changes-nothing": Case((
        bad(correct("C-000100", "--venue", " joint liaison office, Kaesong "), 1,
            "Error: C-000100:", "changes nothing"),
        bad(correct("C-000100", "--kind", "oth", "--on", "2018-09-14", "--until", "2018-12-20"),
            1, "Error: C-000100:", "changes nothing"),
        bad(correct("C-000100", "--initiated-by", ""), 1, "Error: C-000100:", "changes nothing"),
        bad(correct("M-000100", "--kind", "unspecified"), 1, "Error: M-000100:",
            "changes nothing"),
    )),
    "bad-text": Case((
        bad(contact_log(subject=""), 2, "Error: --subject:"),
        bad(message_log(subject="   "), 2, "Error: --subject:"),
        bad(correct("C-000100", "--subject", ""), 2, "Error: --subject:"),
        bad(contact_log(subject="bell\x07"), 2, "Error: --subject:"),
        bad(contact_log("--note", "x\ud800"), 2, "Error: --note:"),
        bad(contact_log(subject="x" * 2001), 1, "Error: --subject:"),
        bad(contact_log("--venue", "v" * 2001), 1, "Error: --venue:"),
        bad(void("C-000100", reason=" "), 2, "Error: --reason:"),
        bad(correct("C-000100", "--subject", "Talks", reason=""), 2, "Error: --reason:"),
        bad(contact_log("--clerk", " "), 2, "Error: --clerk:"),
        bad(contact_log("--clerk", "y" * 101), 1, "Error: --clerk:"),  # recorded_by holds 100
        bad(void("C-000100", "--clerk", "y" * 101), 1, "Error: --clerk:"),
    )),
    "no-such-record": Case((
        bad(void("C-999999"), 1, "Error: no contact C-999999"),
        bad(correct("M-999999", "--subject", "Talks"), 1, "Error: no message M-999999"),
        bad(void("c-286"), 1, "Error: no contact C-000286"),  # the next, not yet taken
    )),
    "malformed-registration-number": Case((
        bad(void("C-12a"), 2, "Error: registration number:"),
        bad(correct("X-000001", "--subject", "Talks"), 2, "Error: registration number:"),
        bad(void(""), 2, "Error: registration number:"),
        bad(void("C-1234567890"), 2, "Error: registration number:"),
    )),
    "option-not-for-register": Case((
        bad(correct("C-000100", "--sender", "S"), 2, "Error: --sender:"),
        bad(correct("C-000100", "--contact", "C-000001"), 2, "Error: --contact:"),
        bad(correct("M-000100", "--venue", "Panmunjom"), 2, "Error: --venue:"),
        bad(correct("M-000100", "--with", "Kim"), 2, "Error: --with:"),
        bad(correct("M-000100", "--initiated-by", "S"), 2, "Error: --initiated-by:"),
    )),
    "linked-contact": Case(
        setup=(void("C-000030"),),
        bad=(
            bad(message_log("--contact", "C-000030"), 1, "Error: --contact:", "void"),
            bad(message_log("--contact", "M-000001"), 2, "Error: --contact:"),
            bad(correct("M-000100", "--contact", "M-000002"), 2, "Error: --contact:"),
        ),
    ),
    "missing-reason": Case(
        (
            bad(void("C-000100", reason=None), 2, "Error: Missing option '--reason'"),
            bad(correct("C-000100", "--subject", "Talks", reason=None), 2,
                "Error: Missing option '--reason'"),
            bad(correct("M-000100", "--kind", "notice", "-r", reason=None), 2,
                "Error: Option '-r' requires an argument"),
        ),
    ),
    "missing-option-unknown-option-extra-argument": Case(
        (
            bad(contact_log(subject=None), 2, "Error: Missing option '--subject'"),
            bad(contact_log(kind=None), 2, "Error: Missing option '--kind'"),
            bad(message_log(to=None), 2, "Error: Missing option '--recipient'"),
            bad(contact_log("--bogus"), 2, "Error: No such option: --bogus"),
            bad(void("C-000100", "extra"), 2, "Error: Got unexpected extra argument"),
        ),
    ),
    "value-with-a-line-break": Case(
        (
            bad(contact_log(kind="gov\nmeeting"), 2, "Error: --kind:"),
            bad(contact_log(on="2018-12-01\nx"), 2, "Error: --on:"),
            bad(contact_log("--with", "Kim\nJong-un"), 1, "Error: --with:"),
            bad(message_log(from_="S\nN"), 2, "Error: --sender:"),
            bad(void("C-1\nC-2"), 2, "Error: registration number:"),
        ),
    ),
    "linked-contact-unknown": Case(
        (
            bad(message_log("--contact", "C-999999"), 1, "Error: --contact:"),
            bad(message_log("--contact", "286"), 2, "Error: --contact:"),
            bad(correct("M-000100", "--contact", "C-999999"), 1, "Error: --contact:"),
        ),
    ),
    "staff-id-not-a-usable-integer": Case(
        (
            bad(contact_log("--with", "#²"), 1, "Error: --with:"),
            bad(contact_log("--with", "#99999999999999999999"), 1, "Error: --with:"),
            bad(correct("C-000100", "--with", "#²"), 1, "Error: --with:"),
        ),
    ),
    "staff-id-beyond-int4": Case(
        (bad(contact_log("--with", "#9999999999"), 1, "Error: --with:"),),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_refused(name: str, cli, snapshot, engine_name: str,
                              request: pytest.FixtureRequest) -> None:
    case = CASES[name]
    for args in case.setup:
        ok(cli(*args))
    breaches: list[AssertionError] = []
    for one in case.bad:
        breaches += check_refused(cli, snapshot, one)
    raise_breaches(breaches)


def test_ambiguous_kind_prefix_is_refused_with_the_matches(cli, snapshot) -> None:
    """The seeded kinds share no prefix, so add two that do before asking for one."""
    engine = create_engine(cli.url)
    with engine.begin() as conn:
        conn.execute(insert(ContactKind).values(code="other-talks", name="other talks",
                                                is_meeting=True, sort_order=99))
        conn.execute(insert(MessageKind).values(code="note", name="note", sort_order=99))
    engine.dispose()
    cases = (
        bad(contact_log(kind="oth"), 2, "Error: --kind:", "ambiguous", "other, other-talks",
            omits=("gov-meeting",)),
        bad(correct("C-000100", "--kind", "OT"), 2, "Error: --kind:", "ambiguous"),
        bad(message_log(kind="no"), 2, "Error: --kind:", "ambiguous", "notice, note"),
    )
    breaches = [b for one in cases for b in check_refused(cli, snapshot, one)]
    raise_breaches(breaches)
    # An exact code still wins over the longer one it is a prefix of.
    result = cli(*contact_log(kind="other"))
    ok(result)
    assert result.stdout == f"C-{SEEDED_CONTACTS + 1:06d}\n"


def test_correcting_only_the_sender_keeps_the_unknown_receiver(cli) -> None:
    """Seeded messages have unknown sides; giving one end must not invent or blame the other."""
    result = cli(*correct("M-000100", "--sender", "S"))
    assert_no_traceback(result)
    assert result.exit_code == 0, result.stderr
    shown = json.loads(cli("show", "M-000100", "--format", "json").stdout)
    assert (shown["sender"], shown["recipient"], shown["versions"]) == ("S", None, 2)


def test_refused_logs_take_no_number(cli, snapshot) -> None:
    """Numbers are gapless: after refusals the next log gets the very next number."""
    refusals = (
        bad(contact_log(on="2019-01-16"), 1, "Error: --on:"),
        bad(contact_log("--with", "Ch"), 1, "Error: --with:"),
        bad(contact_log(kind="meeting"), 2, "Error: --kind:"),
        bad(contact_log("--clerk", " "), 2, "Error: --clerk:"),
        bad(message_log(from_="N", to="N"), 1, "Error: --recipient:"),
        bad(message_log(subject=""), 2, "Error: --subject:"),
    )
    raise_breaches([b for one in refusals for b in check_refused(cli, snapshot, one)])

    result = cli(*contact_log("--with", "Chun Hae-sung", "--with", "Jon Jong-su",
                              kind="chief"))
    ok(result)
    assert result.stdout == f"C-{SEEDED_CONTACTS + 1:06d}\n"
    raise_breaches(check_refused(cli, snapshot, bad(contact_log(on="2018-02-30"), 2,
                                                    "Error: --on:")))
    result = cli(*message_log("--contact", f"C-{SEEDED_CONTACTS + 1:06d}"))
    ok(result)
    assert result.stdout == f"M-{SEEDED_MESSAGES + 1:06d}\n"
    result = cli(*contact_log(on="yesterday"))
    ok(result)
    assert result.stdout == f"C-{SEEDED_CONTACTS + 2:06d}\n"


# --- any command line at all -----------------------------------------------------------------

def _text(max_size: int) -> st.SearchStrategy[str]:
    return st.text(max_size=max_size)


def _days(start: dt.date, end: dt.date) -> st.SearchStrategy[str]:
    return st.dates(start, end).map(dt.date.isoformat)


# Each value is drawn good or bad (``either``), so that a fair share of the command lines is
# valid and writes a contact, and the rest has one or a few faults. (The free-text draws may
# still hold a control character, which is a fault too: the property holds either way.)
GOOD_KINDS = st.sampled_from([*CONTACT_KINDS, "chief", "GOV", "o", "Working-Talks"])
BAD_KINDS = st.sampled_from(["", " ", "notice", "meeting", "other-x", "x"]) | _text(8)
GOOD_DATES = st.sampled_from(["today", "yesterday", "TODAY", "2018-12"]) \
    | _days(dt.date(2018, 9, 14), TODAY)
BAD_DATES = st.sampled_from(["2018-13-45", "2018-02-30", "2018-13", "2018/12/01", "",
                             "tomorrow", "18-12-01", "2019-01"]) \
    | _days(dt.date(2019, 1, 16), dt.date(2030, 12, 31)) | _text(10)
GOOD_SUBJECTS = st.sampled_from(["Weekly co-chiefs' meeting", "Agenda", " padded "]) \
    | st.text(st.characters(max_codepoint=0xFFFF, exclude_categories=("Cc", "Cs")),
              min_size=1, max_size=20).filter(str.strip)  # Hangul included
BAD_SUBJECTS = st.sampled_from(["", "   ", "bell\x07", "nul\x00", "x" * 2001])
GOOD_PEOPLE = st.sampled_from([*NAMED_STAFF, "kim", "jon jong", "hae-sung", "#1", "#31", "#5"])
BAD_PEOPLE = st.sampled_from(["Ch", "-s", "Nobody", "#0", "#99999", "#²",
                              "#99999999999999999999", ""]) | _text(6)
GOOD_SIDES = st.sampled_from(["S", "N", "s", "south", "North Korea", "nor", ""])
BAD_SIDES = st.sampled_from([" ", "X", "Korea", "SN", "east"])
GOOD_TEXT = st.sampled_from(["joint liaison office, Kaesong", "", "Panmunjom"]) | _text(12)
BAD_TEXT = st.sampled_from(["\x07", "v" * 2001, "x\x1b[0m"])
JUNK = (st.sampled_from(["--bogus", "extra", "--", "-x", "--allow-future=yes", "--kind",
                         "--on", "--with", "-k", "-s", "-w", "--subject=", "--until",
                         "--note", "--venue", "--initiated-by", "--allow-future"])
        | _text(6)).filter(lambda token: token != "--help")


@st.composite
def contact_log_argv(draw: st.DrawFn) -> list[str]:
    def either(good: st.SearchStrategy[str], wrong: st.SearchStrategy[str]) -> str:
        return draw(wrong if draw(st.integers(0, 19)) >= 18 else good)  # bad one time in ten

    options: list[list[str]] = []
    for flag, good, wrong in (("--kind", GOOD_KINDS, BAD_KINDS),
                              ("--on", GOOD_DATES, BAD_DATES),
                              ("--subject", GOOD_SUBJECTS, BAD_SUBJECTS)):
        if draw(st.integers(0, 19)) < 19:  # a required option, left out one time in twenty
            options.append([flag, either(good, wrong)])
    if draw(st.integers(0, 3)) == 0:
        options.append(["--until", either(st.sampled_from(["2018-12", "today"]), BAD_DATES)])
    for _ in range(draw(st.integers(0, 3))):
        options.append(["--with", either(GOOD_PEOPLE, BAD_PEOPLE)])
    for flag, good, wrong in (("--initiated-by", GOOD_SIDES, BAD_SIDES),
                              ("--venue", GOOD_TEXT, BAD_TEXT), ("--note", GOOD_TEXT, BAD_TEXT)):
        if draw(st.booleans()):
            options.append([flag, either(good, wrong)])
    if draw(st.booleans()):
        options.append(["--allow-future"])
    argv = [token for option in draw(st.permutations(options)) for token in option]
    if draw(st.integers(0, 4)) == 0:
        for junk in draw(st.lists(JUNK, min_size=1, max_size=2)):
            argv.insert(draw(st.integers(0, len(argv))), junk)
    return ["contact", "log", *argv]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=contact_log_argv())
def test_any_contact_log_command_line_writes_one_contact_or_nothing(cli, snapshot,
                                                                     argv: list[str]) -> None:
    before = snapshot()
    result = cli(*argv)
    after = snapshot()
    shown = f"{argv!r} -> exit {result.exit_code}\nstdout: {result.stdout!r}\n" \
            f"stderr: {result.stderr!r}"

    assert_no_traceback(result)
    assert result.exit_code in (0, 1, 2), shown
    event(f"exit {result.exit_code}")
    if result.exit_code != 0:
        assert after == before, f"something was written: {shown}"
        assert result.stdout == "", shown
        assert any(line.startswith("Error: ") for line in result.stderr.splitlines()), shown
        return
    number = before["counters"]["C"] + 1
    assert result.stdout == f"C-{number:06d}\n", shown
    assert result.stderr == "", shown
    grew = {name for name in COUNTED_TABLES if after[name] != before[name]}
    assert grew <= {"contact", "contact_version", "contact_participant"}, shown
    assert after["contact"] == before["contact"] + 1, shown
    assert after["contact_version"] == before["contact_version"] + 1, shown
    assert after["counters"] == {**before["counters"], "C": number}, shown
    assert after["message_version head"] == before["message_version head"], shown
