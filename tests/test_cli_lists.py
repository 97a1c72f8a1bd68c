"""``contact list``, ``message list`` and ``staff list`` as a user sees them: the one rule for
periods (``--overlapping`` widens it), ``--sort``/``--reverse``/``--limit``, tidy CSV and
JSON, output that streams (a reader may go away after one line; memory does not grow with the
rows), tables aligned by display width, control characters shown as escapes, and ``$PAGER``
and the terminal's width at a terminal."""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import io
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
import wcwidth

from tests.helpers import ROOT, log, scalar

TRACKER = str(Path(sys.executable).with_name("tracker"))  # the venv's console script
SEEDED_CONTACTS = [f"C-{n:06d}" for n in range(1, 286)]  # all dated 2018-09-14/2018-12-20
SEEDED_MESSAGES = [f"M-{n:06d}" for n in range(1, 174)]
RUN_TIMEOUT_S = 300  # a guard against a hang, never a speed check
sqlite_only = pytest.mark.parametrize("engine_name", ["sqlite"])  # engine-free behaviour


def reg_nos(cli, *args: str) -> list[str]:
    """The registration numbers a list prints as CSV, in order."""
    result = cli(*args, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    return [row["reg_no"] for row in csv.DictReader(io.StringIO(result.stdout))]


def synthetic(url: str, contacts: int, *, seed: int = 1) -> None:
    """Append ``contacts`` synthetic contacts with ``bench/synthetic.py`` (migrating and
    seeding first if the database is empty)."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "synthetic.py"), "--db", url,
         "--contacts", str(contacts), "--seed", str(seed)],
        capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    assert done.returncode == 0, done.stderr


# --- one rule for periods ------------------------------------------------------------------

@pytest.fixture
def periods(cli):
    """Per register: two records inside 2018-09-16..30, one that starts inside and ends in
    October, one wholly in October."""
    for subject, dates in [("inside one", ["--on", "2018-09-17"]),
                           ("inside two", ["--on", "2018-09-20", "--until", "2018-09-22"]),
                           ("straddling", ["--on", "2018-09-29", "--until", "2018-10-02"]),
                           ("october", ["--on", "2018-10-05"])]:
        log(cli, "contact", "log", "--kind", "other", "--subject", subject, *dates)
        log(cli, "message", "log", "--sender", "S", "--recipient", "N", "--kind", "notice",
            "--subject", subject, *dates)
    return cli  # C-000286..C-000289, M-000174..M-000177


PERIODS = {  # (register, period) -> (records inside, records overlapping)
    ("contact", ("--from", "2018-09-16", "--to", "2018-09-30")): (
        ["C-000286", "C-000287"], [*SEEDED_CONTACTS, "C-000286", "C-000287", "C-000288"]),
    ("contact", ("--month", "2018-09")): (
        ["C-000286", "C-000287"], [*SEEDED_CONTACTS, "C-000286", "C-000287", "C-000288"]),
    ("contact", ("--month", "2018-10")): (
        ["C-000289"], [*SEEDED_CONTACTS, "C-000288", "C-000289"]),
    ("contact", ("--from", "2018-09-16")): (
        ["C-000286", "C-000287", "C-000288", "C-000289"],
        [*SEEDED_CONTACTS, "C-000286", "C-000287", "C-000288", "C-000289"]),
    ("contact", ("--to", "2018-09-30")): (
        ["C-000286", "C-000287"], [*SEEDED_CONTACTS, "C-000286", "C-000287", "C-000288"]),
    ("contact", ("--from", "2018-09", "--to", "2018-12")): (
        [*SEEDED_CONTACTS, "C-000286", "C-000287", "C-000288", "C-000289"],
        [*SEEDED_CONTACTS, "C-000286", "C-000287", "C-000288", "C-000289"]),
    ("message", ("--from", "2018-09-16", "--to", "2018-09-30")): (
        ["M-000174", "M-000175"], [*SEEDED_MESSAGES, "M-000174", "M-000175", "M-000176"]),
    ("message", ("--month", "2018-09")): (
        ["M-000174", "M-000175"], [*SEEDED_MESSAGES, "M-000174", "M-000175", "M-000176"]),
    ("message", ("--month", "2018-10")): (
        ["M-000177"], [*SEEDED_MESSAGES, "M-000176", "M-000177"]),
}


def test_a_period_takes_the_records_wholly_inside_it(periods):
    assert {key: reg_nos(periods, key[0], "list", *key[1]) for key in PERIODS} == {
        key: inside for key, (inside, _) in PERIODS.items()}


def test_overlapping_also_takes_the_records_that_touch_it(periods):
    assert {key: reg_nos(periods, key[0], "list", *key[1], "--overlapping")
            for key in PERIODS} == {key: touching for key, (_, touching) in PERIODS.items()}


def test_month_and_from_to_are_not_combined(periods):
    result = periods("contact", "list", "--month", "2018-09", "--from", "2018-09-16")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Error: --month") and len(result.stderr.splitlines()) == 1


# --- order and limit --------------------------------------------------------------------

@pytest.fixture
def ordered(cli):
    for args in [("--kind", "other", "--on", "2018-12-22"),
                 ("--kind", "gov-meeting", "--on", "2018-12-21", "--at", "10:00"),
                 ("--kind", "working-talks", "--on", "2018-12-21", "--at", "09:00"),
                 ("--kind", "chief-meeting", "--on", "2018-12-23"),
                 ("--kind", "other", "--on", "2018-12-21", "--until", "2018-12-24")]:
        log(cli, "contact", "log", *args, "--subject", f"order {args[1]} {args[3]}")
    for day in ("2018-12-23", "2018-12-21", "2018-12-22"):
        log(cli, "message", "log", "--sender", "S", "--recipient", "N", "--kind", "notice",
            "--subject", f"order {day}", "--on", day)
    return cli  # C-000286..C-000290, M-000174..M-000176


ORDERS = {
    (): ["C-000286", "C-000287", "C-000288", "C-000289", "C-000290"],
    ("--sort", "reg_no"): ["C-000286", "C-000287", "C-000288", "C-000289", "C-000290"],
    ("--sort", "reg_no", "--reverse"): ["C-000290", "C-000289", "C-000288", "C-000287",
                                        "C-000286"],
    ("--reverse",): ["C-000290", "C-000289", "C-000288", "C-000287", "C-000286"],
    # by first day, then last day, then time of day
    ("--sort", "date"): ["C-000288", "C-000287", "C-000290", "C-000286", "C-000289"],
    ("--sort", "date", "-r"): ["C-000289", "C-000286", "C-000290", "C-000287", "C-000288"],
    ("--sort", "kind"): ["C-000289", "C-000287", "C-000290", "C-000286", "C-000288"],
    ("--sort", "kind", "--reverse"): ["C-000288", "C-000286", "C-000290", "C-000287",
                                      "C-000289"],
    ("--limit", "2"): ["C-000286", "C-000287"],
    ("--sort", "date", "--limit", "1"): ["C-000288"],
    ("--sort", "date", "--reverse", "-n", "3"): ["C-000289", "C-000286", "C-000290"],
    ("--limit", "99"): ["C-000286", "C-000287", "C-000288", "C-000289", "C-000290"],
}


def test_contact_list_order_and_limit(ordered):
    assert {args: reg_nos(ordered, "contact", "list", "--from", "2018-12-21", *args)
            for args in ORDERS} == ORDERS


def test_message_list_order_and_limit(ordered):
    def listed(*args: str) -> list[str]:
        return reg_nos(ordered, "message", "list", "--from", "2018-12-21", *args)

    assert listed() == ["M-000174", "M-000175", "M-000176"]
    assert listed("--sort", "date") == ["M-000175", "M-000176", "M-000174"]
    assert listed("--sort", "date", "--reverse", "--limit", "2") == ["M-000174", "M-000176"]
    assert listed("--reverse", "--limit", "1") == ["M-000176"]
    assert reg_nos(ordered, "message", "list", "--limit", "3") == SEEDED_MESSAGES[:3]


def test_limit_applies_to_the_whole_log_and_is_at_least_one(ordered):
    assert reg_nos(ordered, "contact", "list", "-n", "2") == ["C-000001", "C-000002"]
    assert reg_nos(ordered, "contact", "list", "--reverse", "-n", "2") == ["C-000290",
                                                                          "C-000289"]
    for command in (("contact", "list"), ("message", "list"), ("staff", "list")):
        result = ordered(*command, "--limit", "0")
        assert result.exit_code == 2 and result.stderr.startswith("Error:"), result.stderr


def test_staff_list_limit(cli):
    result = cli("staff", "list", "--limit", "3", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["id"], r["name"]) for r in rows] == [
        ("1", "Chun Hae-sung"), ("2", "Kim Chang-soo"), ("3", "")]
    everyone = cli("staff", "list", "--format", "csv")
    assert len(list(csv.DictReader(io.StringIO(everyone.stdout)))) > 3
    table = cli("staff", "list", "-n", "1")
    assert table.exit_code == 0, table.stderr
    assert table.stdout.splitlines()[1:] == [
        " 1  S     Chun Hae-sung  co-chief  2018-09-14                in service"]


# --- tidy CSV and JSON -------------------------------------------------------------------

@pytest.fixture
def tidy(cli):
    log(cli, "contact", "log", "--kind", "chief", "--on", "2018-12-21", "--at", "09:30",
        "--subject", "=SUM(A1)", "--with", "Chun", "--with", "Jon", "--tag", "railway",
        "--tag", "forestry survey", "--note", "first line\nsecond; line")
    log(cli, "contact", "log", "--kind", "other", "--on", "2018-12", "--subject",
        "known to the month")
    log(cli, "message", "log", "--sender", "N", "--recipient", "S", "--kind", "notice",
        "--on", "2018-12-22", "--subject", "answer", "--note", "by fax",
        "--contact", "C-000286")
    return cli


def test_contact_csv_is_tidy(tidy):
    result = tidy("contact", "list", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["reg_no", "date_from", "date_to", "time_of_day", "kind",
                             "outcome", "field", "subject", "venue", "initiated_by", "with",
                             "tags", "notes", "status", "recorded_by"]
    assert len(rows) == 287
    for row in rows:  # every row: two ISO dates, in order
        assert dt.date.fromisoformat(row["date_from"]) <= dt.date.fromisoformat(row["date_to"])
        assert isinstance(json.loads(row["with"]), list)
        assert isinstance(json.loads(row["tags"]), list)
    mine = {r["reg_no"]: r for r in rows[-2:]}
    assert mine["C-000286"] == {
        "reg_no": "C-000286", "date_from": "2018-12-21", "date_to": "2018-12-21",
        "time_of_day": "09:30", "kind": "chief-meeting", "outcome": "held",
        "field": "unknown", "subject": "'=SUM(A1)", "venue": "", "initiated_by": "",
        "with": '["Chun Hae-sung", "Jon Jong-su"]', "tags": '["forestry survey", "railway"]',
        "notes": "first line\nsecond; line", "status": "current",
        "recorded_by": "test-clerk"}
    assert (mine["C-000287"]["date_from"], mine["C-000287"]["date_to"]) == (
        "2018-12-01", "2018-12-31")
    assert rows[0]["notes"].startswith("seeded from a reported total")


def test_pandas_reads_the_dates_as_dates(tidy):
    import pandas as pd

    for register in ("contact", "message"):
        result = tidy(register, "list", "--format", "csv")
        assert result.exit_code == 0, result.stderr
        frame = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)
        for column in ("date_from", "date_to"):
            parsed = pd.to_datetime(frame[column], format="%Y-%m-%d", errors="raise")
            assert parsed.notna().all()
        assert (frame["date_from"] <= frame["date_to"]).all()
    frame = pd.read_csv(io.StringIO(tidy("message", "list", "--format", "csv").stdout),
                        keep_default_na=False)
    last = frame.iloc[-1]
    assert (last["reg_no"], last["date_from"], last["notes"], last["contact"]) == (
        "M-000174", "2018-12-22", "by fax", "C-000286")


def test_json_is_tidy(tidy):
    listed = json.loads(log(tidy, "contact", "list", "--from", "2018-12", "--format", "json"))
    assert listed == [
        {"reg_no": "C-000286", "date_from": "2018-12-21", "date_to": "2018-12-21",
         "time_of_day": "09:30", "kind": "chief-meeting", "outcome": "held",
         "field": "unknown", "subject": "=SUM(A1)", "venue": None, "initiated_by": None,
         "with": ["Chun Hae-sung", "Jon Jong-su"], "tags": ["forestry survey", "railway"],
         "notes": "first line\nsecond; line", "status": "current",
         "recorded_by": "test-clerk"},
        {"reg_no": "C-000287", "date_from": "2018-12-01", "date_to": "2018-12-31",
         "time_of_day": None, "kind": "other", "outcome": "held", "field": "unknown",
         "subject": "known to the month", "venue": None, "initiated_by": None, "with": [],
         "tags": [], "notes": None, "status": "current", "recorded_by": "test-clerk"},
    ]
    messages = json.loads(log(tidy, "message", "list", "--format", "json"))
    assert len(messages) == 174
    assert messages[-1] == {
        "reg_no": "M-000174", "date_from": "2018-12-22", "date_to": "2018-12-22",
        "time_of_day": None, "kind": "notice", "field": "unknown", "sender": "N",
        "recipient": "S", "subject": "answer", "contact": "C-000286", "tags": [],
        "notes": "by fax", "status": "current", "recorded_by": "test-clerk"}
    assert all(dt.date.fromisoformat(m["date_from"]) <= dt.date.fromisoformat(m["date_to"])
               for m in messages)
    empty = tidy("contact", "list", "--month", "2017-01", "--format", "json")
    assert empty.exit_code == 0, empty.stderr
    assert empty.stdout == "[]\n"


def test_the_table_keeps_the_compact_date(tidy):
    table = log(tidy, "contact", "list", "--from", "2018-12")
    assert "2018-12-21 09:30" in table and "2018-12-01/2018-12-31" in table
    assert "Chun Hae-sung; Jon Jong-su" in table
    assert "first line" not in table  # notes are for CSV, JSON and show


# --- streaming -----------------------------------------------------------------------------

STREAMED = [("contact", "list", "--format", "csv"), ("contact", "list", "--format", "json"),
            ("contact", "list"), ("contact", "list", "--sort", "date", "--format", "csv"),
            ("search", "e", "--format", "csv"), ("search", "e", "--format", "json"),
            ("search", "e")]


def read_one_line_then_close(url: str, args: tuple[str, ...]) -> dict:
    """Run ``tracker --db URL ARGS`` into a one-page pipe, read one line, close the pipe."""
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)  # far less than the whole list
    proc = subprocess.Popen([TRACKER, "--db", url, *args], stdout=write_end,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end, "rb", buffering=0) as reader:
        first = b""
        while not first.endswith(b"\n"):
            byte = reader.read(1)
            if not byte:
                break
            first += byte
        running = proc.poll() is None  # it cannot have written the rest: the pipe is full
    _, stderr = proc.communicate(timeout=RUN_TIMEOUT_S)
    code = proc.returncode
    return {"first": first.decode().split(",")[0].split()[0] if first.strip() else first,
            "running after one line": running, "code": "0 or 141" if code in (0, 141) else code,
            "stderr": stderr.decode()}


def test_a_reader_that_goes_away_after_one_line_stops_the_list(cli):
    synthetic(cli.url, 5000)
    expected = {"first": "reg_no", "running after one line": True, "code": "0 or 141",
                "stderr": ""}
    assert {args: read_one_line_then_close(cli.url, args) for args in STREAMED} == {
        args: {**expected, "first": "[" if "json" in args else "reg_no"} for args in STREAMED}


PEAK_RSS = (  # run in a fresh interpreter: its children's peak resident set, in kB
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "assert done.returncode == 0, done.stderr\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)
MEASURED = {
    "contact list csv": ("contact", "list", "--format", "csv"),
    "contact list json": ("contact", "list", "--format", "json"),
    "contact list table": ("contact", "list"),
    "contact list by date": ("contact", "list", "--sort", "date", "--format", "csv"),
    "search csv": ("search", "e", "--format", "csv"),
    "search json": ("search", "e", "--format", "json"),
    "search table": ("search", "e"),
}


def peak_rss_kb(url: str, args: tuple[str, ...]) -> int:
    done = subprocess.run([sys.executable, "-c", PEAK_RSS, TRACKER, "--db", url, *args],
                          capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


def test_memory_does_not_grow_with_the_rows(empty_url):
    """The same lists on 2,000 and then 20,000 synthetic contacts: the peak resident set of
    the real ``tracker`` process stays within 1.25 times the smaller one plus 10 MB (holding
    the rows, or leaking a little per row, costs far more: 18,000 rows at 2 kB are 36 MB)."""
    synthetic(empty_url, 2000)
    small = {name: peak_rss_kb(empty_url, args) for name, args in MEASURED.items()}
    synthetic(empty_url, 18000, seed=2)
    assert scalar(empty_url, "SELECT count(*) FROM contact") == 285 + 20000
    large = {name: peak_rss_kb(empty_url, args) for name, args in MEASURED.items()}
    grown = {name: f"{small[name] // 1024} MB -> {large[name] // 1024} MB"
             for name in MEASURED if large[name] > 1.25 * small[name] + 10 * 1024}
    assert grown == {}


# --- tables --------------------------------------------------------------------------------

def column_starts(lines: list[str], marker_of) -> set[int]:
    """The display column at which each line's marker begins."""
    starts = set()
    for line in lines:
        marker = marker_of(line)
        starts.add(wcwidth.wcswidth(line[:line.rindex(marker)]))
    return starts


def test_hangul_subjects_keep_the_columns_aligned(cli):
    for subject in ("개성 회담", "abc", "남북 공동연락사무소 개소식"):
        log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-21", "--subject",
            subject, "--venue", "Kaesong", "--again")
    table = log(cli, "contact", "list", "--from", "2018-12-21").splitlines()
    assert len(table) == 4
    assert len(column_starts(table, lambda line: "venue" if line.startswith("reg_no")
                             else "Kaesong")) == 1
    assert len(column_starts(table, lambda line: "status" if line.startswith("reg_no")
                             else "current")) == 1
    mine = log(cli, "search", "Kaesong", "--sort", "reg_no", "--reverse", "--in", "contacts",
               "--limit", "3").splitlines()
    assert [line[:8] for line in mine] == ["reg_no  ", "C-000288", "C-000287", "C-000286"]
    assert len(column_starts(mine, lambda line: "found_in" if line.startswith("reg_no")
                             else "venue")) == 1


