"""Typed errors, named for the condition; the CLI prints each as one line with its exit code.

An error knows the field it concerns by its domain name (``on``, ``with``, ``initiated_by``)
or, when it concerns no input field, what it is about (``C-000123``); never by how a front
end spells it. The CLI turns a field into its option (``--on``), an importer would turn it
into a column: ``describe`` does that formatting, once, for every error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import ClassVar


class ExitCode(IntEnum):
    OK = 0
    REJECTED = 1  # the input was understood but the data is refused
    USAGE = 2  # the input could not be understood
    SCHEMA = 3  # the database is not at this version's schema, or is missing
    INTERRUPTED = 130


FieldName = Callable[[str], str]


def option_name(field: str) -> str:
    """How the command line spells a field: ``initiated_by`` -> ``--initiated-by``."""
    return "--" + field.replace("_", "-")


class TrackerError(Exception):
    """Base of every error a service raises; ``detail`` says what is wrong with ``field``."""

    exit_code: ClassVar[ExitCode] = ExitCode.REJECTED

    def __init__(self, detail: str, *, field: str | None = None,
                 about: str | None = None, insist: tuple[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.about = about  # printed as it is: a record's number, a staff member …
        self.insist = insist  # (flag's field, when to use it): how to say "I mean it"

    def explain(self, name: FieldName) -> str:
        """The detail, and the flag that insists; subclasses that mention other fields spell
        them with ``name``."""
        if self.insist:
            flag, when = self.insist
            return f"{self.detail}; pass {name(flag)} {when}"
        return self.detail

    def describe(self, name: FieldName = option_name) -> str:
        """``FIELD: detail`` (or ``ABOUT: detail``), the field spelled by ``name``."""
        where = name(self.field) if self.field else self.about
        text = self.explain(name)
        return f"{where}: {text}" if where else text

    @property
    def message(self) -> str:
        return self.describe()

    def __str__(self) -> str:
        return self.describe()


# --- input that cannot be understood (exit 2) ---------------------------------------------

class UsageError(TrackerError):
    """Input that cannot be parsed or names nothing known."""

    exit_code = ExitCode.USAGE


class BadDate(UsageError):
    """Not a date in an accepted form, or not a real day."""


class BadValue(UsageError):
    """A value of the wrong shape: a registration number, a figure, a URL …"""


class BadText(UsageError):
    """Text that is missing, empty, or holds what the log cannot store."""


class UnknownChoice(UsageError):
    """A value that is none of the known choices (kinds, sides, spreads …)."""

    def __init__(self, value: str, choices: Sequence[str], *, field: str,
                 what: str = "is not known") -> None:
        super().__init__(f"'{value}' {what}; choose one of: {', '.join(choices)}", field=field)
        self.value = value
        self.choices = tuple(choices)


class AmbiguousChoice(UsageError):
    """A prefix that fits several choices."""

    def __init__(self, value: str, matches: Sequence[str], *, field: str) -> None:
        super().__init__(f"'{value}' is ambiguous; choose one of: {', '.join(matches)}",
                         field=field)
        self.matches = tuple(matches)


class NotApplicable(UsageError):
    """An option that does not apply to this kind of record."""


class ConflictingOptions(UsageError):
    """Two ways of saying the same thing given together."""

    def __init__(self, field: str, others: Sequence[str]) -> None:
        super().__init__("", field=field)
        self.others = tuple(others)

    def explain(self, name: FieldName) -> str:
        return (f"give either {name(self.field or '')} or "
                f"{'/'.join(name(o) for o in self.others)}, not both")


class RenamedOption(UsageError):
    """An option spelling that now means something else here (``--from`` is always a date)."""


class WrongRegister(UsageError):
    """A registration number of the other register (a message where a contact is needed)."""


# --- input understood but refused (exit 1) -----------------------------------------------

class BadRules(UsageError):
    """An import's ``--map`` rules file cannot be read or names what does not exist."""


class RejectedError(TrackerError):
    """Input that parses but that the log refuses."""


class DateInFuture(RejectedError):
    def __init__(self, day: dt.date, today: dt.date, *, field: str,
                 override: str | None = None) -> None:
        super().__init__("", field=field)
        self.day, self.today, self.override = day, today, override

    def explain(self, name: FieldName) -> str:
        text = f"{self.day} is in the future"
        if self.override:
            text += f" (today is {self.today}); pass {name(self.override)} to log a planned date"
        return text


class EndBeforeStart(RejectedError):
    """An interval whose end comes before its start."""

    def __init__(self, end: dt.date, start: dt.date, *, field: str, start_field: str) -> None:
        super().__init__("", field=field)
        self.end, self.start, self.start_field = end, start, start_field

    def explain(self, name: FieldName) -> str:
        return f"{self.end} is before {name(self.start_field)} {self.start}"


