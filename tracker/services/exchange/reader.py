"""Reading an import file, line by line, as our columns: CSV, xlsx or JSON lines.

- CSV is UTF-8 with or without a byte-order mark. The header is checked against the
  delimiter: a file separated by ``;`` read as ``,`` has a one-column header holding ``;``,
  which is refused naming line 1, never imported as one column. Fields longer than the csv
  module's default limit (131,072 characters) are read, and refused by the column's check.
- A cell written by ``tracker export`` is un-escaped (``render.text.restore``); a file read
  through ``--map`` rules is someone else's, and is taken as it is.
- Every line keeps its number in the file (the header is line 1, plus any ``skip``ped lines;
  a quoted cell over several lines counts them all), for error messages and source keys.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.errors import BadFile, LineError
from tracker.render.text import ESCAPE
from tracker.services.exchange.files import COLUMNS
from tracker.services.exchange.rules import DATE_COLUMNS, LIST_COLUMNS, Rules

FIELD_LIMIT = 2**31 - 1
OTHER_DELIMITERS = (";", "\t", "|", ",")


@dataclass
class Line:
    number: int
    values: dict[str, Any]  # our column -> text, a list, or None
    error: LineError | None = None  # what makes the line unreadable, for the importer to list


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Table:
    """One import file: which of our files it is, its columns, and its lines."""

    def __init__(self, path: Path, rules: Rules | None = None,
                 register: str | None = None, exported: bool = False) -> None:
        self.path = path
        self.rules = rules or Rules()
        self.suffix = path.suffix.lower()
        if self.suffix not in (".csv", ".xlsx", ".jsonl"):
            raise BadFile("not a .csv, .xlsx or .jsonl file", about=self.path.name)
        if rules is not None and self.suffix == ".jsonl":
            raise BadFile("--map rules read a spreadsheet (CSV or xlsx); JSON lines are read "
                          "as an export wrote them", about=self.path.name)
        self._header_line = self.rules.skip + 1
        raw = self._raw_header()
        self.register = register or self.rules.register or self._register_of(raw)
        ours = COLUMNS[self.register]
        self.columns: list[str | None] = []
        for name in raw:
            column = self.rules.rename(name.strip())
            if column is not None and column not in ours:
                hint = ("; a spreadsheet of your own needs --map RULES.toml (see the README)"
                        if rules is None else "")
                raise BadFile(f"line {self._header_line}: column '{name}' is not one of the "
                              f"{self.register} columns ({', '.join(ours)}){hint}",
                              about=self.path.name)
            if column is not None and column in self.columns:
                raise BadFile(f"line {self._header_line}: column '{column}' is given twice",
                              about=self.path.name)
            self.columns.append(column)
        # Only what `tracker export` wrote is un-escaped (one leading apostrophe taken off):
        # a file of an export's directory, or one with the export's own key columns. A file
        # written by hand in our columns, or read through rules, is taken as it is.
        self.escaped = rules is None and (exported or bool(
            {"external_ref", "hash"}.intersection(c for c in self.columns if c)))

    @property
    def sha256(self) -> str:
        """The file's SHA-256 (read once): with a line number, a record's default source
        key."""
        if not hasattr(self, "_sha256"):
            self._sha256 = file_sha256(self.path)
        return self._sha256

    # --- the header ---------------------------------------------------------------------------

    def _raw_header(self) -> list[str]:
        if self.suffix == ".jsonl":
            return self._jsonl_header()
        if self.suffix == ".xlsx":
            rows = self._xlsx_rows()
            try:
                for _ in range(self.rules.skip):
                    next(rows)
                cells = next(rows)
            except StopIteration:
                raise BadFile("the sheet has no header line",
                              about=self.path.name) from None
            finally:
                rows.close()
            return ["" if h is None else str(h) for h in cells]
        with self._open_text() as fh:
            try:
                for _ in range(self.rules.skip):
                    fh.readline()
                first = fh.readline()
            except UnicodeDecodeError as exc:
                raise BadFile(f"line {self._undecodable_line()}: not UTF-8 text "
                              f"({exc.reason})", about=self.path.name) from None
        if not first.strip():
            raise BadFile(f"line {self._header_line}: the file has no header line",
                          about=self.path.name)
        header = next(csv.reader([first], delimiter=self.rules.delimiter))
        if len(header) == 1:
            other = [d for d in OTHER_DELIMITERS if d != self.rules.delimiter and d in first]
            if other:
                shown = "tab" if other[0] == "\t" else f"'{other[0]}'"
                raise BadFile(
                    f"line {self._header_line}: the header is one column when read as "
                    f"separated by '{self.rules.delimiter}', but holds {shown}: give "
                    f"delimiter = \"{other[0]!s}\" in --map rules (or save it as CSV with "
                    "commas)", about=self.path.name)
        return header

    def _jsonl_header(self) -> list[str]:
        with self._open_text() as fh:
            first = fh.readline()
        try:
            obj = json.loads(first)
        except ValueError:
            raise BadFile("line 1: not a JSON object", about=self.path.name) from None
        if not isinstance(obj, dict):
            raise BadFile("line 1: not a JSON object", about=self.path.name)
        return list(obj)

    def _register_of(self, header: list[str]) -> str:
        stem = self.path.stem.lower()
        for register in ("contacts", "messages", "staff", "people", "sources", "figures",
                         "participants"):
            if stem == register or stem.startswith(register + "-") \
                    or stem.startswith(register + "_"):
                return register
        names = {self.rules.rename(h.strip()) for h in header}
        if names & {"sender", "recipient", "reply_to"}:
            return "messages"
        if names & {"venue", "with", "outcome", "initiated_by"}:
            return "contacts"
        if "role" in names:
            return "staff"
        raise BadFile("cannot tell whether it holds contacts, messages or "
                      "staff: name it contacts.csv, messages.csv or staff.csv, or set "
                      "register in --map rules", about=self.path.name)

    # --- the lines ----------------------------------------------------------------------------

    def _open_text(self) -> Any:
        return self.path.open(encoding="utf-8-sig", newline="")

    def lines(self) -> Iterator[Line]:
        if self.suffix == ".jsonl":
            yield from self._jsonl_lines()
            return
        rows = self._xlsx_numbered() if self.suffix == ".xlsx" else self._csv_numbered()
        columns = self.columns
        width = len(columns)
        rules = self.rules
        # Only the columns a rule touches go through it: most files have none.
        lists = [c for c in columns if c in LIST_COLUMNS]
        ruled = {c for c in columns if c is not None and c not in lists and (
            c in rules.values or c in rules.defaults
            or (rules.date_formats and c in DATE_COLUMNS))}
        escape = ESCAPE if self.escaped else None
        for number, cells in rows:
            if not any(cells):
                continue  # a blank line
            if len(cells) != width and (self.suffix == ".csv" or any(cells[width:])):
                # a cell too many or too few: a line cut short, a delimiter in the text
                yield Line(number, {}, LineError(
                    f"{len(cells)} cells, but the header has {width} columns", line=number))
                continue
            values: dict[str, Any] = {}
            for column, text in zip(columns, cells, strict=False):
                if column is None:
                    continue
                if not text:
                    cell = None
                elif escape is not None and text[0] == escape:
                    cell = text[1:]
                else:
                    cell = text
                values[column] = rules.value(column, cell) if column in ruled else cell
            for column, default in rules.defaults.items():
                values.setdefault(column, default)
            try:
                for column in lists:
                    cell = values.get(column)
                    if cell is not None:
                        values[column] = [] if cell == "[]" else rules.items(column, _list(
                            cell, rules.list_separator, number, column) or [])
            except LineError as exc:
                yield Line(number, values, exc)
                continue
            yield Line(number, values)

    def _csv_numbered(self) -> Iterator[tuple[int, list[str]]]:
        csv.field_size_limit(FIELD_LIMIT)  # see Importer.run
        with self._open_text() as fh:
            reader = csv.reader(fh, delimiter=self.rules.delimiter)
            last = 0
            try:
                for _ in range(self.rules.skip + 1):
                    next(reader)
                last = reader.line_num
                for cells in reader:
                    # a Windows file's line break inside a quoted cell: a line break
                    yield last + 1, [c.replace("\r\n", "\n") if "\r" in c else c
                                     for c in cells]
                    last = reader.line_num
            except UnicodeDecodeError as exc:
                raise BadFile(f"line {self._undecodable_line()}: not UTF-8 text "
                              f"({exc.reason})", about=self.path.name) from None
            except csv.Error as exc:
                raise BadFile(f"line {last + 1}: {exc}", about=self.path.name) from None

    def _undecodable_line(self) -> int:
        """The physical line of the first byte that is not UTF-8 (the decoder reads ahead
        in blocks, so the reader's own count is where the block began)."""
        with self.path.open("rb") as fh:
            for number, raw in enumerate(fh, start=1):
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError:
                    return number
        return 1

    def _xlsx_rows(self) -> Generator[tuple[Any, ...], None, None]:
        from openpyxl import load_workbook

        try:
            book = load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise BadFile(f"not a readable xlsx file ({exc})",
                          about=self.path.name) from None
        try:
            yield from book.worksheets[0].iter_rows(values_only=True)
        finally:
            book.close()

    def _xlsx_numbered(self) -> Iterator[tuple[int, list[str]]]:
        rows = self._xlsx_rows()
        for number, row in enumerate(rows, start=1):
            if number <= self._header_line:
                continue
            yield number, [_xlsx_text(v) for v in row]

    def _jsonl_lines(self) -> Iterator[Line]:
        columns = {c for c in self.columns if c is not None}
        with self._open_text() as fh:
            for number, text in enumerate(fh, start=1):
                if not text.strip():
                    continue
                try:
                    obj = json.loads(text)
                except ValueError:
                    yield Line(number, {}, LineError("is not a JSON object", line=number))
                    continue
                if not isinstance(obj, dict) or set(obj) - columns:
                    yield Line(number, {}, LineError("is not an object with the first line's "
                                                     "keys", line=number))
                    continue
                values: dict[str, Any] = {}
                for key, value in obj.items():
                    kept = _json_value(value, key in LIST_COLUMNS)
                    if kept is _BAD:
                        yield Line(number, {}, LineError(
                            "is not a list of texts" if key in LIST_COLUMNS else "is not text",
                            line=number, column=key))
                        break
                    values[key] = kept
                else:
                    yield Line(number, values)


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return (value.date().isoformat() if value.time() == dt.time()
                else value.isoformat())
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_BAD = object()


def _json_value(value: Any, is_list: bool) -> Any:
    """A JSON lines value as the reader gives it: text, a list of texts, or none."""
    if value is None or (isinstance(value, str) and not is_list):
        return value
    if is_list:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return value if ok else _BAD
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # a version number, a figure
    return _BAD


def _list(cell: Any, separator: str | None, number: int, column: str) -> list[str] | None:
    if cell is None or isinstance(cell, list):
        return cell
    text = cell.strip()
    if not text:
        return []
    if separator is not None:
        return [part.strip() for part in text.split(separator) if part.strip()]
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LineError('is not a JSON list of names (["a", "b"]); a spreadsheet of your own '
                        "can give list_separator in --map rules", line=number, column=column)
    return value
