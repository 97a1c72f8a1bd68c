"""``tracker show``, ``history``, ``correct`` and ``void``: one record by its number."""

from __future__ import annotations

import json

from tests.helpers import assert_monthly_sums_to_summary, scalar, summary_doc


def test_correct_keeps_the_old_version_and_reports_count_the_new_one(cli):
    before = summary_doc(cli)["contacts"]["by_kind"]
    result = cli("correct", "C-000100", "--kind", "working-talks", "--subject",
                 "identified later", "--reason", "minutes received", "--clerk", "lee")
    assert result.exit_code == 0, result.stderr
    after = summary_doc(cli)["contacts"]["by_kind"]
    assert after["other"] == before["other"] - 1
    assert after["working-talks"] == before["working-talks"] + 1
    assert sum(after.values()) == 285
    history = json.loads(cli("history", "C-000100", "--format", "json").stdout)
    assert [h["version"] for h in history] == [1, 2]
    assert history[1]["recorded_by"] == "lee"
    assert history[1]["reason"] == "minutes received"
    assert "kind_code: other -> working-talks" in history[1]["change"]
    assert scalar(cli.url, "SELECT count(*) FROM contact_version v JOIN contact c "
                  "ON c.id = v.contact_id WHERE c.reg_no = 'C-000100'") == 2
    assert_monthly_sums_to_summary(cli)


def test_void_removes_from_reports_and_lists_but_keeps_history(cli):
    result = cli("void", "C-000001", "--reason", "double-counted")
    assert result.exit_code == 0, result.stderr
    doc = summary_doc(cli)
    assert doc["contacts"]["by_kind"]["gov-meeting"] == 4
    assert doc["contacts"]["total"] == 284
    listed = cli("contact", "list", "--kind", "gov", "--format", "csv").stdout
    assert "C-000001" not in listed
    with_void = cli("contact", "list", "--kind", "gov", "--include-void", "--format", "csv")
    assert "C-000001" in with_void.stdout and ",void," in with_void.stdout
    history = json.loads(cli("history", "C-000001", "--format", "json").stdout)
    assert [h["change"] for h in history] == ["created", "void"]
    assert_monthly_sums_to_summary(cli)


def test_corrections_and_voids_are_appended_never_updated(cli):
    cli("correct", "C-000002", "--subject", "s", "--reason", "r")
    cli("void", "C-000002", "--reason", "r")
    cli("correct", "C-000003", "--on", "2018-10-02", "--reason", "date found")
    rows = scalar(cli.url, "SELECT count(*) FROM contact_version")
    assert rows == 285 + 3
    chain_ok = scalar(cli.url, "SELECT count(*) FROM contact_version v JOIN contact_version p "
                      "ON p.id = (SELECT max(id) FROM contact_version WHERE id < v.id) "
                      "WHERE v.prev_hash <> p.hash")
    assert chain_ok == 0
