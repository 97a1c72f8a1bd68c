"""``tracker message log`` and ``tracker message list``."""

from __future__ import annotations

import csv
import io


def test_message_log_links_a_contact(cli):
    assert cli("contact", "log", "--kind", "other", "--on", "2018-12-21",
               "--subject", "consultation").stdout == "C-000286\n"
    result = cli("message", "log", "--from", "S", "--to", "north", "--kind", "notice",
                 "--on", "2018-12-21", "--subject", "Agenda", "--contact", "C-000286")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "M-000174\n"
    rows = list(csv.DictReader(io.StringIO(
        cli("message", "list", "--side", "N", "--month", "2018-12", "--format", "csv").stdout)))
    assert [(r["reg_no"], r["from"], r["to"], r["contact"]) for r in rows] == [
        ("M-000174", "S", "N", "C-000286")]
