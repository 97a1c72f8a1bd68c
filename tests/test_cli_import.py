"""``tracker import``: files of contacts and messages into a log, as a clerk sees it.

Every test reads what a user would: the command's stdout and stderr, its exit code, and the
log afterwards (``show``, ``contact list``, ``verify``, or a count straight from the tables).
Files are written by hand, byte for byte, as someone else's spreadsheet would be saved.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import Cli, rows_of, scalar

SEEDED_CONTACTS = 285
SEEDED_MESSAGES = 173
PEOPLE = '"[""Chun Hae-sung"", ""Jon Jong-su""]"'


def _file(folder: Path, text: str | bytes, name: str = "contacts.csv") -> Path:
    """Write an import file exactly as given (no newline translation)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def _show(cli: Cli, reg_no: str) -> dict:
    result = cli("show", reg_no, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _count(cli: Cli, table: str) -> int:
    return scalar(cli.url, f"SELECT count(*) FROM {table}")


def _counter(cli: Cli, register: str = "C") -> int:
    return scalar(cli.url, f"SELECT last_no FROM register_counter WHERE register = '{register}'")


def _next_logged(cli: Cli) -> str:
    """The number ``contact log`` gives now."""
    result = cli("contact", "log", "--kind", "other", "--on", "2019-06-03",
                 "--subject", "logged after the import")
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def _new_contacts(cli: Cli) -> dict[str, dict[str, str]]:
    """The contacts after the seeded ones, by number (current versions, voids too)."""
    rows = rows_of(cli("contact", "list", "--include-void", "--format", "csv"))
    return {r["reg_no"]: r for r in rows if int(r["reg_no"][2:]) > SEEDED_CONTACTS}


def _assert_nothing_written(cli: Cli) -> None:
    assert _count(cli, "contact") == SEEDED_CONTACTS
    assert _count(cli, "contact_version") == SEEDED_CONTACTS
    assert _count(cli, "import_file") == 0
    assert _counter(cli) == SEEDED_CONTACTS
    assert _next_logged(cli) == "C-000286"


# --- 1. a hand-written file ---------------------------------------------------------------


def test_a_hand_written_file_is_numbered_in_file_order_and_is_then_a_record_like_any(
        cli, tmp_path):
    path = _file(tmp_path, (
        "date_from,kind,subject,with,tags\n"
        '2019-03-04,working-talks,Railway survey,"[""Chun Hae-sung""]","[""railway""]"\n'
        f"2019-03-05,chief-meeting,Weekly co-chiefs,{PEOPLE},[]\n"
        "2019-03-01,other,Earlier day but later line,[],\n"))
    result = cli("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "contacts.csv: added 3 contacts; 0 already in the log\n"
    assert result.stderr == ""

    new = _new_contacts(cli)
    assert {n: r["subject"] for n, r in new.items()} == {
        "C-000286": "Railway survey",
        "C-000287": "Weekly co-chiefs",
        "C-000288": "Earlier day but later line",
    }
    assert _counter(cli) == 288
    first = _show(cli, "C-000286")
    assert first["provenance"] == "imported"
    assert (first["kind"], first["date"], first["with"], first["tags"]) == (
        "working-talks", "2019-03-04", ["Chun Hae-sung"], ["railway"])
    assert first["recorded_by"] == "test-clerk"
    assert first["versions"] == 1
    assert _show(cli, "C-000287")["with"] == ["Chun Hae-sung", "Jon Jong-su"]

    # an imported record is corrected and voided as a logged one is
    corrected = cli("correct", "C-000286", "--subject", "Railway survey, Kaesong",
                    "--reason", "the place was left out")
    assert corrected.exit_code == 0, corrected.stderr
    assert corrected.stdout == "C-000286: version 2\n"
    voided = cli("void", "C-000287", "--reason", "entered twice")
    assert voided.exit_code == 0, voided.stderr
    assert voided.stdout == "C-000287: void (version 2)\n"
    assert _show(cli, "C-000286")["subject"] == "Railway survey, Kaesong"
    assert _show(cli, "C-000286")["versions"] == 2
    assert _show(cli, "C-000287")["status"] == "void"
    verified = cli("verify")
    assert verified.exit_code == 0, verified.stderr or verified.stdout
    assert [line.split()[-1] for line in verified.stdout.splitlines()[1:]] == ["ok", "ok"]

    # which file, and which line of it, each record came from
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert _count(cli, "import_file") == 1
    assert scalar(cli.url, "SELECT name FROM import_file") == "contacts.csv"
    assert scalar(cli.url, "SELECT sha256 FROM import_file") == sha
    for reg_no, line in (("C-000286", 2), ("C-000287", 3), ("C-000288", 4)):
        assert scalar(cli.url, f"SELECT source_key FROM contact WHERE reg_no = '{reg_no}'") \
            == f"{sha}:{line}"
    assert scalar(cli.url, "SELECT count(*) FROM contact WHERE import_file_id = "
                  "(SELECT id FROM import_file)") == 3
    assert _next_logged(cli) == "C-000289"  # gapless after the import


# --- 2. the same file again; identical lines ----------------------------------------------


def test_importing_the_same_file_again_adds_nothing_even_under_another_name(cli, tmp_path):
    text = ("date_from,kind,subject\n"
            "2019-03-04,working-talks,Railway survey\n"
            "2019-03-05,other,Road survey\n")
    path = _file(tmp_path, text)
    assert cli("import", str(path)).exit_code == 0
    again = cli("import", str(path))
    assert again.exit_code == 0, again.stderr
    assert again.stdout == "contacts.csv: added 0 contacts; 2 already in the log\n"
    renamed = _file(tmp_path / "copy", text, "contacts-march.csv")
    copy = cli("import", str(renamed))
    assert copy.exit_code == 0, copy.stderr
    assert copy.stdout == "contacts-march.csv: added 0 contacts; 2 already in the log\n"
    assert _count(cli, "contact") == SEEDED_CONTACTS + 2
    assert _next_logged(cli) == "C-000288"


def test_two_identical_lines_are_two_meetings(cli, tmp_path):
    path = _file(tmp_path, ("date_from,kind,subject\n"
                            "2019-03-04,working-talks,Railway survey\n"
                            "2019-03-04,working-talks,Railway survey\n"))
    result = cli("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "contacts.csv: added 2 contacts; 0 already in the log\n"
    new = _new_contacts(cli)
    assert sorted(new) == ["C-000286", "C-000287"]
    assert {r["subject"] for r in new.values()} == {"Railway survey"}


# --- 3. external_ref ----------------------------------------------------------------------


def test_a_record_with_an_external_ref_already_imported_is_not_added_from_another_file(
        cli, tmp_path):
    first = _file(tmp_path / "a", ("date_from,kind,subject,external_ref\n"
                                   "2019-04-01,other,Fax about the road,OLD-17\n"
                                   "2019-04-02,other,Call about the railway,OLD-18\n"))
    result = cli("import", str(first))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "contacts.csv: added 2 contacts; 0 already in the log\n"
    second = _file(tmp_path / "b", ("date_from,kind,subject,external_ref,notes\n"
                                    "2019-04-01,other,Fax about the road (again),OLD-17,x\n"
                                    "2019-04-03,other,Visit to the site,OLD-19,\n"))
    result = cli("import", str(second))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "contacts.csv: added 1 contacts; 1 already in the log\n"
    new = _new_contacts(cli)
    assert {n: r["subject"] for n, r in new.items()} == {
        "C-000286": "Fax about the road",  # kept as first imported
        "C-000287": "Call about the railway",
        "C-000288": "Visit to the site",
    }
    assert scalar(cli.url, "SELECT source_key FROM contact WHERE reg_no = 'C-000288'") \
        == "OLD-19"


# --- 4. bad lines -------------------------------------------------------------------------


def test_every_bad_line_is_listed_with_its_line_and_column_and_nothing_is_written(
        cli, tmp_path):
    path = _file(tmp_path, (
        "date_from,kind,subject,with\n"
        "2019-03-04,no-such-kind,a,[]\n"
        "2019-13-45,other,b,[]\n"
        "2099-01-01,other,c,[]\n"
        '2019-03-04,other,d,"[""Nobody Atall""]"\n'
        "2019-03-04,other,,[]\n"
        "2019-03-04,other,e\x07f,[]\n"
        "2018-01-02,other,before the office,[]\n"
        "2019-03-04,other,a good line,[]\n"))
    result = cli("import", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    expected = [
        "Error: contacts.csv line 2, column kind: 'no-such-kind' is not known",
        "Error: contacts.csv line 3, column date_from: '2019-13-45' is not a real date",
        "Error: contacts.csv line 4, column date_from: 2099-01-01 is in the future",
        "Error: contacts.csv line 5, column with: 'Nobody Atall' is no one's name or alias "
        "exactly",
        "Error: contacts.csv line 6, column subject: is required",
        "Error: contacts.csv line 7, column subject: contains a control character (U+0007)",
        "Error: contacts.csv line 8, column date_from: 2018-01-02 is before the office "
        "opened (2018-09-14); pass --before-opening",
    ]
    assert len(lines) == len(expected) + 1, result.stderr
    for line, start in zip(lines, expected, strict=False):
        assert line.startswith(start), (line, start)
    assert lines[-1] == "Error: contacts.csv: 7 bad lines; nothing was imported"
    _assert_nothing_written(cli)


def test_sixty_bad_lines_list_the_first_fifty_and_say_there_are_more(cli, tmp_path):
    rows = "".join(f"2019-03-04,nope,subject {i}\n" for i in range(60))
    path = _file(tmp_path, "date_from,kind,subject\n" + rows)
    result = cli("import", str(path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 52, result.stderr
    assert [int(re.match(r"Error: contacts\.csv line (\d+), column kind: ", line)[1])
            for line in lines[:50]] == list(range(2, 52))
    assert lines[50] == "Error: … and more; 50 are listed"
    assert re.fullmatch(r"Error: contacts\.csv: 50\+? bad lines; nothing was imported",
                        lines[51]), lines[51]
    _assert_nothing_written(cli)


def test_a_with_cell_that_is_not_a_json_list_is_one_bad_line_among_the_others(cli, tmp_path):
    path = _file(tmp_path, ("date_from,kind,subject,with\n"
                            "2019-03-04,nope,a,[]\n"
                            "2019-03-04,other,b,Chun Hae-sung\n"
                            "2019-13-45,other,c,[]\n"))
    result = cli("import", str(path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert [line.split(":")[0:2] for line in lines[:3]] == [
        ["Error", " contacts.csv line 2, column kind"],
        ["Error", " contacts.csv line 3, column with"],
        ["Error", " contacts.csv line 4, column date_from"],
    ], result.stderr
    assert lines[3:] == ["Error: contacts.csv: 3 bad lines; nothing was imported"]
    _assert_nothing_written(cli)


def test_a_bad_cell_is_never_echoed_raw_to_the_terminal(cli, tmp_path):
    # `contact log --on $'2019-03-0\e]0;t\a4'` prints the value as '2019-03-0\x1b]0;t\x074'
    path = _file(tmp_path, ("date_from,kind,subject\n"
                            "2019-03-0\x1b]0;t\x074,other,a\n"
                            "2019-03-04,\u202eother,b\n"))
    result = cli("import", str(path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Error: contacts.csv line 2, column date_from: ")
    assert lines[1].startswith("Error: contacts.csv line 3, column kind: ")
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in result.stderr, repr(result.stderr)
    _assert_nothing_written(cli)


# --- 5. a cell over several physical lines ------------------------------------------------


def test_a_quoted_cell_over_several_lines_keeps_the_line_numbers_right(cli, tmp_path):
    bad = _file(tmp_path / "bad", ("date_from,kind,subject,notes\n"
                                   '2019-03-04,other,multi,"line one\nline two\nline three"\n'
                                   "2019-03-05,bogus,after,\n"))
    result = cli("import", str(bad))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(
        "Error: contacts.csv line 5, column kind: 'bogus' is not known")
    assert len(result.stderr.splitlines()) == 2, result.stderr

    good = _file(tmp_path / "good", ("date_from,kind,subject,notes\n"
                                     '2019-03-04,other,multi,"line one\nline two\nline three"\n'
                                     "2019-03-05,other,after,\n"))
    result = cli("import", str(good))
    assert result.exit_code == 0, result.stderr
    assert _show(cli, "C-000286")["notes"] == "line one\nline two\nline three"
    sha = hashlib.sha256(good.read_bytes()).hexdigest()
    assert scalar(cli.url, "SELECT source_key FROM contact WHERE reg_no = 'C-000287'") \
        == f"{sha}:5"


# --- 6. encodings, delimiters, huge cells -------------------------------------------------


def test_a_file_with_a_byte_order_mark_imports(cli, tmp_path):
    path = _file(tmp_path, "\ufeffdate_from,kind,subject\n2019-03-04,other,Saved by Excel\n")
    result = cli("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "contacts.csv: added 1 contacts; 0 already in the log\n"
    shown = _show(cli, "C-000286")
    assert (shown["date"], shown["subject"]) == ("2019-03-04", "Saved by Excel")


@pytest.mark.parametrize("text, said", [
    ("date_from;kind;subject\n2019-03-04;other;semicolons\n", "holds ';'"),
    ("date_from,kind,subject,colour\n2019-03-04,other,a,red\n", "column 'colour'"),
], ids=["semicolons", "unknown-column"])
def test_a_header_we_cannot_read_is_refused_naming_line_1(cli, tmp_path, text, said):
    result = cli("import", str(_file(tmp_path, text)))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("Error: ")
    assert "line 1:" in result.stderr and said in result.stderr
    _assert_nothing_written(cli)


def test_a_file_that_is_not_utf8_is_refused_naming_a_line(cli, tmp_path):
    path = _file(tmp_path, b"date_from,kind,subject\n2019-03-04,other,ok\n"
                           b"2019-03-04,other,caf\xe9 in Latin-1\n")
    result = cli("import", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert re.fullmatch(r"Error: .*line \d+: not UTF-8 text \(.*\)\n", result.stderr), \
        result.stderr
    _assert_nothing_written(cli)


@pytest.mark.parametrize("rows, bad", [(3, 3), (1000, 500)], ids=["small", "1000-lines"])
def test_the_utf8_error_names_the_line_holding_the_bad_byte(cli, tmp_path, rows, bad):
    lines = [b"date_from,kind,subject"] + [b"2019-03-04,other,row %d" % n
                                           for n in range(2, rows + 1)]
    lines[bad - 1] = b"2019-03-04,other,caf\xe9 in Latin-1"
    result = cli("import", str(_file(tmp_path, b"\n".join(lines) + b"\n")))
    assert result.exit_code == 1
    assert f"line {bad}: not UTF-8 text" in result.stderr, result.stderr
    _assert_nothing_written(cli)


def test_a_cell_longer_than_the_csv_modules_limit_is_a_clean_line_error(cli, tmp_path):
    path = _file(tmp_path, ("date_from,kind,subject\n"
                            "2019-03-04,other,fine\n"
                            f"2019-03-04,other,{'x' * 140_000}\n"))
    result = cli("import", str(path))
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "Error: contacts.csv line 3, column subject: is 140000 characters; "
        "at most 2000 are kept",
        "Error: contacts.csv: 1 bad lines; nothing was imported",
    ]
    _assert_nothing_written(cli)


# --- 7. --dry-run -------------------------------------------------------------------------


def test_a_dry_run_says_what_would_be_added_and_writes_nothing(cli, tmp_path):
    path = _file(tmp_path, ("date_from,kind,subject,with\n"
                            '2019-03-04,working-talks,Railway survey,"[""Chun Hae-sung""]"\n'
                            "2019-03-05,other,Road survey,[]\n"))
    participants = _count(cli, "contact_participant")
    result = cli("import", "--dry-run", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("contacts.csv: would add 2 contacts; 0 already in the log\n"
                             "dry run: nothing was written\n")
    assert _count(cli, "contact_participant") == participants
    assert _count(cli, "contact") == SEEDED_CONTACTS
    assert _count(cli, "contact_version") == SEEDED_CONTACTS
    assert _count(cli, "import_file") == 0
    assert _counter(cli) == SEEDED_CONTACTS
    real = cli("import", str(path))
    assert real.exit_code == 0, real.stderr
    assert real.stdout == "contacts.csv: added 2 contacts; 0 already in the log\n"
    assert sorted(_new_contacts(cli)) == ["C-000286", "C-000287"]
    assert cli("verify").exit_code == 0


def test_a_dry_run_of_a_bad_file_lists_its_bad_lines(cli, tmp_path):
    path = _file(tmp_path, "date_from,kind,subject\n2019-03-04,nope,a\n")
    result = cli("import", "--dry-run", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("Error: contacts.csv line 2, column kind:")
    _assert_nothing_written(cli)


# --- 8. messages --------------------------------------------------------------------------


def test_messages_link_to_a_contact_of_the_log_and_to_a_message_of_the_same_file(
        cli, tmp_path):
    path = _file(tmp_path, (
        "reg_no,sender,recipient,kind,date_from,subject,contact,reply_to\n"
        "M-000900,S,N,notice,2019-03-04,Agenda for Friday,C-000001,\n"
        "M-000901,N,S,notice,2019-03-05,Re: agenda for Friday,,M-000900\n"), "messages.csv")
    result = cli("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "messages.csv: added 2 messages; 0 already in the log\n"
    sent = _show(cli, "M-000174")
    assert (sent["subject"], sent["sender"], sent["recipient"], sent["kind"]) == (
        "Agenda for Friday", "S", "N", "notice")
    assert sent["contact"] == "C-000001"
    assert sent["provenance"] == "imported"
    assert sent["replies"] == ["M-000175"]
    reply = _show(cli, "M-000175")
    assert reply["reply_to"] == "M-000174"
    assert "M-000174" in _show(cli, "C-000001")["messages"]
    assert _counter(cli, "M") == SEEDED_MESSAGES + 2
    assert cli("verify").exit_code == 0


# --- 9. xlsx and JSON lines ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "jsonl"])
def test_an_exported_contacts_file_imports_into_another_log(cli, second_seeded_url, tmp_path,
                                                             fmt):
    logged = cli("contact", "log", "-k", "working-talks", "--on", "2019-02-11",
                 "--subject", "Railway survey: schedule", "--venue", "Kaesong",
                 "--with", "Chun Hae-sung", "--with", "Jon Jong-su", "--tag", "railway",
                 "--note", "two lines\nof notes")
    assert logged.stdout == "C-000286\n", logged.stderr
    out = tmp_path / "export"
    exported = cli("export", "--out", str(out), "--format", fmt)
    assert exported.exit_code == 0, exported.stderr
    target = Cli(second_seeded_url)
    result = target("import", str(out / f"contacts.{fmt}"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (f"contacts.{fmt}: added 1 contacts; "
                             f"{SEEDED_CONTACTS} already in the log\n")
    there = _show(target, "C-000286")
    here = _show(cli, "C-000286")
    assert there["provenance"] == "imported"
    for key in ("date_from", "date_to", "kind", "subject", "venue", "notes", "with",
                "tags", "outcome", "field", "status"):
        assert there[key] == here[key], key
    assert _count(target, "contact") == SEEDED_CONTACTS + 1
    assert target("verify").exit_code == 0


# --- 10. a void row -----------------------------------------------------------------------


def test_a_void_row_without_history_becomes_a_record_made_then_voided(cli, tmp_path):
    path = _file(tmp_path, ("date_from,kind,subject,status,reason\n"
                            "2019-04-05,other,Entered twice,void,a duplicate of C-000120\n"))
    result = cli("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "contacts.csv: added 1 contacts (2 versions); 0 already in the log\n"
    shown = _show(cli, "C-000286")
    assert (shown["status"], shown["versions"]) == ("void", 2)
    assert [(v["version"], v["change"], v["reason"]) for v in shown["history"]] == [
        (1, "created", None), (2, "void", "a duplicate of C-000120")]
    listed = rows_of(cli("contact", "list", "--format", "csv"))
    assert len(listed) == SEEDED_CONTACTS  # a void record is not listed
    assert "C-000286" in _new_contacts(cli)  # but is, with --include-void
    assert cli("verify").exit_code == 0


def test_a_void_row_without_a_reason_is_a_bad_line(cli, tmp_path):
    path = _file(tmp_path, ("date_from,kind,subject,status,reason\n"
                            "2019-04-05,other,fine,,\n"
                            "2019-04-06,other,Entered twice,void,\n"))
    result = cli("import", str(path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Error: contacts.csv line 3, column reason: ")
    assert lines[1:] == ["Error: contacts.csv: 1 bad lines; nothing was imported"]
    _assert_nothing_written(cli)


# --- 11. export, then import into the same log --------------------------------------------


def _adds_nothing(result, contacts: int, messages: int) -> None:
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    for line in lines:
        assert re.fullmatch(r"\w+\.\w+: added 0 \w+; \d+ already in the log", line), line
    assert f"contacts.csv: added 0 contacts; {contacts} already in the log" in lines
    assert f"messages.csv: added 0 messages; {messages} already in the log" in lines


@pytest.mark.parametrize("args", [[], ["--history"]], ids=["current", "history"])
def test_an_export_imported_into_its_own_log_adds_nothing(cli, tmp_path, args):
    tables = ("contact", "contact_version", "message", "message_version", "person", "staff",
              "source", "reported_figure")
    before = {t: _count(cli, t) for t in tables}
    out = tmp_path / "export"
    assert cli("export", "--out", str(out), *args).exit_code == 0
    result = cli("import", str(out))
    _adds_nothing(result, SEEDED_CONTACTS, SEEDED_MESSAGES)
    assert {t: _count(cli, t) for t in tables} == before
    assert _next_logged(cli) == "C-000286"


def test_an_export_with_records_logged_by_hand_imported_into_its_own_log_adds_nothing(
        cli, tmp_path):
    assert cli("contact", "log", "-k", "other", "--on", "2019-05-01", "-s",
               "logged by hand", "-w", "Jon Jong-su").stdout == "C-000286\n"
    assert cli("message", "log", "--sender", "S", "--recipient", "N", "-k", "notice",
               "--on", "2019-05-01", "-s", "sent by hand",
               "--contact", "C-000286").stdout == "M-000174\n"
    out = tmp_path / "export"
    assert cli("export", "--out", str(out)).exit_code == 0
    result = cli("import", str(out))
    _adds_nothing(result, SEEDED_CONTACTS + 1, SEEDED_MESSAGES + 1)
    assert _count(cli, "contact") == SEEDED_CONTACTS + 1
    assert _count(cli, "message") == SEEDED_MESSAGES + 1


# --- 12. the progress bar -----------------------------------------------------------------


@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_a_long_import_with_stderr_not_a_terminal_prints_no_progress_bar(
        seeded_url, tmp_path):
    rows = "".join(f"2019-03-04,other,imported {n}\n" for n in range(6000))
    path = _file(tmp_path, "date_from,kind,subject\n" + rows)
    tracker = Path(sys.executable).parent / "tracker"
    done = subprocess.run([str(tracker), "--db", seeded_url, "import", str(path)],
                          capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert done.stdout == b"contacts.csv: added 6000 contacts; 0 already in the log\n"
    assert scalar(seeded_url, "SELECT count(*) FROM contact") == SEEDED_CONTACTS + 6000


def test_a_staff_file_adds_posts_with_their_people_and_leaves(cli, tmp_path):
    path = _file(tmp_path, "side,role,person,service_from,service_to,leave_reason\n"
                           "S,official,Lee Min-ho,2018-12-03,2019-01-10,reassigned\n"
                           "N,official,,2019-02-01,,\n"
                           "S,officer,Nobody,2019-02-01,,\n", name="staff.csv")
    result = cli("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "staff.csv: added 3 staff; 0 already in the log\n"
    listed = {(r["side"], r["name"], r["role"], r["service_from"], r["service_to"])
              for r in rows_of(cli("staff", "list", "--format", "csv", "--all"))}
    assert ("S", "Lee Min-ho", "official", "2018-12-03", "2019-01-10") in listed
    assert ("S", "Nobody", "officer", "2019-02-01", "") in listed
    again = cli("import", str(path))
    assert again.stdout == "staff.csv: added 0 staff; 3 already in the log\n"
    bad = _file(tmp_path / "bad", "side,role,service_from\nX,official,2019-02-01\n"
                                  "S,,2019-02-01\n", name="staff.csv")
    refused = cli("import", str(bad))
    assert refused.exit_code == 1
    assert "staff.csv line 2, column side: " in refused.stderr
    assert "staff.csv line 3, column role: " in refused.stderr


def test_an_import_takes_names_exactly_keeps_a_hand_written_apostrophe_and_counts_cells(
        cli, tmp_path):
    partial = _file(tmp_path / "a", 'date_from,kind,subject,with\n'
                                    '2019-03-04,other,x,"[""Chun""]"\n')
    result = cli("import", str(partial))
    assert result.exit_code == 1
    assert "line 2, column with: 'Chun' is no one's name or alias exactly" in result.stderr
    short = _file(tmp_path / "b", "date_from,kind,subject,notes\n2019-03-04,other\n")
    result = cli("import", str(short))
    assert result.exit_code == 1
    assert "contacts.csv line 2: 2 cells, but the header has 4 columns" in result.stderr
    # a file written by hand (no export's key columns) is taken as it is
    quoted = _file(tmp_path / "c", "date_from,kind,subject\n2019-03-04,other,'90s talks\n")
    assert cli("import", str(quoted)).exit_code == 0
    assert _show(cli, "C-000286")["subject"] == "'90s talks"


def test_json_lines_that_are_not_text_are_bad_lines(cli, tmp_path):
    path = _file(tmp_path, '{"date_from": "2019-03-04", "kind": "other", "subject": ["x"], '
                           '"tags": []}\n'
                           '{"date_from": "2019-03-04", "kind": "other", "subject": "y", '
                           '"tags": [1]}\n'
                           'not json\n', name="contacts.jsonl")
    result = cli("import", str(path))
    assert result.exit_code == 1
    assert "contacts.jsonl line 1, column subject: is not text" in result.stderr
    assert "contacts.jsonl line 2, column tags: is not a list of texts" in result.stderr
    assert "contacts.jsonl line 3: is not a JSON object" in result.stderr
