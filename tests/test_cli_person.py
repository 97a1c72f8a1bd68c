"""``tracker person``: what a clerk sees of people, their names, aliases, corrections and
merges, and how people relate to staff posts (only posts count as staff)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
import unicodedata

import pytest
from sqlalchemy import create_engine, text

from tests.helpers import log, summary_doc

# A refusal writes nothing: neither a person, nor a name, nor anything else a command touches.
WATCHED = ("person", "person_version", "person_alias", "contact", "contact_version",
           "contact_participant", "staff", "staff_leave")
SEEDED_PEOPLE = {
    "Chun Hae-sung": ("S", "co-chief"),
    "Kim Chang-soo": ("S", "deputy-chief"),
    "Jon Jong-su": ("N", "co-chief"),
    "Cho Myoung-gyon": ("S", ""),
    "Ri Son-gwon": ("N", ""),
}


def counts(url: str) -> dict[str, int]:
    """The row count of each watched table."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                    for t in WATCHED}
    finally:
        engine.dispose()


def refused(cli, exit_code: int, *args: str) -> str:
    """Run a command that must be refused: its exit code, nothing on stdout, one ``Error:``
    line on stderr and no row written. Returns the line."""
    before = counts(cli.url)
    result = cli(*args)
    assert result.exit_code == exit_code, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), result.stderr
    assert counts(cli.url) == before
    return lines[0]


_LOGGED = itertools.count()


def contact_with(cli, *names: str, subject: str | None = None) -> str:
    """Log a contact with these participants; its registration number. Each falls on its own
    day after the last reported figures (2018-12-20) with its own subject, so none looks like
    a contact already logged and none moves a reconciled figure."""
    n = next(_LOGGED)
    day = dt.date(2018, 12, 21) + dt.timedelta(days=n % 300)
    args = [arg for name in names for arg in ("--with", name)]
    return log(cli, "contact", "log", "--kind", "other", "--on", day.isoformat(),
               "--subject", subject or f"contact {n}", *args)


