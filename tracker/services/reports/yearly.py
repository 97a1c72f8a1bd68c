"""The yearly report: the ministry's table of talks, year by field.

Rows are calendar years; columns are the fields (political … other, then ``unknown`` for
records nobody has classified), held contacts in all fields and by initiating side, and
messages in all and by direction. A record whose
date is known only to an interval spanning years gets a row of its own labelled with the
interval, as in the monthly report: it is never put into a year by guesswork. Years between
the first and the last are listed even when empty. The rows sum exactly to the summary's held
contacts and messages for the same period.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from tracker.services.dates import as_of_cutoff, make_period
from tracker.services.records.verify import log_state
from tracker.services.reports.counting import UNKNOWN, YearCounts, direction, year_counts
from tracker.services.reports.report import Report, left_out_note


def yearly_report(session: Session, *, start: str | None = None, end: str | None = None,
                  as_of: str | None = None) -> Report:
    counts = year_counts(session, make_period(start, end), as_of_cutoff(as_of))
    return Report(
        yearly_frame(counts),
        notes=left_out_note(counts.straddling_contacts, counts.straddling_messages),
        log=log_state(session),
    )


def yearly_frame(yc: YearCounts) -> pd.DataFrame:
    field_codes = [code for code, _ in yc.fields]
    initiators = {side: f"initiated_{side.lower()}" for side in [*yc.sides, UNKNOWN]}
    directions = {f"{a}->{b}": f"messages_{a.lower()}_to_{b.lower()}"
                  for a in yc.sides for b in yc.sides if a != b}
    directions[UNKNOWN] = "messages_unknown"
    counted = [*field_codes, *initiators.values(), "messages", *directions.values()]
    rows: dict[tuple[str, str], dict[str, int]] = {}

    def cell(year: str | None, start: object, end: object) -> dict[str, int]:
        key = (year, "") if year is not None else (str(start), str(end))
        return rows.setdefault(key, dict.fromkeys(counted, 0))

    for year, start, end, field, initiator, count in yc.contacts:
        cell(year, start, end)[field] += count
        cell(year, start, end)[initiators[initiator or UNKNOWN]] += count
    for year, start, end, from_side, to_side, count in yc.messages:
        cell(year, start, end)["messages"] += count
        cell(year, start, end)[directions[direction(from_side, to_side)]] += count
    years = sorted(int(key[0]) for key in rows if not key[1])
    for number in range(years[0] if years else 0, years[-1] + 1 if years else 0):
        cell(str(number), None, None)  # a year with nothing logged is a row of zeros, not a gap
    table = [{"period": key[0] if not key[1] else f"{key[0]}/{key[1]}",
              **{code: row[code] for code in field_codes},
              "contacts": sum(row[code] for code in field_codes),
              **{c: row[c] for c in initiators.values()},
              "messages": row["messages"],
              **{c: row[c] for c in directions.values()}}
             for key, row in sorted(rows.items())]
    columns = ["period", *field_codes, "contacts", *initiators.values(), "messages",
               *directions.values()]
    frame = pd.DataFrame(table, columns=columns)
    return frame.astype({c: "int64" for c in columns[1:]})