CONTROLS = "\x1b]0;pwned\x07 title \x1b[2J clear \u202e reversed"
SHOWN = "\\x1b]0;pwned\\x07 title \\x1b[2J clear \\u202e reversed"


@pytest.fixture
def hostile(cli, monkeypatch):
    """A contact and a staff post holding an escape sequence and a direction override,
    stored as they came (the clerk's input check, which refuses them, is switched off)."""
    import tracker.services.people
    import tracker.services.records.text
    import tracker.services.records.write
    import tracker.services.staff

    def uncleaned(value, field, *, required=False, max_len=2000):
        return (value.strip() or None) if value is not None else None

    with monkeypatch.context() as patched:
        for module in (tracker.services.records.text, tracker.services.records.write,
                       tracker.services.staff, tracker.services.people):
            patched.setattr(module, "clean_text", uncleaned)
        log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-21", "--subject",
            CONTROLS, "--venue", "\x1b[31mred", "--with", "Chun")
        log(cli, "staff", "add", "--side", "S", "--role", "clerk\u202e", "--name",
            "Evil\x1b[2JName")
    return cli


def test_control_characters_are_shown_as_escapes(hostile):
    shown = {
        "contact list": hostile("contact", "list", "--from", "2018-12-21"),
        "show": hostile("show", "C-000286"),
        "staff list": hostile("staff", "list", "--side", "S", "--limit", "100"),
        "search": hostile("search", "pwned"),
        "history": hostile("history", "C-000286"),
    }
    for name, result in shown.items():
        assert result.exit_code == 0, (name, result.stderr)
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout, name
        assert "\x07" not in result.stdout, name
    for name in ("contact list", "show", "search"):
        assert SHOWN in shown[name].stdout, name
    assert "\\x1b[31mred" in shown["contact list"].stdout
    assert "Evil\\x1b[2JName" in shown["staff list"].stdout
    assert "clerk\\u202e" in shown["staff list"].stdout
    # the data formats carry the text as stored
    data = json.loads(log(hostile, "show", "C-000286", "--format", "json"))
    assert (data["subject"], data["venue"]) == (CONTROLS, "\x1b[31mred")
    rows = list(csv.DictReader(io.StringIO(log(hostile, "contact", "list", "--from",
                                               "2018-12-21", "--format", "csv"))))
    assert rows[0]["subject"] == CONTROLS