class PeriodEndBeforeStart(EndBeforeStart):
    """A report period written backwards: a usage error, nothing was asked of the log."""

    exit_code = ExitCode.USAGE


class TextTooLong(RejectedError):
    """More characters than the column holds."""


class NotADay(RejectedError):
    """A month or period where one day is needed."""


class SameSide(RejectedError):
    """A message from a side to itself."""


class NoSuchPerson(RejectedError):
    """No staff member matches what was typed."""


class AmbiguousPerson(RejectedError):
    """Several staff members match what was typed."""


class PersonExists(RejectedError):
    """A name or alias that is already someone's."""


class NoSuchPost(RejectedError):
    """No office post by that number, or the person holds none (or several)."""


class NamedTwice(RejectedError):
    """The same participant given twice."""


class RecordNotFound(RejectedError):
    """No record with that registration number."""


class RecordIsVoid(RejectedError):
    """The record is void: it cannot be corrected, voided again or linked to."""


class BeforeOpening(RejectedError):
    """A date before the office opened: most likely a typing mistake."""


class LooksLikeDuplicate(RejectedError):
    """A record that looks like one already logged."""


class RecordNotVoid(RejectedError):
    """Restore asked of a record that is not void."""


class NothingToCorrect(RejectedError):
    """A correction that would leave every field as it is."""


class AlreadyLeft(RejectedError):
    """A staff member whose service has already ended."""


class ServiceNotBegun(RejectedError):
    """A service that would end before it began."""


class DuplicateFigure(RejectedError):
    """The same figure from the same source is already recorded."""


class NotSeeded(RejectedError):
    """Reference data the command needs is missing: the seed has not been loaded."""


class SeedFilesMissing(RejectedError):
    """The installation's seed files cannot be found."""


class CounterOutOfStep(RejectedError):
    """A register's counter is behind its records: the next number is already taken."""


class ChainBroken(RejectedError):
    """The log does not match its hash chain, or no longer holds a saved head."""


class FiguresDisagree(RejectedError):
    """Reconcile found at least one reported figure the log does not match."""


class BadFile(RejectedError):
    """An import file that cannot be read as one of ours: its header, encoding, format."""


class LineError(RejectedError):
    """One line of an import file is refused; ``line`` and ``column`` say where."""

    def __init__(self, detail: str, *, line: int, column: str | None = None,
                 file: str | None = None) -> None:
        super().__init__(detail)
        self.line = line
        self.column = column
        self.file = file

    def in_file(self, file: str) -> LineError:
        if self.file is None:
            self.file = file
        return self

    def describe(self, name: FieldName = option_name) -> str:
        where = (f"{self.file} " if self.file else "") + f"line {self.line}" + (
            f", column {self.column}" if self.column else "")
        return f"{where}: {self.detail}"


class ImportRefused(RejectedError):
    """An import found bad lines: all of them (up to a limit) are listed; nothing was
    written."""

    def __init__(self, file: str, errors: list[LineError], more: bool) -> None:
        counted = f"{len(errors)}{'+' if more else ''}"
        super().__init__(f"{file}: {counted} bad lines; nothing was imported")
        self.file = file
        self.errors = errors
        self.more = more


# --- the database itself (exit 1 or 3) ------------------------------------------------------

class BackupFailed(TrackerError):
    """The backup could not be made, or the copy did not check out; no file was left."""


class OutputNotWritten(TrackerError):
    """A report or export file could not be written (disk full, no permission …)."""


class DatabaseUnavailable(TrackerError):
    """The database cannot be opened or reached."""


class UnsupportedDatabase(UsageError):
    """A URL for an engine tracker does not support, or not a URL at all."""


class NotADatabase(DatabaseUnavailable):
    """The path names a directory, a device, or a file that is not a SQLite database."""


class DatabaseDamaged(DatabaseUnavailable):
    """A SQLite file that is truncated or corrupt."""


class DatabaseBusy(DatabaseUnavailable):
    """Another program holds the write lock longer than the busy timeout."""


class DatabaseReadOnly(DatabaseUnavailable):
    """The database (or its directory) may be read but not written."""


class DiskFull(DatabaseUnavailable):
    """The disk (or the database's size limit) is full; nothing was written."""


class RoleMayNotWrite(DatabaseUnavailable):
    """The PostgreSQL role this command logged in as may not write (or not this)."""


class AppendOnlyViolation(TrackerError):
    """The database refused to change or remove a row of the append-only log."""


class SchemaError(TrackerError):
    """The database is missing the schema or is at another revision."""

    exit_code = ExitCode.SCHEMA


class NoDatabase(SchemaError):
    """No tracker database at that path; only a command that can write creates one."""


class ForeignDatabase(SchemaError):
    """A database that holds another application's tables and no tracker schema."""
