"""Export, then import into another log: the same records, the same history, the same reports.

A property-based test writes arbitrary text into every text field a clerk fills (subjects,
venues, notes, reasons, tags, people's names and affiliations): Hangul, line breaks, text that
begins with ``=``, ``+``, ``-`` or ``@`` (which the export neutralises) and text that itself
begins with an apostrophe followed by one of those (which must come back as it was). Each
example logs new records in the source log (with a correction, a void and a restore, a
message linked to a contact and a reply), exports the whole log (CSV, JSON lines or xlsx, with
``--history``), and imports the directory into the target log, which holds everything earlier
examples brought: only the new records are added, and each reads back exactly as it was
logged. What cannot be the same is said so: an imported record's provenance is ``imported``
and its versions are links of the target log's own hash chain.
"""

from __future__ import annotations

import csv
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import Cli
from tracker.services.records.text import REFUSED

# Text as a clerk may store it: no control character but tab and line feed, not blank, and
# trimmed (what the log stores is trimmed, so nothing else can come back).
LEADS = ["", "=", "+", "-", "@", "'", "'=", "'+", "'-", "'@", "''", "'\t=", "=-", "@@"]
BODY = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
        st.sampled_from("한글가나다\n\t =+-@',;\""),
    ),
    max_size=25,
)


def _text(lead: str, body: str) -> str:
    return (lead + body).strip()


TEXT = st.builds(_text, st.sampled_from(LEADS), BODY).filter(
    lambda t: bool(t) and not REFUSED.search(t) and len(t) <= 300)
ONE_LINE = TEXT.filter(lambda t: "\n" not in t and "\t" not in t
                       and len(" ".join(t.casefold().split())) <= 60)
NAME = ONE_LINE.filter(lambda t: any(ch.isalnum() for ch in t) and len(t) <= 100)


def _ok(result) -> str:
    assert result.exit_code == 0, result.stderr or result.stdout
    return result.stdout


def _record(cli: Cli, reg_no: str) -> tuple[dict, list]:
    shown = json.loads(_ok(cli("show", reg_no, "--format", "json")))
    for what_differs in ("provenance", "hash"):
        shown.pop(what_differs)
    shown.pop("imported_from", None)  # only the target's records were imported
    history = json.loads(_ok(cli("history", reg_no, "--format", "json")))
    for version in history:
        version.pop("hash")
    shown.pop("history")
    return shown, history


