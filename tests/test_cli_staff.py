"""``tracker staff add``, ``staff list`` and ``staff leave``."""

from __future__ import annotations

import csv
import io

from tests.helpers import scalar


def test_staff_add_list_leave_keeps_history(cli):
    added = cli("staff", "add", "--side", "S", "--role", "official", "--name", "Lee Min-ho",
                "--from", "2018-12-03")
    assert added.exit_code == 0, added.stderr
    assert added.stdout.startswith("#")
    left = cli("staff", "leave", "Lee Min", "--on", "2019-01-10", "--reason", "reassigned")
    assert left.exit_code == 0, left.stderr
    in_service = cli("staff", "list", "--side", "S", "--format", "csv").stdout
    assert "Lee Min-ho" not in in_service
    everyone = list(csv.DictReader(io.StringIO(
        cli("staff", "list", "--all", "--format", "csv").stdout)))
    lee = [r for r in everyone if r["name"] == "Lee Min-ho"]
    assert lee and lee[0]["service_to"] == "2019-01-10" and lee[0]["status"] == "left"
    again = cli("staff", "leave", "Lee Min", "--on", "2019-01-11")
    assert again.exit_code == 1 and "already left" in again.stderr


def test_staff_leave_names_the_staff_argument_and_writes_nothing(cli):
    nobody = cli("staff", "leave", "Nobody", "--on", "2019-01-10")
    assert nobody.exit_code == 1 and nobody.stdout == ""
    assert nobody.stderr.startswith("Error: STAFF: 'Nobody' matches no one")
    several = cli("staff", "leave", "Ch", "--on", "2019-01-10")
    assert several.exit_code == 1
    assert several.stderr.startswith("Error: STAFF: 'Ch' matches several people")
    assert "Chun Hae-sung" in several.stderr and "Kim Chang-soo" in several.stderr
    early = cli("staff", "leave", "Chun", "--on", "2018-09-13")
    assert early.exit_code == 1
    assert early.stderr == ("Error: --on: 2018-09-13 is before the service began "
                            "(2018-09-14)\n")
    assert scalar(cli.url, "SELECT count(*) FROM staff_leave") == 0
