"""Typed errors raised by services; the CLI maps each to one stderr line and an exit code."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    REJECTED = 1  # the input was understood but the data is refused
    USAGE = 2  # the input could not be understood
    SCHEMA = 3  # the database is not at this version's schema
    INTERRUPTED = 130


class TrackerError(Exception):
    exit_code: ExitCode = ExitCode.REJECTED

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(TrackerError):
    """Input that cannot be parsed or names nothing known (bad date, unknown kind …)."""

    exit_code = ExitCode.USAGE


class RejectedError(TrackerError):
    """Input that parses but that the log refuses (future date, no-op correction …)."""


class NotFound(TrackerError):
    """No record, staff member or source by that name."""


class SchemaError(TrackerError):
    """The database is missing the schema or is at another revision."""

    exit_code = ExitCode.SCHEMA


class FiguresDisagree(TrackerError):
    """Reconcile found at least one reported figure the log does not match."""
