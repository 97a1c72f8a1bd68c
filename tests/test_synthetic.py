"""``bench/synthetic.py``: a synthetic log that the CLI can go on using.

Numbers as the CLI gives them, the counter moved, a valid hash chain, the id sequences moved
(PostgreSQL), and rows that look like a log: shares, codes, people and the rare words.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import pytest

from bench.synthetic import (
    FIELD_WEIGHTS,
    KIND_WEIGHTS,
    MESSAGE_KIND_WEIGHTS,
    OUTCOME_WEIGHTS,
    RARE_HANGUL,
    RARE_WORD,
    VOCABULARY,
    Chain,
    Reference,
    Weighted,
    contact_chunks,
    fill,
    main,
    message_chunks,
    rare_records,
)
from tests.helpers import ROOT, Cli, log, scalar
from tracker.services.records.registers import CONTACTS, MESSAGES

SEED_CONTACTS, SEED_MESSAGES = 285, 173  # what the seed logs


def test_the_cli_goes_on_after_a_fill_by_the_command(empty_url):
    """Migrated, seeded and filled by the command; then shown, verified and logged after."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "synthetic.py"), "--db", empty_url,
         "--contacts", "300", "--messages", "100", "--seed", "7"],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "300 contacts C-000286..C-000585" in done.stdout
    assert "100 messages M-000174..M-000273" in done.stdout
    cli = Cli(empty_url)
    shown = json.loads(log(cli, "show", "C-000585", "--format", "json"))
    assert shown["reg_no"] == "C-000585"
    assert shown["recorded_by"] == "bench"
    assert json.loads(log(cli, "show", "M-000273", "--format", "json"))["reg_no"] == "M-000273"
    log(cli, "verify")
    # the next numbers, and (PostgreSQL) ids past the synthetic rows' ids
    assert log(cli, "contact", "log", "--kind", "other", "--on", "2019-01-02",
               "--subject", "after the fill", "--with", "Jon", "--tag", "railway") == "C-000586"
    assert log(cli, "message", "log", "--sender", "S", "--recipient", "N", "--kind", "notice",
               "--on", "2019-01-02", "--subject", "after the fill",
               "--contact", "C-000586") == "M-000274"
    assert log(cli, "correct", "C-000586", "--subject", "after the fill, corrected",
               "--reason", "typo").startswith("C-000586")
    log(cli, "verify")


def test_a_second_fill_goes_on_from_the_first(seeded_url):
    from sqlalchemy import text

    from tracker.db.session import Database
    from tracker.services.records.verify import verify

    db = Database(seeded_url)
    try:
        first = fill(db.engine, 300, 100, seed=3)
        second = fill(db.engine, 50, 20, seed=4)
        with db.engine.connect() as conn:
            assert verify(conn).ok
            synthetic = conn.execute(text(
                "SELECT count(DISTINCT field_code), count(DISTINCT outcome_code), "
                "count(DISTINCT kind_code), count(notes), count(DISTINCT venue), count(*) "
                "FROM contact_version WHERE recorded_by = 'bench'")).one()
            people = conn.execute(text(
                "SELECT count(*), count(DISTINCT p.person_id), count(person.id) "
                "FROM contact_participant p LEFT JOIN person ON person.id = p.person_id"
            )).one()
    finally:
        db.dispose()
    assert first.describe().startswith("300 contacts C-000286..C-000585")
    said = second.describe()
    assert "50 contacts C-000586..C-000635" in said and "20 messages M-000274..M-000293" in said
    for code, records in (("C", SEED_CONTACTS + 350), ("M", SEED_MESSAGES + 120)):
        assert scalar(seeded_url, f"SELECT last_no FROM register_counter "
                                  f"WHERE register = '{code}'") == records
    fields, outcomes, kinds, notes, venues, versions = synthetic
    assert fields >= 5 and outcomes >= 2 and kinds >= 3 and venues >= 3
    assert 0.1 < notes / versions < 0.3
    rows, distinct, known = people
    assert rows > 100 and distinct >= 4 and known == rows  # every one a person of the log
    assert scalar(seeded_url, "SELECT count(*) FROM contact_tag") > 10
    assert scalar(seeded_url, "SELECT count(*) FROM message_version "
                              "WHERE contact_id IS NOT NULL") > 10