def shown(cli, reg_no: str) -> dict:
    result = cli("show", reg_no, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def people(cli, *args: str) -> list[dict]:
    result = cli("person", "list", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def person_doc(cli, who: str) -> dict:
    result = cli("person", "show", who, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def new_id(stdout: str) -> int:
    """The ``#ID`` a command that adds someone printed first."""
    match = re.match(r"#([0-9]+) ", stdout)
    assert match, stdout
    return int(match[1])


# --- 1. the seed -----------------------------------------------------------------------------

def test_seed_holds_the_five_people_with_sides_and_posts(cli):
    rows = people(cli)
    assert {r["name"]: (r["side"], r["staff"]) for r in rows} == SEEDED_PEOPLE
    assert len(rows) == 5
    ri = next(r for r in rows if r["name"] == "Ri Son-gwon")
    assert "Ri Son-kwon" in ri["aliases"].split("; ")
    assert "Ri Son-kwon" in person_doc(cli, "Ri Son-gwon")["aliases"]


def test_ministers_take_part_in_a_contact_without_counting_as_staff(cli):
    reg_no = contact_with(cli, "Cho Myoung-gyon", "Ri Son-gwon", "Chun Hae-sung",
                          subject="opening ceremony follow-up")
    assert shown(cli, reg_no)["with"] == ["Chun Hae-sung", "Cho Myoung-gyon", "Ri Son-gwon"]
    assert summary_doc(cli)["staff"] == {"S": 30, "N": 20}
    result = cli("reconcile")
    assert result.exit_code == 0, result.stderr


# --- 2. matching however the name is typed ---------------------------------------------------

@pytest.mark.parametrize("typed", ["Ri Son-kwon", "Ri Son Gwon", "ri son-GWON", " Ri  son.gwon "])
def test_any_spelling_of_an_alias_names_the_person(cli, typed):
    reg_no = contact_with(cli, typed)
    assert shown(cli, reg_no)["with"] == ["Ri Son-gwon"]


def test_a_hangul_alias_matches_composed_and_decomposed(cli):
    added = cli("person", "alias", "Jon Jong-su", "전종수")
    assert added.exit_code == 0, added.stderr
    assert "Jon Jong-su" in added.stdout and "전종수" in added.stdout
    decomposed = unicodedata.normalize("NFD", "전종수")
    assert decomposed != "전종수"
    for typed in ("전종수", decomposed):
        assert shown(cli, contact_with(cli, typed))["with"] == ["Jon Jong-su"]
    assert person_doc(cli, decomposed)["name"] == "Jon Jong-su"


def test_a_unique_part_of_a_name_is_enough(cli):
    assert shown(cli, contact_with(cli, "Chun"))["with"] == ["Chun Hae-sung"]


def test_an_ambiguous_part_is_refused_listing_the_candidates(cli):
    line = refused(cli, 1, "contact", "log", "--kind", "other", "--on", "2018-12-21",
                   "--subject", "x", "--with", "Ch")
    assert line == ("Error: --with: 'Ch' matches several people: #1 Chun Hae-sung (S); "
                    "#2 Kim Chang-soo (S); #4 Cho Myoung-gyon (S)")


def test_an_unknown_name_is_refused_with_the_closest(cli):
    line = refused(cli, 1, "contact", "log", "--kind", "other", "--on", "2018-12-21",
                   "--subject", "x", "--with", "Ri Sun-gwan")
    assert line.startswith("Error: --with: 'Ri Sun-gwan' matches no one")
    assert "closest: #5 Ri Son-gwon (N)" in line


# --- 3. duplicates and merges ----------------------------------------------------------------

@pytest.mark.parametrize("typed", ["Chun Hae-sung", "chun hae sung", "CHUN HAE-SUNG"])
def test_adding_an_existing_name_is_refused_naming_them(cli, typed):
    line = refused(cli, 1, "person", "add", typed)
    assert "#1 Chun Hae-sung" in line and "--new" in line
    assert line.startswith(f"Error: NAME: '{typed}' is already #1 Chun Hae-sung")


def test_a_namesake_added_with_new_is_ambiguous_until_merged(cli):
    added = cli("person", "add", "Chun Hae-sung", "--new")
    assert added.exit_code == 0, added.stderr
    dup = new_id(added.stdout)
    assert dup != 1
    assert len(people(cli)) == 6

    line = refused(cli, 1, "contact", "log", "--kind", "other", "--on", "2018-12-21",
                   "--subject", "x", "--with", "Chun Hae-sung")
    assert line == (f"Error: --with: 'Chun Hae-sung' matches several people: "
                    f"#1 Chun Hae-sung (S); #{dup} Chun Hae-sung")
    earlier = contact_with(cli, f"#{dup}", subject="with the duplicate")
    hash_before = shown(cli, earlier)["hash"]

    merged = cli("person", "merge", f"#{dup}", "#1", "--reason", "added twice")
    assert merged.exit_code == 0, merged.stderr
    assert merged.stdout.startswith("merged into #1 Chun Hae-sung")

    assert shown(cli, contact_with(cli, "Chun Hae-sung"))["with"] == ["Chun Hae-sung"]
    assert [r["id"] for r in people(cli)] == [1, 2, 3, 4, 5]
    after = shown(cli, earlier)
    assert after["with"] == ["Chun Hae-sung"]
    assert after["hash"] == hash_before
    listed = cli("contact", "list", "--person", "Chun Hae-sung", "--format", "csv")
    assert listed.exit_code == 0, listed.stderr
    assert earlier in [r["reg_no"] for r in csv.DictReader(io.StringIO(listed.stdout))]
    doc = person_doc(cli, "Chun Hae-sung")
    assert doc["id"] == 1 and doc["merged"] == [dup]
    assert earlier in [c["reg_no"] for c in doc["contacts"]]
    assert person_doc(cli, f"#{dup}")["id"] == 1  # the duplicate's #ID finds the survivor
    verified = cli("verify")
    assert verified.exit_code == 0, verified.stderr


def test_merge_refusals(cli):
    refused(cli, 1, "person", "merge", "Chun", "#1", "--reason", "x")  # the same person
    refused(cli, 2, "person", "merge", "#2", "#1")  # no --reason
    refused(cli, 1, "person", "merge", "Nobody Here", "#1", "--reason", "x")


# --- 4. aliases ------------------------------------------------------------------------------

def test_an_alias_that_is_someone_elses_name_is_refused_naming_them(cli):
    line = refused(cli, 1, "person", "alias", "Jon Jong-su", "ri son kwon")
    assert "#5 Ri Son-gwon" in line and "person merge" in line
    line = refused(cli, 1, "person", "alias", "Jon Jong-su", "Chun Hae-sung")
    assert "#1 Chun Hae-sung" in line


@pytest.mark.parametrize("again", ["Ri Son-kwon", "ri son kwon", "Ri Son-gwon"])
def test_an_alias_already_theirs_changes_nothing(cli, again):
    line = refused(cli, 1, "person", "alias", "Ri Son-gwon", again)
    assert "#5 Ri Son-gwon" in line and "already an alias" in line


# --- 5. corrections --------------------------------------------------------------------------

def test_a_correction_adds_a_version_with_its_reason(cli):
    result = cli("person", "correct", "Ri Son-gwon", "--affiliation", "chairman, CPRK",
                 "--reason", "full title in the minutes")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "#5 Ri Son-gwon (N, chairman, CPRK): version 2\n"
    doc = person_doc(cli, "Ri Son-kwon")
    assert doc["affiliation"] == "chairman, CPRK"
    assert [v["version"] for v in doc["versions"]] == [1, 2]
    assert doc["versions"][1]["reason"] == "full title in the minutes"
    assert doc["versions"][0]["affiliation"].startswith("chairman, Committee")

    line = refused(cli, 1, "person", "correct", "Ri Son-gwon", "--affiliation",
                   "chairman, CPRK", "--reason", "again")
    assert "changes nothing" in line
    refused(cli, 2, "person", "correct", "Ri Son-gwon", "--affiliation", "chairman")


def test_a_corrected_name_and_the_old_one_both_match(cli):
    result = cli("person", "correct", "Ri Son-gwon", "--name", "Ri Son Gwon",
                 "--reason", "as the minutes spell it")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("#5 Ri Son Gwon ")
    for typed in ("Ri Son Gwon", "Ri Son-gwon", "Ri Son-kwon"):
        assert shown(cli, contact_with(cli, typed))["with"] == ["Ri Son Gwon"]
    assert person_doc(cli, "Ri Son-gwon")["name"] == "Ri Son Gwon"


def test_a_new_name_becomes_an_alias_too(cli):
    assert cli("person", "correct", "Cho Myoung-gyon", "--name", "Cho Myung-kyun",
               "--reason", "romanised as the ministry does").exit_code == 0
    for typed in ("Cho Myung-kyun", "cho myoung gyon"):
        assert shown(cli, contact_with(cli, typed))["with"] == ["Cho Myung-kyun"]


# --- 6. names that are no names --------------------------------------------------------------

@pytest.mark.parametrize("name", ["", "   ", " - ", "--", "'.'"])
def test_an_empty_or_punctuation_only_name_is_refused_naming_the_field(cli, name):
    line = refused(cli, 2, "person", "add", "--", name)
    assert line.startswith("Error: NAME: ")


def test_an_empty_alias_is_refused_naming_the_field(cli):
    line = refused(cli, 2, "person", "alias", "Jon Jong-su", "--", " - ")
    assert line.startswith("Error: ALIAS: ")


# --- 7. staff posts --------------------------------------------------------------------------

def test_staff_add_with_a_new_name_adds_a_person_and_a_post(cli):
    result = cli("staff", "add", "--side", "N", "--role", "official", "--name", "Kim Yong-chol")
    assert result.exit_code == 0, result.stderr
    assert summary_doc(cli)["staff"] == {"S": 30, "N": 21}
    kim = [r for r in people(cli) if r["name"] == "Kim Yong-chol"]
    assert len(kim) == 1 and kim[0]["side"] == "N" and kim[0]["staff"] == "official"
    assert "Kim Yong-chol" in [r["name"] for r in people(cli, "--staff")]

    left = cli("staff", "leave", "Kim Yong-chol", "--on", "2019-01-10")
    assert left.exit_code == 0, left.stderr
    line = refused(cli, 1, "staff", "leave", "Kim Yong-chol", "--on", "2019-01-10")
    assert "already left" in line
    assert "Kim Yong-chol" not in [r["name"] for r in people(cli, "--staff")]
    assert "Kim Yong-chol" in [r["name"] for r in people(cli)]  # the person stays


def test_staff_add_with_an_existing_name_gives_them_a_second_post(cli):
    before = counts(cli.url)
    result = cli("staff", "add", "--side", "S", "--role", "official", "--name", "chun hae sung")
    assert result.exit_code == 0, result.stderr
    after = counts(cli.url)
    assert after["person"] == before["person"]
    assert after["person_alias"] == before["person_alias"]
    assert after["staff"] == before["staff"] + 1
    rows = people(cli)
    assert len(rows) == 5
    assert next(r for r in rows if r["id"] == 1)["staff"] == "co-chief, official"
    assert [p["role"] for p in person_doc(cli, "Chun Hae-sung")["posts"]] == [
        "co-chief", "official"]


# --- 8. show and list ------------------------------------------------------------------------

def test_person_show_table_lists_the_contacts_they_took_part_in(cli):
    reg_no = contact_with(cli, "Ri Son-kwon", subject="talks on the joint event")
    result = cli("person", "show", "Ri Son Gwon")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Ri Son-gwon" in out and "Ri Son-kwon" in out
    contacts = out.split("contacts:", 1)[1].split("versions:", 1)[0]
    assert reg_no in contacts and "talks on the joint event" in contacts
    assert "posts:" in out


def test_person_list_staff_and_side(cli):
    assert [r["name"] for r in people(cli, "--staff")] == [
        "Chun Hae-sung", "Kim Chang-soo", "Jon Jong-su"]
    assert [r["name"] for r in people(cli, "--side", "N")] == ["Jon Jong-su", "Ri Son-gwon"]
    assert [r["name"] for r in people(cli, "--side", "N", "--staff")] == ["Jon Jong-su"]
    table = cli("person", "list")
    assert table.exit_code == 0, table.stderr
    assert all(name in table.stdout for name in SEEDED_PEOPLE)


def test_show_of_no_one_is_refused(cli):
    line = refused(cli, 1, "person", "show", "Nobody Here")
    assert "'Nobody Here' matches no one" in line


# --- bugs found, then fixed ------------------------------------------------------------------

def test_a_merged_duplicates_post_is_the_survivors_in_person_list(cli):
    dup = new_id(log(cli, "person", "add", "Cho Myoung-gyon", "--new", "--side", "S"))
    log(cli, "staff", "add", "--side", "S", "--role", "official", "--name", f"#{dup}")
    log(cli, "person", "merge", f"#{dup}", "#4", "--reason", "added twice")
    assert [p["role"] for p in person_doc(cli, "#4")["posts"]] == ["official"]
    assert next(r for r in people(cli) if r["id"] == 4)["staff"] == "official"
    assert "Cho Myoung-gyon" in [r["name"] for r in people(cli, "--staff")]


def test_adding_with_a_taken_alias_names_the_alias(cli):
    line = refused(cli, 1, "person", "add", "Kim Yong-chol", "--alias", "Ri Son-kwon")
    assert "#5 Ri Son-gwon" in line
    assert "'Ri Son-kwon'" in line


def test_correcting_to_someone_elses_name_is_refused(cli):
    line = refused(cli, 1, "person", "correct", "Cho Myoung-gyon", "--name", "Chun Hae-sung",
                   "--reason", "typo")
    assert "#1 Chun Hae-sung" in line
