"""``tracker report events``: held contacts as event data, one JSON line each."""

from __future__ import annotations

import json

from tests.helpers import log


def events(cli, *args: str) -> list[dict]:
    result = cli("report", "events", *args)
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_the_seeded_contacts_are_events_known_only_to_their_period(cli):
    seeded = events(cli)
    assert len(seeded) == 285
    assert seeded[0] == {
        "date": None, "date_from": "2018-09-14", "date_to": "2018-12-20", "time_of_day": None,
        "source_actor": None, "source_side": None, "target_actor": None, "target_side": None,
        "event_type": "meeting", "cameo_code": "046", "kind": "gov-meeting",
        "field": "unknown", "reg_no": "C-000001", "source": "koreaherald-2018-12-20"}
    kinds = {(e["kind"], e["event_type"], e["cameo_code"]) for e in seeded}
    assert kinds == {("gov-meeting", "meeting", "046"), ("working-talks", "meeting", "046"),
                     ("chief-meeting", "meeting", "046"), ("other", "consultation", "040")}


def test_only_held_current_contacts_with_their_actors(cli, tmp_path):
    log(cli, "contact", "log", "--kind", "chief", "--on", "2018-12-21", "--at", "10:00",
        "--subject", "Weekly", "--initiated-by", "N", "--field", "political")
    log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-22", "--subject", "Call",
        "--outcome", "no-answer", "--initiated-by", "S")
    log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-23", "--subject", "Rail",
        "--initiated-by", "S")
    log(cli, "correct", "C-000288", "--field", "economic", "--reason", "minutes")
    log(cli, "void", "C-000001", "--reason", "not a real contact")
    found = {e["reg_no"]: e for e in events(cli)}
    assert len(found) == 285 - 1 + 2 and "C-000287" not in found and "C-000001" not in found
    weekly = found["C-000286"]
    assert (weekly["date"], weekly["time_of_day"], weekly["field"], weekly["source"]) == (
        "2018-12-21", "10:00", "political", "logged")
    assert (weekly["source_actor"], weekly["target_actor"]) == ("North Korea", "South Korea")
    assert (found["C-000288"]["source_side"], found["C-000288"]["target_side"],
            found["C-000288"]["field"]) == ("S", "N", "economic")
    out = tmp_path / "out" / "events.jsonl"
    out.parent.mkdir()
    result = cli("report", "events", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8") == cli("report", "events").stdout
    refused = cli("report", "events", "--out", str(out.with_suffix(".json")))
    assert refused.exit_code == 2 and "give a name ending in .jsonl" in refused.stderr
