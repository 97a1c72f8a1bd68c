"""The big files of a CSV export (contacts, messages, participants), shaped by the database.

Every cell is made by SQL, escape included, and the rows go to the file with no Python per
row: PostgreSQL writes the CSV itself (``COPY (SELECT …) TO STDOUT``), SQLite's rows go from
the cursor to ``csv.writer.writerows`` a batch at a time. A million contacts are as quick to
export as the driver is to dump them (see ``bench/bench_import.py``).

The cells are the ones ``export._versions`` makes for JSON lines and xlsx, and the escape is
``render.text.neutralise``'s, spelled in SQL: a text that begins with ``= + - @``, a tab, a
carriage return, a line feed or an apostrophe gets an apostrophe in front.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from tracker.render.text import ESCAPED
from tracker.services.records.registers import CONTACTS, Register

NAMES = "tracker_export_names"  # SQLite: a TEMP table of the names people are shown by


class Dialect:
    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres

    def char(self, code: int) -> str:
        return f"chr({code})" if self.postgres else f"char({code})"

    def esc(self, expr: str) -> str:
        firsts = ", ".join(self.char(ord(c)) if c in "\t\r\n" else "''''" if c == "'"
                           else f"'{c}'" for c in ESCAPED)
        return f"CASE WHEN substr({expr}, 1, 1) IN ({firsts}) THEN '''' || {expr} ELSE {expr} END"

    def day(self, expr: str) -> str:
        return f"to_char({expr}, 'YYYY-MM-DD')" if self.postgres else expr

    def stamp(self, expr: str) -> str:
        return (f"to_char({expr}, 'YYYY-MM-DD\"T\"HH24:MI:SS.US')" if self.postgres
                else f"replace({expr}, ' ', 'T')")

    def name(self, person_id: str) -> str:
        shown = (f"(CAST(%(names)s AS jsonb) ->> CAST({person_id} AS text))" if self.postgres
                 else f"(SELECT n.name FROM temp.{NAMES} n WHERE n.id = {person_id})")
        return f"coalesce({shown}, '#' || {person_id})"

    def json_list(self, value: str, table: str, where: str, order: str) -> str:
        """A JSON array of ``value`` over the rows of ``table`` that match, in ``order``."""
        if self.postgres:
            return (f"coalesce((SELECT json_agg({value} ORDER BY {order}) FROM {table} "
                    f"WHERE {where})::text, '[]')")
        return (f"(SELECT json_group_array({value}) FROM (SELECT * FROM {table} "
                f"WHERE {where} ORDER BY {order}))")


def version_sql(d: Dialect, register: Register, history: bool) -> str:
    """Every column of ``files.COLUMNS`` for contacts or messages, in order."""
    record, version = register.record.__tablename__, register.version.__tablename__
    fk, tags = register.record_fk.key, register.tag_table.__tablename__
    tag_order = 'tag COLLATE "C"' if d.postgres else "tag"
    head = [
        "r.reg_no", "v.version_no",
        "CASE WHEN v.supersedes_id IS NULL THEN NULL ELSE v.version_no - 1 END",
        "CASE WHEN v.is_void THEN 'void' ELSE 'current' END", d.esc("v.reason"),
        d.day("v.date_from"), d.day("v.date_to"), "v.time_of_day", "v.kind_code",
    ]
    if register is CONTACTS:
        own = ["v.outcome_code", "v.field_code", d.esc("v.subject"), d.esc("v.venue"),
               "v.initiated_by",
               d.json_list(d.name("person_id"), "contact_participant",
                           "version_id = v.id", "person_id")]
    else:
        own = ["v.field_code", "v.from_side", "v.to_side", d.esc("v.subject"),
               "(SELECT c.reg_no FROM contact c WHERE c.id = v.contact_id)",
               "(SELECT m.reg_no FROM message m WHERE m.id = v.reply_to_id)"]
    first_hash = (f"(SELECT f.hash FROM {version} f WHERE f.{fk} = r.id "
                  "AND f.version_no = 1)")
    tail = [
        d.json_list("tag", tags, "version_id = v.id", tag_order), d.esc("v.notes"),
        d.stamp("v.recorded_at"), d.esc("v.recorded_by"), d.esc("s.key"),
        # only an import's own key can begin with a formula character (and the first
        # version's hash is read once a row, not once for each use in an escape)
        f"coalesce({d.esc('r.source_key')}, 'seed:' || r.seed_key, 'tracker:' || {first_hash})",
        "v.prev_hash", "v.hash",
    ]
    current = ("" if history else f"WHERE NOT EXISTS (SELECT 1 FROM {version} n "
               "WHERE n.supersedes_id = v.id) ")
    return (f"SELECT {', '.join(head + own + tail)} FROM {version} v "
            f"JOIN {record} r ON r.id = v.{fk} LEFT JOIN source s ON s.id = r.source_id "
            f"{current}ORDER BY r.id, v.version_no")


def participant_sql(d: Dialect, history: bool) -> str:
    current = ("" if history else "WHERE NOT EXISTS (SELECT 1 FROM contact_version n "
               "WHERE n.supersedes_id = v.id) ")
    return ("SELECT c.reg_no, v.version_no, '#' || p.person_id, "
            f"{d.esc(d.name('p.person_id'))} FROM contact_participant p "
            "JOIN contact_version v ON v.id = p.version_id "
            f"JOIN contact c ON c.id = v.contact_id {current}"
            "ORDER BY c.id, v.version_no, p.person_id")


class CsvDump:
    """Writes SQL-shaped files through the raw driver, inside the session's transaction."""

    def __init__(self, session: Session, names: dict[int, str]) -> None:
        raw = session.connection().connection.driver_connection
        assert raw is not None  # an open session's connection
        self.cur = raw.cursor()
        self.dialect = Dialect(session.get_bind().dialect.name == "postgresql")
        self.params: dict[str, Any] = {}
        if self.dialect.postgres:
            self.cur.execute("SET LOCAL jit = off")  # as db.session.stream, for the same reason
            self.params["names"] = json.dumps({str(k): v for k, v in names.items()},
                                              ensure_ascii=False)
        else:
            self.cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {NAMES} "
                             "(id INTEGER PRIMARY KEY, name TEXT)")
            self.cur.execute(f"DELETE FROM temp.{NAMES}")
            self.cur.executemany(f"INSERT INTO temp.{NAMES} VALUES (?, ?)", names.items())

    def write(self, path: Path, columns: Sequence[str], sql: str) -> int:
        """The header, then every row ``sql`` selects; returns the rows written."""
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerow(columns)
            if self.dialect.postgres:
                return self._copy(fh, sql)
            out = csv.writer(fh, lineterminator="\n")
            self.cur.execute(sql)
            count = 0
            for rows in iter(lambda: self.cur.fetchmany(5000), []):
                out.writerows(rows)
                count += len(rows)
            return count

    def _copy(self, fh: Any, sql: str) -> int:
        fh.flush()
        out = fh.buffer if hasattr(fh, "buffer") else fh
        with self.cur.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", self.params) as copy:
            for block in copy:
                out.write(block)
        return int(self.cur.rowcount)

    def close(self) -> None:
        if not self.dialect.postgres:
            self.cur.execute(f"DROP TABLE IF EXISTS temp.{NAMES}")
        self.cur.close()