def test_an_error_message_shows_the_input_escaped(cli):
    for args in (("show", "C-\x1b[2J"), ("show", "C-\u202e1"),
                 ("contact", "list", "--kind", "\x1b]0;pwned\x07")):
        result = cli(*args)
        assert result.exit_code != 0, args
        assert result.stderr.startswith("Error:") and len(result.stderr.splitlines()) == 1
        assert "\x1b" not in result.stderr and "\u202e" not in result.stderr, args
        assert "\x07" not in result.stderr, args
        assert "\\x1b" in result.stderr or "\\u202e" in result.stderr, result.stderr


# --- at a terminal ------------------------------------------------------------------------

def at_terminal(url: str, args: tuple[str, ...], env: dict[str, str], *,
                columns: int = 80) -> tuple[int, str, str]:
    """Run ``tracker --db URL ARGS`` with a pseudo-terminal of ``columns`` as its stdout;
    returns the exit code, what reached the terminal (lines joined by ``\\n``) and stderr."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("COLUMNS", "LINES", "PAGER", "TRACKER_PAGER", "LESS")}
    proc = subprocess.Popen([TRACKER, "--db", url, *args], stdout=slave,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            env={**environment, **env})
    os.close(slave)
    shown = b""
    deadline = time.monotonic() + RUN_TIMEOUT_S  # a guard against a hang only
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1.0)
        if not ready:
            if proc.poll() is not None:
                break
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every writer closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    _, stderr = proc.communicate(timeout=RUN_TIMEOUT_S)
    return proc.returncode, shown.decode().replace("\r\n", "\n"), stderr.decode()


@pytest.fixture
def pager(tmp_path):
    """A ``$PAGER`` that notes it ran and keeps what it was given."""
    script = tmp_path / "pager.sh"
    script.write_text(f"#!/bin/sh\ntouch '{tmp_path}/pager-ran'\n"
                      f"cat > '{tmp_path}/paged.txt'\n")
    script.chmod(0o755)
    return script


@sqlite_only
def test_at_a_terminal_the_list_goes_through_the_pager(cli, pager, tmp_path):
    code, shown, stderr = at_terminal(cli.url, ("contact", "list"), {"PAGER": str(pager)})
    assert (code, stderr) == (0, "")
    assert (tmp_path / "pager-ran").exists()
    paged = (tmp_path / "paged.txt").read_text().splitlines()
    assert paged[0].startswith("reg_no") and len(paged) == 286
    assert paged[-1].startswith("C-000285")
    assert shown == ""  # everything went to the pager


@sqlite_only
def test_tracker_pager_wins_over_pager(cli, pager, tmp_path):
    code, _, stderr = at_terminal(cli.url, ("message", "list"),
                                  {"TRACKER_PAGER": str(pager), "PAGER": "no-such-pager"})
    assert (code, stderr) == (0, "")
    assert (tmp_path / "paged.txt").read_text().splitlines()[-1].startswith("M-000173")


@sqlite_only
@pytest.mark.parametrize("how", ["--no-pager", "cat", "empty"])
def test_no_pager_prints_to_the_terminal(cli, pager, tmp_path, how):
    args = ("contact", "list", "--no-pager") if how == "--no-pager" else ("contact", "list")
    env = {"PAGER": {"--no-pager": str(pager), "cat": "cat", "empty": ""}[how]}
    code, shown, stderr = at_terminal(cli.url, args, env, columns=200)
    assert (code, stderr) == (0, "")
    assert not (tmp_path / "pager-ran").exists()
    lines = shown.splitlines()
    assert lines[0].startswith("reg_no") and lines[-1].startswith("C-000285")
    assert len(lines) == 286


@sqlite_only
def test_a_pipe_never_gets_a_pager(cli, pager, tmp_path):
    done = subprocess.run([TRACKER, "--db", cli.url, "contact", "list"], capture_output=True,
                          text=True, env={**os.environ, "PAGER": str(pager),
                                          "TRACKER_PAGER": str(pager)},
                          timeout=RUN_TIMEOUT_S)
    assert (done.returncode, done.stderr) == (0, "")
    assert not (tmp_path / "pager-ran").exists()
    assert len(done.stdout.splitlines()) == 286


LONG_SUBJECT = "Joint survey of the Gyeongui and Donghae railway lines " * 3
LONG_VENUE = "the joint liaison office in the Kaesong industrial complex, room 301"


@pytest.fixture
def long_texts(cli):
    log(cli, "contact", "log", "--kind", "working-talks", "--on", "2018-12-21",
        "--subject", LONG_SUBJECT.strip(), "--venue", LONG_VENUE, "--with", "Chun",
        "--with", "Jon", "--tag", "railway", "--tag", "survey of the western line")
    log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-22",
        "--subject", "개성 공단 " * 20, "--venue", "개성")
    log(cli, "message", "log", "--sender", "S", "--recipient", "N", "--kind", "notice",
        "--on", "2018-12-22", "--subject", LONG_SUBJECT.strip(), "--tag", "railway")
    return cli


FITTED = {
    "search": ("search", "railway"),
    "staff list": ("staff", "list"),
    "contact list": ("contact", "list", "--from", "2018-12-21"),
    "message list": ("message", "list", "--from", "2018-12-21"),
}


@sqlite_only
@pytest.mark.parametrize("columns", [80, 160])
@pytest.mark.parametrize("name", list(FITTED))
def test_at_a_terminal_a_table_fits_its_width(long_texts, name, columns):
    code, shown, stderr = at_terminal(long_texts.url, (*FITTED[name], "--no-pager"), {},
                                      columns=columns)
    assert (code, stderr) == (0, "")
    lines = shown.splitlines()
    assert len(lines) >= 2
    too_wide = {wcwidth.wcswidth(line) for line in lines} - set(range(columns + 1))
    assert too_wide == set(), f"lines of {sorted(too_wide)} columns at a {columns}-column " \
                              f"terminal:\n{shown}"
    if name != "staff list":  # the long subjects are cut, and say so
        cut = [line for line in lines[1:] if line.startswith(("C-", "M-"))]  # every record
        assert cut and all("…" in line for line in cut), shown
        assert LONG_SUBJECT.strip() not in shown


@sqlite_only
def test_a_pipe_gets_every_character(long_texts):
    done = subprocess.run([TRACKER, "--db", long_texts.url, "contact", "list", "--from",
                           "2018-12-21"], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "80"}, timeout=RUN_TIMEOUT_S)
    assert (done.returncode, done.stderr) == (0, "")
    assert LONG_SUBJECT.strip() in done.stdout and "…" not in done.stdout
    assert "railway; survey of the western line" in done.stdout


def test_a_day_without_a_time_sorts_before_its_timed_records_on_both_engines(cli):
    """SQLite puts NULL first and PostgreSQL last: the order must not depend on the engine."""
    for at in ("14:00", None, "09:00"):
        log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-20", "--subject",
            f"at {at}", *(("--at", at) if at else ()), "--again")
    shown = reg_nos(cli, "contact", "list", "--from", "2018-12-20", "--to", "2018-12-20",
                    "--sort", "date")
    assert shown == ["C-000287", "C-000288", "C-000286"]
    assert reg_nos(cli, "contact", "list", "--from", "2018-12-20", "--to", "2018-12-20",
                   "--sort", "date", "--reverse") == shown[::-1]


def test_stored_text_in_a_one_line_answer_is_shown_escaped(cli):
    result = cli("person", "add", "Evil\u200fName", "--side", "N")
    assert result.exit_code == 0, result.stderr
    assert "Evil\\u200fName" in result.stdout and "\u200f" not in result.stdout