def reference() -> Reference:
    """The seed's codes and five people, without a database."""
    return Reference(
        Weighted(list(KIND_WEIGHTS)[:-1], KIND_WEIGHTS),
        Weighted(list(MESSAGE_KIND_WEIGHTS)[:-1], MESSAGE_KIND_WEIGHTS),
        Weighted(["political", "military", "economic", "humanitarian", "social-cultural",
                  "other", "unknown"], FIELD_WEIGHTS),
        Weighted(["held", "no-answer", "refused", "cancelled", "postponed"], OUTCOME_WEIGHTS),
        ("N", "S"), (1, 2, 3, 4, 5))


def test_rows_look_like_a_log_and_chain_up():
    n, every = 20_000, 1000
    chain = Chain(CONTACTS, next_record_id=301, next_version_id=401, last_no=285,
                  head="f" * 64)
    chunks = list(contact_chunks(n, reference(), chain, seed=1, rare_every=every))
    records = [r for c in chunks for r in c.records]
    versions = [v for c in chunks for v in c.versions]
    assert [r[1] for r in records[:2]] == ["C-000286", "C-000287"]
    assert records[-1][:2] == (301 + n - 1, CONTACTS.format_reg_no(285 + n))
    assert chain.last_no == 285 + n and chain.head == versions[-1][-1]
    names = ["id", "contact_id", "version_no", "supersedes_id", *CONTACTS.fields, "is_void",
             "reason", "recorded_at", "recorded_by", "prev_hash", "hash"]
    rows = [dict(zip(names, v, strict=True)) for v in versions]
    assert [r["id"] for r in rows] == list(range(401, 401 + len(rows)))
    assert rows[0]["prev_hash"] == "f" * 64
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(rows))
    later = [r for r in rows if r["version_no"] == 2]
    assert all(r["supersedes_id"] == r["id"] - 1 and r["reason"] for r in later)
    voided = sum(r["is_void"] for r in later)
    assert 0.001 < voided / n < 0.004
    assert 0.003 < (len(later) - voided) / n < 0.008
    assert 0.006 < sum(r["date_from"] != r["date_to"] for r in rows) / n < 0.015
    assert 0.15 < sum(r["notes"] is not None for r in rows) / n < 0.25
    # the rare words: in rare_records(n) subjects, one version each, nowhere else
    rare = [r for r in rows if RARE_WORD in (r["subject"] + (r["notes"] or ""))]
    assert len(rare) == rare_records(n, every) == n // every
    assert all(RARE_HANGUL in r["subject"] and r["version_no"] == 1 for r in rare)
    assert sum(RARE_HANGUL in (r["subject"] + (r["notes"] or "")) for r in rows) == len(rare)
    assert all(RARE_WORD not in w and RARE_HANGUL not in w for w in VOCABULARY)
    common = [w for w in VOCABULARY if sum(w in r["subject"] for r in rows[:2000]) > 50]
    assert len(common) == len(VOCABULARY)


def test_numbers_widen_past_a_million_as_the_cli_numbers():
    chain = Chain(MESSAGES, next_record_id=1, next_version_id=1, last_no=999_998)
    (chunk,) = message_chunks(3, reference(), chain, contacts=range(1, 10))
    assert [r[1] for r in chunk.records] == ["M-999999", "M-1000000", "M-1000001"]
    assert [r[1] for r in chunk.records] == [MESSAGES.format_reg_no(n)
                                             for n in range(999_999, 1_000_002)]


def test_rare_records_counts_the_records_with_the_rare_words():
    assert [rare_records(n) for n in (0, 50_000, 50_001, 1_000_000, 1_050_001)] == [
        0, 0, 1, 10, 11]


def test_help_says_what_it_makes(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--help"])
    assert stopped.value.code == 0
    out = capsys.readouterr().out
    for words in ("--contacts N", "registration numbers", "hash chain", "sequence",
                  "zeppelin", "비행선"):
        assert words in out