def _summary(cli: Cli) -> dict:
    """The summary, but for the chain heads (each log has its own chain)."""
    summary = json.loads(_ok(cli("report", "summary", "--format", "json")))
    summary.pop("log")
    return summary


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx"])
def test_export_then_import_gives_the_same_records_history_and_reports(
        seeded_url, second_seeded_url, tmp_path, fmt):
    examples = iter(range(1000))
    source, target = Cli(seeded_url), Cli(second_seeded_url)

    @settings(max_examples=12 if fmt == "csv" else 4, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(subject=TEXT, venue=TEXT, notes=TEXT, reason=TEXT, tag=ONE_LINE,
           name=NAME, affiliation=TEXT, message=TEXT, correction=TEXT)
    def round_trip(subject, venue, notes, reason, tag, name, affiliation, message,
                   correction):
        n = next(examples)
        person = _ok(source("person", "add", "--side", "N", f"--affiliation={affiliation}",
                            "--new", "--", name))
        person_id = person.split()[0]
        contact = _ok(source("contact", "log", "-k", "working-talks", "--on", "2019-01-10",
                             f"--subject={subject}", f"--venue={venue}",
                             f"--note={notes}", f"--with={person_id}",
                             "--with=Chun Hae-sung", f"--tag={tag}", "--again")).strip()
        other = _ok(source("contact", "log", "-k", "chief-meeting", "--on", "2019-01",
                           f"--subject={message}", "--outcome", "postponed",
                           "--again")).strip()
        _ok(source("correct", contact, f"--subject={correction}", f"--reason={reason}"))
        _ok(source("void", other, f"--reason={reason}"))
        if n % 2:
            _ok(source("restore", other, f"--reason={notes}"))
        sent = _ok(source("message", "log", "--sender", "S", "--recipient", "N", "-k",
                          "notice", "--on", "2019-01-10", f"--subject={message}",
                          "--contact", contact, f"--note={notes}")).strip()
        reply = _ok(source("message", "log", "--sender", "N", "--recipient", "S", "-k",
                           "notice", "--on", "2019-01-11", f"--subject={subject}",
                           "--reply-to", sent, f"--tag={tag}")).strip()
        out = tmp_path / f"export-{n}"
        _ok(source("export", "--out", str(out), "--format", fmt, "--history"))
        imported = target("import", str(out))
        assert imported.exit_code == 0, imported.stderr
        # only this example's records are new to the target
        assert "added 2 contacts (" in imported.stdout, imported.stdout
        assert "added 2 messages" in imported.stdout, imported.stdout
        for reg_no in (contact, other, sent, reply):
            assert _record(target, reg_no) == _record(source, reg_no), reg_no
            shown = json.loads(_ok(target("show", reg_no, "--format", "json")))
            assert shown["provenance"] == "imported"
            assert shown["imported_from"].startswith(
                f"{'contacts' if reg_no[0] == 'C' else 'messages'}.{fmt}, external_ref "
                "tracker:")
        assert _summary(target) == _summary(source)
        again = target("import", str(out))
        assert "added 0 contacts" in again.stdout and "added 0 messages" in again.stdout

    round_trip()


def test_an_export_neutralises_formulas_and_says_what_it_holds(cli, tmp_path):
    _ok(cli("contact", "log", "-k", "working-talks", "--on", "2019-01-10", "-s",
            "=HYPERLINK(\"x\")", "--note", "'=already", "-w", "Chun Hae-sung"))
    out = tmp_path / "out"
    _ok(cli("export", "--out", str(out)))
    with (out / "contacts.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    logged = rows[-1]
    assert (logged["subject"], logged["notes"]) == ("'=HYPERLINK(\"x\")", "''=already")
    assert (logged["date_from"], logged["date_to"], logged["with"]) == (
        "2019-01-10", "2019-01-10", '["Chun Hae-sung"]')
    with (out / "participants.csv").open(encoding="utf-8", newline="") as fh:
        assert list(csv.DictReader(fh)) == [
            {"reg_no": "C-000286", "version_no": "1", "person": "#1", "name": "Chun Hae-sung"}]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"]["contacts.csv"]["rows"] == 286
    assert manifest["files"]["messages.csv"]["rows"] == 173
    from tracker.services.exchange.reader import file_sha256

    for name, about in manifest["files"].items():
        assert about["sha256"] == file_sha256(out / name)
    verified = _ok(cli("verify")).splitlines()
    heads = {line.split()[0]: line.split()[3] for line in verified[1:]}
    assert manifest["chain_heads"] == {"contacts": heads["C"], "messages": heads["M"]}


def test_a_seeded_record_corrected_since_and_people_added_by_hand_come_across_once(
        seeded_url, second_seeded_url, tmp_path):
    source, target = Cli(seeded_url), Cli(second_seeded_url)
    _ok(source("void", "C-000001", "--reason", "counted twice in the article"))
    _ok(source("correct", "C-000002", "--subject", "opening talks", "--reason", "named"))
    person = _ok(source("person", "add", "Pak Chol", "--side", "N")).split()[0]
    _ok(source("staff", "add", "--side", "N", "--role", "official", "--name", person,
               "--from", "2019-01-07"))
    logged = _ok(source("contact", "log", "-k", "working-talks", "--on", "2019-01-10",
                        "--subject", "rail", "--with", person)).strip()
    out = tmp_path / "export"
    _ok(source("export", "--out", str(out), "--history"))

    imported = _ok(target("import", str(out)))
    assert "people.csv: added 1 people; 5 already in the log" in imported
    assert "staff.csv: added 1 staff; 50 already in the log" in imported
    # the seeded records' later versions come across; the logged contact is new
    assert "contacts.csv: added 1 contacts (3 versions); 285 already in the log" in imported
    for reg_no in ("C-000001", "C-000002", logged):
        assert _record(target, reg_no) == _record(source, reg_no), reg_no
    assert _summary(target) == _summary(source)

    # the export, brought back into either log, adds nothing at all
    for log in (source, target):
        again = _ok(log("import", str(out)))
        assert "added 1" not in again and "versions" not in again, again
    assert _summary(target) == _summary(source)
