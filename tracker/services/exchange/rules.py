"""``--map RULES.toml``: how to read someone else's spreadsheet as one of our files.

Modelled on hledger's CSV rules, as far as a contact log needs:

    register = "contacts"          # which of our files the spreadsheet is (contacts,
                                   # messages or staff); else told by its file name
    delimiter = ";"                # CSV only; "," by default, "\\t" for tab
    skip = 2                       # lines before the header line (a title, a blank line)
    date_format = ["%d.%m.%Y", "%Y-%m-%d"]   # strptime formats, tried in order
    list_separator = ";"           # how their lists (participants, tags) are separated
    ignore = ["Row", "Checked"]    # their columns we do not want

    [columns]                      # their column = our column
    "Datum" = "date_from"
    "Teilnehmer" = "with"

    [values.kind]                  # their spelling = ours, per column (ours: after renaming);
    "Arbeitsgespräch" = "working-talks"  # in a list column (with, tags), per item

    [defaults]                     # our column = value when their cell is empty or missing
    outcome = "held"

Every column of theirs must be renamed to one of ours or ignored: a column we would silently
drop is an error, as is a rule naming a column of ours that does not exist.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.errors import BadRules
from tracker.services.exchange.files import COLUMNS

DATE_COLUMNS = frozenset({"date_from", "date_to", "service_from", "service_to",
                          "published_on", "as_of"})
LIST_COLUMNS = frozenset({"with", "tags", "aliases"})
REGISTERS = ("contacts", "messages", "staff")
_KEYS = {"register", "delimiter", "skip", "date_format", "list_separator", "ignore", "columns",
         "values", "defaults"}


@dataclass
class Rules:
    register: str | None = None
    delimiter: str = ","
    skip: int = 0
    date_formats: tuple[str, ...] = ()
    list_separator: str | None = None
    ignore: frozenset[str] = frozenset()
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)

    def rename(self, header: str) -> str | None:
        """Our name for their column (None: ignored)."""
        if header in self.ignore:
            return None
        return self.columns.get(header, header)

    def items(self, column: str, items: list[str]) -> list[str]:
        """A list cell's items (participants, tags) each spelled as ours."""
        spelled = self.values.get(column)
        return [spelled.get(i, i) for i in items] if spelled else items

    def value(self, column: str, cell: str | None) -> str | None:
        """Their cell as we read it: their spelling mapped, a default for an empty one, a
        date in one of their formats as ISO."""
        if cell is not None and column in self.values:
            cell = self.values[column].get(cell.strip(), cell)
        if (cell is None or not cell.strip()) and column in self.defaults:
            cell = self.defaults[column]
        if cell and self.date_formats and column in DATE_COLUMNS:
            cell = _iso_day(cell, self.date_formats)
        return cell


def _iso_day(cell: str, formats: tuple[str, ...]) -> str:
    text = cell.strip()
    for fmt in formats:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return text  # left for the date check, which names the column and the accepted forms


def load_rules(path: Path) -> Rules:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise BadRules(f"cannot read {path}: {exc.strerror}", field="map") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadRules(f"{path.name} is not TOML: {exc}", field="map") from None
    return parse_rules(data, path.name)


def parse_rules(data: dict[str, Any], name: str = "rules") -> Rules:
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise BadRules(f"{name}: unknown setting '{unknown[0]}' (settings: "
                       f"{', '.join(sorted(_KEYS))})", field="map")
    register = data.get("register")
    if register is not None and register not in REGISTERS:
        raise BadRules(f"{name}: register must be one of {', '.join(REGISTERS)}", field="map")
    ours = set(COLUMNS[register]) if register else set().union(
        *(COLUMNS[r] for r in REGISTERS))
    formats = data.get("date_format", [])
    formats = [formats] if isinstance(formats, str) else formats
    columns = _strings(data.get("columns", {}), name, "columns")
    values = data.get("values", {})
    defaults = _strings(data.get("defaults", {}), name, "defaults")
    delimiter = data.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise BadRules(f"{name}: delimiter must be one character", field="map")
    if not isinstance(values, dict) or not all(isinstance(v, dict) for v in values.values()):
        raise BadRules(f"{name}: [values.COLUMN] tables map their spelling to ours",
                       field="map")
    for where, named in (("columns", columns.values()), ("values", values),
                         ("defaults", defaults)):
        for column in named:
            if column not in ours:
                raise BadRules(f"{name}: [{where}] names '{column}', which is not one of our "
                               f"columns ({', '.join(sorted(ours))})", field="map")
    skip = data.get("skip", 0)
    if not isinstance(skip, int) or skip < 0:
        raise BadRules(f"{name}: skip must be a whole number of lines", field="map")
    return Rules(register=register, delimiter=delimiter, skip=skip,
                 date_formats=tuple(str(f) for f in formats),
                 list_separator=data.get("list_separator"),
                 ignore=frozenset(str(c) for c in data.get("ignore", [])),
                 columns=columns,
                 values={c: _strings(v, name, f"values.{c}") for c, v in values.items()},
                 defaults=defaults)


def _strings(table: Any, name: str, where: str) -> dict[str, str]:
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise BadRules(f"{name}: [{where}] maps names to text", field="map")
    return {str(k): v for k, v in table.items()}
