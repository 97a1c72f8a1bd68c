"""``tracker import``: files of contacts, messages and staff, or a whole export, in one
transaction.

- Every line is validated by the functions ``contact log`` and ``message log`` use
  (``contact_fields``, ``message_fields``, ``participant_ids``, ``clean_tags``,
  ``check_opening``), through a ``Lookup`` that remembers its answers. Every bad line is
  reported (up to ``max_errors``) with its line, column and reason; then nothing is written.
- Lines are read, checked and written in chunks, so the file is never held in memory:
  records through the raw driver (``tracker.db.bulk``), each version hashed into the
  register's chain with ``version_content``/``version_hash`` as ``Appender`` does.
- Registration numbers are taken from the register's counter in file order, gapless; the
  counter's lock is held to the end of the import's transaction, and no longer.
- Each record carries a source key: its ``external_ref`` if the file gives one, else the
  file's SHA-256 and the line number of its first line. A key already in the log means the
  record is already there: it is counted, not added again. Two identical lines are two
  records (two identical real meetings are both real).
- A record's versions are consecutive lines with the same ``reg_no`` (an export made with
  ``--history``): the first makes the record, each later one a correction, a void (status
  ``void``) or a restore, with its reason. A record's ``reg_no`` in the file is only a key
  within the file: it gets the next number of the log, and a message's ``contact`` or
  ``reply_to`` naming a record of the same import is linked to that record.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import String, any_, literal, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from tracker.clock import utcnow
from tracker.db.bulk import STORED_TIME, BulkWriter
from tracker.errors import (
    AmbiguousPerson,
    BadFile,
    BadValue,
    ImportRefused,
    LineError,
    NoSuchPerson,
    TrackerError,
)
from tracker.models import (
    ContactParticipant,
    ImportFile,
    Person,
    ReportedFigure,
    Source,
    Staff,
    StaffLeave,
)
from tracker.services.exchange.files import COLUMNS, FILES, MANIFEST, OPTIONAL, own_key
from tracker.services.exchange.reader import Line, Table
from tracker.services.exchange.rules import Rules
from tracker.services.records import resolve
from tracker.services.records.chain import chain_head, version_content, version_hash
from tracker.services.records.numbers import lock_for_writing, take_numbers
from tracker.services.records.registers import CONTACTS, MESSAGES, Register
from tracker.services.records.text import clean_clerk, clean_tags, clean_text, required_text
from tracker.services.records.write import (
    Lookup,
    check_opening,
    contact_fields,
    message_fields,
    participant_ids,
)

MAX_ERRORS = 50
CHUNK = 2000  # records a write
# A service's field names as an import file's columns, and the flags that insist.
COLUMN_OF_FIELD = {"on": "date_from", "until": "date_to", "note": "notes", "at": "time_of_day",
                   "tag": "tags", "clerk": "recorded_by"}
FLAGS = {"before_opening": "--before-opening", "allow_future": "--allow-future"}
REGISTER_FILES = {"contacts": CONTACTS, "messages": MESSAGES}


def column_name(field: str) -> str:
    return FLAGS.get(field) or COLUMN_OF_FIELD.get(field, field)


@dataclass
class ImportOptions:
    clerk: str
    dry_run: bool = False
    allow_future: bool = False
    before_opening: bool = False
    rules: Rules | None = None
    max_errors: int = MAX_ERRORS
    progress: Callable[[int], None] | None = None  # told the lines read so far


@dataclass
class FileResult:
    name: str
    register: str
    added: int = 0  # records (people, posts, sources, figures) added
    versions: int = 0  # versions added (contacts and messages)
    already: int = 0  # records whose source key the log already holds
    lines: int = 0


@dataclass
class ImportResult:
    files: list[FileResult] = field(default_factory=list)
    dry_run: bool = False

    @property
    def added(self) -> int:
        return sum(f.added for f in self.files)

    @property
    def already(self) -> int:
        return sum(f.already for f in self.files)


class Errors:
    """Bad lines, kept up to a limit, for one report at the end."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.items: list[LineError] = []
        self.more = False

    def add(self, error: LineError) -> None:
        if len(self.items) < self.limit:
            self.items.append(error)
        else:
            self.more = True

    def refused(self, file: str, line: int, exc: TrackerError) -> None:
        """A service's refusal of a line, its field named as the file's column."""
        column = column_name(exc.field) if exc.field else exc.about
        self.add(LineError(exc.explain(column_name), line=line, column=column, file=file))


class ImportLookup(Lookup):
    """``Lookup`` that remembers each answer (and each refusal) and knows the records this
    import adds, by their ``reg_no`` in the file."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.memo: dict[tuple[str, ...], Any] = {}
        self.records: dict[str, dict[str, int]] = {"C": {}, "M": {}}  # file reg_no -> id
        self.people: dict[str, int] = {}  # a person's ref in the file (#12) -> id here
        self.exported = False  # reading an export's file: its links are to its own records
        self._opened: Any = self

    def _remember(self, key: tuple[str, ...], answer: Callable[[], Any]) -> Any:
        found = self.memo.get(key)
        if found is None:
            try:
                found = (True, answer())
            except TrackerError as exc:
                found = (False, exc)
            self.memo[key] = found
        if found[0]:
            return found[1]
        # each raise would add its frames (and the chunks they hold) to the one traceback
        raise found[1].with_traceback(None)

    def kind(self, register: Register, value: str) -> str:
        return self._remember(("kind", register.code, value),
                              lambda: super(ImportLookup, self).kind(register, value))

    def side(self, value: str, field: str) -> str:
        return self._remember(("side", field, value),
                              lambda: super(ImportLookup, self).side(value, field))

    def field_of_work(self, value: str) -> str:
        return self._remember(("field", value),
                              lambda: super(ImportLookup, self).field_of_work(value))

    def outcome(self, value: str) -> str:
        return self._remember(("outcome", value),
                              lambda: super(ImportLookup, self).outcome(value))

    def person(self, value: str) -> tuple[int, str]:
        """A person the file names exactly (a name, an alias or ``#ID``): an import runs
        unwatched, so it never takes a partial match, as ``contact log`` may."""
        mapped = self.people.get(value.strip())
        if mapped is not None:
            return mapped, value.strip()
        return self._remember(("person", value), lambda: self._exactly(value))

    def _exactly(self, value: str) -> tuple[int, str]:
        from tracker.services.people import named_exactly

        if value.strip().startswith("#"):
            return super().person(value)
        found = named_exactly(self.session, value)
        if len(found) == 1:
            return found[0].id, found[0].label
        if found:
            listed = "; ".join(p.label for p in found)
            raise AmbiguousPerson(f"'{value}' is the name of several people: {listed}",
                                  field="with")
        raise NoSuchPerson(f"'{value}' is no one's name or alias exactly (an import takes no "
                           "partial match; see `tracker person list`, or spell it in --map "
                           "[values.with])", field="with")

    def opened(self) -> dt.date | None:
        if self._opened is self:
            self._opened = super().opened()
        return self._opened

    def contact(self, value: str) -> int:
        return self._record("C", value, lambda: super(ImportLookup, self).contact(value))

    def message(self, value: str) -> int:
        return self._record("M", value, lambda: super(ImportLookup, self).message(value))

    def _record(self, code: str, value: str, in_log: Callable[[], int]) -> int:
        try:
            _, reg_no = resolve.parse_reg_no(value, "contact" if code == "C" else "reply_to")
        except TrackerError:
            reg_no = value
        mapped = self.records[code].get(reg_no)
        if mapped is not None:
            return mapped
        if self.exported:  # an export's numbers are its own log's, not this one's
            raise BadValue(f"{reg_no} is not a record of this import: an export's link can "
                           "only be to a record of the same export, on an earlier line",
                           field="contact" if code == "C" else "reply_to")
        return self._remember(("record", code, value), in_log)


@dataclass
class Version:
    line: int
    fields: dict[str, Any]
    participants: tuple[int, ...]
    tags: tuple[str, ...]
    is_void: bool
    reason: str | None
    recorded_at: dt.datetime
    recorded_by: str


@dataclass
class RawRecord:
    """A record's lines as read: its first line and any later versions after it."""

    file_key: str | None  # its reg_no in the file
    source_key: str
    lines: list[Line]


@dataclass
class Held:
    """A record the log already holds, as its current version stands."""

    record_id: int
    reg_no: str
    version_id: int
    version_no: int
    hash: str
    is_void: bool
    recorded_at: dt.datetime


@dataclass
class PendingRecord:
    record_id: int
    line: int
    file_key: str | None  # its reg_no in the file
    source_key: str
    source_id: int | None
    versions: list[Version]
    held: Held | None = None  # versions to append to a record already in the log


class Importer:
    def __init__(self, session: Session, options: ImportOptions) -> None:
        self.session = session
        self.options = options
        self.lookup = ImportLookup(session)
        self.errors = Errors(options.max_errors)
        self.now = utcnow()
        self.clerk = clean_clerk(options.clerk)
        self.lines_read = 0
        self.sources: dict[str, int] = {}

    # --- the whole import --------------------------------------------------------------------

    def run(self, path: Path) -> ImportResult:
        import csv

        from tracker.services.exchange.reader import FIELD_LIMIT

        # Cells of any length are read (the column's check says what fits), in every file
        # read side by side; the limit is the process's, and a process imports once.
        csv.field_size_limit(FIELD_LIMIT)
        result = ImportResult(dry_run=self.options.dry_run)
        tables = (self._directory(path) if path.is_dir()
                  else [Table(path, self.options.rules)])
        if tables[0].register == "participants":
            raise BadFile("participants come with their contacts: import the export's "
                          "directory", about=path.name)
        participants = next((t for t in tables if t.register == "participants"), None)
        keep_contacts = any(t.register == "messages" for t in tables)
        for table in tables:
            if table.register == "participants":
                continue
            outcome = FileResult(table.path.name, table.register)
            self.lookup.exported = table.escaped
            result.files.append(outcome)
            if table.register in REGISTER_FILES:
                self._register_file(table, outcome, participants, keep_contacts)
            else:
                getattr(self, f"_{table.register}_file")(table, outcome)
        if self.errors.items:
            files = {t.path.name: i for i, t in enumerate(tables)}
            listed = sorted(self.errors.items,  # in file order, whenever each was found
                            key=lambda e: (files.get(e.file or "", len(files)), e.line))
            raise ImportRefused(path.name, listed, self.errors.more)
        return result

    def _directory(self, path: Path) -> list[Table]:
        """The files of an export's directory, in the order they are imported. With a
        manifest, exactly the files it lists, each checked against its SHA-256."""
        if self.options.rules is not None:
            raise BadFile("--map rules read one spreadsheet, not an export's directory",
                          about=path.name)
        manifest = path / MANIFEST
        expected: dict[str, Any] = {}
        if manifest.exists():
            try:
                expected = json.loads(manifest.read_text(encoding="utf-8"))["files"]
                if not isinstance(expected, dict) or not all(
                        isinstance(v, dict) for v in expected.values()):
                    raise TypeError("files")
            except (ValueError, KeyError, TypeError):
                raise BadFile("not a tracker manifest", about=manifest.name) from None
        tables = []
        for name in FILES:
            candidates = [path / f"{name}.{s}" for s in ("csv", "xlsx", "jsonl")]
            if expected:
                found = [p for p in candidates if p.name in expected]
                missing = [p.name for p in found if not p.exists()]
                if missing:
                    raise BadFile(f"{MANIFEST} lists {missing[0]}, which is missing",
                                  about=path.name)
            else:
                found = [p for p in candidates if p.exists()]
            if len(found) > 1:
                raise BadFile(f"holds {found[0].name} and {found[1].name}: "
                              "which one?", about=path.name)
            if not found:
                continue
            table = Table(found[0], None, name, exported=bool(expected))
            about = expected.get(found[0].name)
            if about is not None and about.get("sha256") != table.sha256:
                raise BadFile(f"{found[0].name} is not the file {MANIFEST} lists (its SHA-256 "
                              "differs): changed or cut short since the export", about=path.name)
            tables.append(table)
        if not any(t.register in ("sources", "figures", "people", "staff", "contacts",
                                  "messages") for t in tables):
            raise BadFile("holds none of the files of an export "
                          f"({', '.join(f + '.csv' for f in FILES)})", about=path.name)
        if any(t.register == "participants" for t in tables) and \
                not any(t.register == "contacts" for t in tables):
            raise BadFile("holds participants but no contacts for them", about=path.name)
        return tables

    def _record_file(self, table: Table) -> ImportFile:
        row = ImportFile(name=table.path.name[:500], sha256=table.sha256,
                         recorded_at=self.now, recorded_by=self.clerk)
        self.session.add(row)
        self.session.flush()
        return row

    def _check_columns(self, table: Table) -> None:
        needed = [c for c in _required(table.register) if c not in table.columns]
        if needed:
            raise BadFile(f"line {table.rules.skip + 1}: the column '{needed[0]}' is missing",
                          about=table.path.name)

    def _tick(self, lines: int) -> None:
        self.lines_read += lines
        if self.options.progress is not None:
            self.options.progress(self.lines_read)

    # --- contacts and messages ---------------------------------------------------------------

    def _register_file(self, table: Table, outcome: FileResult, participants: Table | None,
                       keep_keys: bool) -> None:
        register = REGISTER_FILES[table.register]
        self._check_columns(table)
        writer = RegisterWriter(self.session, register, lambda: self._record_file(table).id,
                                self.lookup, keep_keys=keep_keys or register is MESSAGES)
        people = _ParticipantLines(participants, self) if (
            participants is not None and register is CONTACTS) else None
        chunk: list[RawRecord] = []
        record: RawRecord | None = None
        last_number = 0
        for line in table.lines():
            outcome.lines += 1
            if line.error is not None:
                self.errors.add(line.error.in_file(table.path.name))
                record = None
                continue
            key = line.values.get("reg_no")
            if key is not None and record is not None and key == record.file_key:
                record.lines.append(line)
                continue
            record = None
            try:
                if key is not None:
                    reg, key = resolve.parse_reg_no(key, "reg_no")
                    number = int(key[2:])
                    if reg is not register:
                        raise BadValue(f"{key} is not a {register.noun}", field="reg_no")
                    if number <= last_number:
                        raise BadValue("is not after the line before's: a file's records "
                                       "come in reg_no order, each record's versions on "
                                       "consecutive lines", field="reg_no")
                    last_number = number
                record = RawRecord(key, self._source_key(table, line), [line])
            except LineError as exc:
                self.errors.add(exc.in_file(table.path.name))
            except TrackerError as exc:
                self.errors.refused(table.path.name, line.number, exc)
            if record is not None:
                chunk.append(record)
            if len(chunk) >= CHUNK:
                self._chunk(table, register, writer, people, chunk[:-1], outcome)
                chunk = chunk[-1:]  # the last record may have more versions to come
        self._chunk(table, register, writer, people, chunk, outcome)
        if people is not None:
            people.finish()
        writer.close()

    def _chunk(self, table: Table, register: Register, writer: RegisterWriter,
               people: _ParticipantLines | None, chunk: list[RawRecord],
               outcome: FileResult) -> None:
        """Check and write a chunk of records: those the log already holds (by source key)
        are counted and skipped unread; every other line is validated."""
        there = writer.existing([r.source_key for r in chunk])
        pending: list[PendingRecord] = []
        seen: set[str] = set()
        for raw in chunk:
            if raw.source_key in there or raw.source_key in seen:
                outcome.already += 1
                writer.known(raw.file_key, there.get(raw.source_key))
                later: list[Line] = []
                if raw.source_key in there and len(raw.lines) > 1:
                    # a record the log holds, whose history the file carries further on:
                    # its later corrections, voids and restores are appended
                    held = writer.held(there[raw.source_key])
                    later = raw.lines[held.version_no:]
                known = raw.lines[:len(raw.lines) - len(later)]
                if people is not None:  # read past the participants of what is known
                    last = known[-1].values
                    people.named(last.get("reg_no"), last.get("version_no"), known[-1].number,
                                 skip=True)
                if later:
                    with self._line(table.path.name, later[0].number):
                        pending.append(self._later(register, people, raw, held, later))
                continue
            seen.add(raw.source_key)
            record_id = writer.reserve(raw.file_key)  # before its lines: a reply may name it
            try:
                versions: list[Version] = []
                for line in raw.lines:
                    versions.append(self._version(register, line, people,
                                                  versions[-1] if versions else None))
                if len(versions) == 1:  # a record as it stands, without its history:
                    versions = _as_first(versions[0])  # made (then voided, if it is void)
                pending.append(PendingRecord(
                    record_id, raw.lines[0].number, raw.file_key, raw.source_key,
                    self._source(raw.lines[0].values.get("source")), versions))
            except LineError as exc:
                self.errors.add(exc.in_file(table.path.name))
            except TrackerError as exc:
                self.errors.refused(table.path.name, line.number, exc)
        if pending and not self.errors.items:
            added, versions_added = writer.write(pending)
            outcome.added += added
            outcome.versions += versions_added
        elif pending:  # a bad line somewhere: nothing will be written, but count on
            outcome.added += sum(1 for p in pending if p.held is None)
            outcome.versions += sum(len(p.versions) for p in pending)
        self._tick(sum(len(r.lines) for r in chunk))

    def _later(self, register: Register, people: _ParticipantLines | None, raw: RawRecord,
               held: Held, lines: list[Line]) -> PendingRecord:
        """The versions ``lines`` add to a record the log holds as ``held``."""
        versions: list[Version] = []
        previous = Version(0, {}, (), (), held.is_void, None, held.recorded_at, "")
        for line in lines:
            versions.append(self._version(register, line, people,
                                          versions[-1] if versions else previous))
        return PendingRecord(held.record_id, lines[0].number, raw.file_key, raw.source_key,
                             None, versions, held)

    def _version(self, register: Register, line: Line, people: _ParticipantLines | None,
                 previous: Version | None) -> Version:
        v = line.values
        allow_future = self.options.allow_future
        on, until = v.get("date_from"), v.get("date_to")
        if on is None:
            raise LineError("is required", line=line.number, column="date_from")
        if until == on:
            until = None
        kind = v.get("kind")
        if kind is None:
            raise LineError("is required", line=line.number, column="kind")
        # A record known only as a reported total has no subject; its void or correction
        # keeps none (as `tracker void` does), while a new record must have one.
        subject = v.get("subject")
        unsubjected = subject is None and previous is not None and \
            previous.fields.get("subject") is None
        if unsubjected:
            subject = "(none)"
        if register is CONTACTS:
            fields = contact_fields(
                self.lookup, kind=kind, on=on, until=until, subject=subject,
                venue=v.get("venue"), initiated_by=v.get("initiated_by"), notes=v.get("notes"),
                at=v.get("time_of_day"), field=v.get("field"), outcome=v.get("outcome"),
                allow_future=allow_future)
            named: Sequence[int]
            if people is not None:
                named = people.named(v.get("reg_no"), v.get("version_no"), line.number)
            else:
                named = participant_ids(self.lookup, v.get("with") or [])
        else:
            fields = message_fields(
                self.lookup, sender=v.get("sender"), recipient=v.get("recipient"), kind=kind,
                on=on, until=until, subject=subject, contact=v.get("contact"),
                notes=v.get("notes"), at=v.get("time_of_day"), reply_to=v.get("reply_to"),
                field=v.get("field"), allow_future=allow_future)
            named = ()
            if v.get("reply_to") is not None and v.get("reply_to") == v.get("reg_no"):
                raise LineError("a message cannot answer itself", line=line.number,
                                column="reply_to")
        if unsubjected:
            fields["subject"] = None
        check_opening(self.lookup, fields["date_from"], "on", self.options.before_opening)
        status = (v.get("status") or "current").strip().lower()
        if status not in ("current", "void"):
            raise LineError(f"'{status}' is neither current nor void", line=line.number,
                            column="status")
        reason = clean_text(v.get("reason"), "reason")
        recorded_at = _timestamp(v.get("recorded_at"), line.number) or self.now
        if recorded_at > self.now:
            raise LineError(f"{recorded_at} is in the future", line=line.number,
                            column="recorded_at")
        if previous is not None:
            _check_next(v, previous, recorded_at, reason, status, line.number)
        recorded_by = clean_clerk(v.get("recorded_by") or self.clerk)
        return Version(line.number, fields, tuple(sorted(named)), clean_tags(v.get("tags")),
                       status == "void", reason, recorded_at, recorded_by)

    def _source_key(self, table: Table, line: Line) -> str:
        ref = line.values.get("external_ref")
        if ref is not None:
            return required_text(ref, "external_ref", max_len=200)
        return f"{table.sha256}:{line.number}"

    def _row_key(self, table: Table, line: Line) -> str:
        """A person's or a post's source key: its ``external_ref``, else ``seed:KEY``, else
        the file's SHA-256 and the line."""
        v = line.values
        return v.get("external_ref") or (f"seed:{v['seed_key']}" if v.get("seed_key")
                                         else f"{table.sha256}:{line.number}")

    def _source(self, key: str | None) -> int | None:
        if key is None:
            return None
        if key not in self.sources:
            found = self.session.scalar(select(Source.id).where(Source.key == key))
            if found is None:
                raise BadValue(f"'{key}' is not a source of the log (sources.csv adds one)",
                               field="source")
            self.sources[key] = found
        return self.sources[key]

    # --- the small files: sources, figures, people, staff -------------------------------------

    def _own_keys(self, kind: str, table: type[Person] | type[Staff]) -> dict[str, int]:
        """The ``tracker:`` keys an export of this log gives the people or posts it recorded
        itself (they are few): one of them in a file is already here."""
        return {own_key(kind, row_id, at, by): row_id for row_id, at, by in self.session.execute(
            select(table.id, table.recorded_at, table.recorded_by)
            .where(table.source_key.is_(None), table.seed_key.is_(None)))}

    def _good_lines(self, table: Table, outcome: FileResult) -> Iterator[Line]:
        """The file's lines, each counted; one the reader could not make out is listed."""
        for line in table.lines():
            outcome.lines += 1
            if line.error is not None:
                self.errors.add(line.error.in_file(table.path.name))
                continue
            yield line

    @contextmanager
    def _line(self, file: str, number: int) -> Iterator[None]:
        """A line's refusal, whatever raised it, listed with its file, line and column."""
        try:
            yield
        except LineError as exc:
            self.errors.add(exc.in_file(file))
        except TrackerError as exc:
            self.errors.refused(file, number, exc)

    def _sources_file(self, table: Table, outcome: FileResult) -> None:
        for line in self._good_lines(table, outcome):
            v = line.values
            with self._line(table.path.name, line.number):
                key = required_text(v.get("key"), "key", max_len=100)
                if self.session.scalar(select(Source.id).where(Source.key == key)):
                    outcome.already += 1
                    continue
                self.session.add(Source(
                    key=key, publisher=clean_text(v.get("publisher"), "publisher", max_len=200),
                    title=required_text(v.get("title"), "title", max_len=500),
                    published_on=_day(v.get("published_on"), line.number, "published_on"),
                    date_basis=clean_text(v.get("date_basis"), "date_basis"),
                    seed_file=clean_text(v.get("seed_file"), "seed_file", max_len=200),
                    url=clean_text(v.get("url"), "url", max_len=500)))
                self.session.flush()
                outcome.added += 1

    def _figures_file(self, table: Table, outcome: FileResult) -> None:
        f = ReportedFigure
        for line in self._good_lines(table, outcome):
            v = line.values
            with self._line(table.path.name, line.number):
                values = {
                    "metric": required_text(v.get("metric"), "metric", max_len=60),
                    "value_low": _whole(v.get("value_low"), line.number, "value_low"),
                    "value_high": _whole(v.get("value_high"), line.number, "value_high"),
                    "qualifier": required_text(v.get("qualifier"), "qualifier", max_len=20),
                    "as_of": _day(v.get("as_of"), line.number, "as_of"),
                    "source_id": self._source(required_text(v.get("source"), "source")),
                }
                found = self.session.scalar(select(f.id).where(
                    *(getattr(f, k) == value for k, value in values.items())))
                if found is not None:
                    outcome.already += 1
                    continue
                self.session.add(f(**values, note=clean_text(v.get("note"), "note"),
                                   recorded_at=_timestamp(v.get("recorded_at"), line.number)
                                   or self.now,
                                   recorded_by=clean_clerk(v.get("recorded_by") or self.clerk)))
                self.session.flush()
                outcome.added += 1

    def _people_file(self, table: Table, outcome: FileResult) -> None:
        from tracker.services import people

        merges: list[tuple[int, str, str]] = []
        ours = self._own_keys("person", Person)
        for line in self._good_lines(table, outcome):
            v = line.values
            with self._line(table.path.name, line.number):
                ref = required_text(v.get("person"), "person", max_len=20)
                key = self._row_key(table, line)
                found = ours.get(key) or self.session.scalar(select(Person.id).where(or_(
                    Person.source_key == key,
                    Person.seed_key == (v.get("seed_key") or key))))
                if found is not None:
                    self.lookup.people[ref] = found
                    outcome.already += 1
                    continue
                added = people.add_person(
                    self.session, name=v.get("name") or "", side=v.get("side"),
                    affiliation=v.get("affiliation"), aliases=v.get("aliases") or [],
                    new=True, source_key=key, clerk=v.get("recorded_by") or self.clerk,
                    recorded_at=_timestamp(v.get("recorded_at"), line.number))
                self.lookup.people[ref] = added.id
                if v.get("merged_into"):
                    merges.append((line.number, ref, v["merged_into"]))
                outcome.added += 1
        for number, ref, into in merges:
            with self._line(table.path.name, number):
                survivor = self.lookup.people.get(into.strip())
                if survivor is None:
                    raise LineError(f"names {into}, who is not in the file", line=number,
                                    column="merged_into")
                people.merge(self.session, f"#{self.lookup.people[ref]}", f"#{survivor}",
                             reason="merged in the log this file was exported from",
                             clerk=self.clerk)

    def _staff_file(self, table: Table, outcome: FileResult) -> None:
        from tracker.services import staff

        self._check_columns(table)
        ours = self._own_keys("staff", Staff)
        for line in self._good_lines(table, outcome):
            v = line.values
            with self._line(table.path.name, line.number):
                key = self._row_key(table, line)
                found = ours.get(key) or self.session.scalar(select(Staff.id).where(or_(
                    Staff.source_key == key, Staff.seed_key == (v.get("seed_key") or key))))
                if found is not None:
                    outcome.already += 1
                    # a post that has ended since: its leave is a fact the log lacks
                    if v.get("service_to") and not self.session.scalar(
                            select(StaffLeave.id).where(StaffLeave.staff_id == found)):
                        staff.leave(self.session, f"#{found}", on=v["service_to"],
                                    reason=v.get("leave_reason"), clerk=self.clerk)
                    continue
                person = v.get("person")
                if person is not None and person.strip().startswith("#"):
                    if person.strip() not in self.lookup.people:  # an id of the other log
                        raise LineError(f"names {person.strip()}, who is not in people.csv; "
                                        "name the person instead", line=line.number,
                                        column="person")
                    person = f"#{self.lookup.people[person.strip()]}"
                post = staff.add_staff(
                    self.session, side=v.get("side") or "", role=v.get("role") or "",
                    name=person, service_from=v.get("service_from"),
                    clerk=v.get("recorded_by") or self.clerk, source_key=key,
                    source_id=self._source(v.get("source")),
                    recorded_at=_timestamp(v.get("recorded_at"), line.number))
                if v.get("service_to"):
                    staff.leave(self.session, f"#{post.id}", on=v["service_to"],
                                reason=v.get("leave_reason"), clerk=self.clerk)
                outcome.added += 1


class _ParticipantLines:
    """participants.csv read beside contacts.csv, both in (reg_no, version_no) order: the
    people of each contact version, by their ``person`` ref in the export's people.csv."""

    def __init__(self, table: Table, importer: Importer) -> None:
        self.table = table
        self.importer = importer
        self.lines = table.lines()
        self.next: Line | None = next(self.lines, None)

    def named(self, reg_no: str | None, version_no: str | None, number: int,
              skip: bool = False) -> list[int]:
        """The people of a contact version (``skip``: read past them, for a record the log
        already holds)."""
        key = (reg_no or "", version_no or "1")
        ids: list[int] = []
        while self.next is not None and _key(self.next) <= _sort_key(key):
            line, self.next = self.next, next(self.lines, None)
            if _key(line) < _sort_key(key) or skip:
                continue  # a version already in the log, or one refused: not read
            ref = (line.values.get("person") or "").strip()
            person = self.importer.lookup.people.get(ref)
            if person is None:
                person, _ = self.importer.lookup.person(line.values.get("name") or ref)
            if person in ids:
                raise LineError(f"participants.csv line {line.number} names {ref} twice",
                                line=number, column="with")
            ids.append(person)
        return ids

    def finish(self) -> None:
        """Every participant line was read beside its contact; one left over names a contact
        contacts.csv does not have."""
        if self.next is not None:
            self.importer.errors.add(LineError(
                f"names {self.next.values.get('reg_no')}, which contacts.csv does not have",
                line=self.next.number, column="reg_no", file=self.table.path.name))


def _key(line: Line) -> tuple[int, int]:
    return _sort_key((line.values.get("reg_no") or "", line.values.get("version_no") or "1"))


def _sort_key(key: tuple[str, str]) -> tuple[int, int]:
    reg_no, version_no = key
    digits = "".join(ch for ch in reg_no if ch in "0123456789")
    return (int(digits) if digits else 0,
            int(version_no) if version_no.isdecimal() and version_no.isascii() else 0)


class RegisterWriter:
    """Writes chunks of pending records to one register: numbers, ids, hashes, rows."""

    def __init__(self, session: Session, register: Register, file_row: Callable[[], int],
                 lookup: ImportLookup, *, keep_keys: bool) -> None:
        self.session = session
        self.register = register
        self.file_row = file_row  # records the file, the first time a record is added
        self.file_id: int | None = None
        self.lookup = lookup
        self.keep_keys = keep_keys
        lock_for_writing(session, register)
        self.bulk = BulkWriter.for_session(session, prefix="import")
        self.head = chain_head(session, register)
        self.record_table = register.record.__tablename__
        self.version_table = register.version.__tablename__
        self.next_record = self.bulk.next_id(self.record_table)
        self.next_version = self.bulk.next_id(self.version_table)
        self.version_columns = ("id", register.record_fk.key, "version_no", "supersedes_id",
                                "is_void", "reason", "recorded_at", "recorded_by", "prev_hash",
                                "hash", *register.fields)
        self.moved = False

    def existing(self, keys: list[str]) -> dict[str, int]:
        """Which of these source keys the log already holds, and the records' ids (a
        ``seed:KEY`` is also a seeded record's own key; ``tracker:HASH`` a record of this
        very log, exported and brought back)."""
        record, version = self.register.record, self.register.version
        sqlite = self.bulk.sqlite
        there: dict[str, int] = {}
        for key, record_id in self.session.execute(
                select(record.source_key, record.id)
                .where(_among(record.source_key, keys, sqlite))):
            there[str(key)] = record_id
        seeds = [k[5:] for k in keys if k.startswith("seed:")]
        if seeds:
            for key, record_id in self.session.execute(
                    select(record.seed_key, record.id)
                    .where(_among(record.seed_key, seeds, sqlite))):
                there[f"seed:{key}"] = record_id
        ours = [k[8:] for k in keys if k.startswith("tracker:")]
        if ours:
            for digest, record_id in self.session.execute(
                    select(version.hash, self.register.record_fk)
                    .where(version.version_no == 1, _among(version.hash, ours, sqlite))):
                there[f"tracker:{digest}"] = record_id
        return there

    def reserve(self, file_key: str | None) -> int:
        """The id the next new record will have, known to links from now on."""
        record_id = self.next_record
        self.next_record += 1
        self.known(file_key, record_id)
        return record_id

    def known(self, file_key: str | None, record_id: int | None) -> None:
        """A record of the file that is in the log as ``record_id``, for links to it."""
        if self.keep_keys and file_key is not None and record_id is not None:
            self.lookup.records[self.register.code][file_key] = record_id

    def held(self, record_id: int) -> Held:
        version, fk = self.register.version, self.register.record_fk
        row = self.session.execute(
            select(self.register.record.reg_no, version.id, version.version_no, version.hash,
                   version.is_void, version.recorded_at)
            .join(self.register.record, self.register.record.id == fk)
            .where(fk == record_id).order_by(version.version_no.desc()).limit(1)).one()
        return Held(record_id, *row)

    def write(self, pending: list[PendingRecord]) -> tuple[int, int]:
        """Adds these records (and versions of records the log holds); returns how many
        records and versions."""
        if self.file_id is None:
            self.file_id = self.file_row()
        new = [p for p in pending if p.held is None]
        numbers = iter(take_numbers(self.session, self.register, len(new)) if new else [])
        records: list[tuple[Any, ...]] = []
        versions: list[tuple[Any, ...]] = []
        people: list[tuple[int, int]] = []
        tags: list[tuple[int, str]] = []
        content, digest = version_content, version_hash
        register, fields = self.register, self.register.fields
        sqlite = self.bulk.sqlite
        days = [i for i, f in enumerate(fields) if f in ("date_from", "date_to")]
        for p in pending:
            record_id = p.record_id
            supersedes: tuple[int, str] | None = None
            if p.held is None:
                reg_no, first = next(numbers), 1
                records.append((record_id, reg_no, "imported", p.source_id, self.file_id,
                                p.source_key))
            else:
                reg_no, first = p.held.reg_no, p.held.version_no + 1
                supersedes = (p.held.version_id, p.held.hash)
            for number, v in enumerate(p.versions, start=first):
                version_id = self.next_version
                self.next_version += 1
                hashed = content(register, reg_no=reg_no, version_no=number,
                                 supersedes_hash=supersedes[1] if supersedes else None,
                                 is_void=v.is_void, reason=v.reason,
                                 recorded_at=v.recorded_at, recorded_by=v.recorded_by,
                                 participants=list(v.participants), fields=v.fields,
                                 tags=list(v.tags))
                new_hash = digest(self.head, hashed)
                values = [v.fields[f] for f in fields]
                if sqlite:  # as SQLAlchemy stores them (bulk.sqlite_value), column by column
                    for i in days:
                        values[i] = values[i].isoformat()
                    versions.append((version_id, record_id, number,
                                     supersedes[0] if supersedes else None, int(v.is_void),
                                     v.reason, v.recorded_at.strftime(STORED_TIME),
                                     v.recorded_by, self.head, new_hash, *values))
                else:
                    versions.append((version_id, record_id, number,
                                     supersedes[0] if supersedes else None, v.is_void,
                                     v.reason, v.recorded_at, v.recorded_by, self.head,
                                     new_hash, *values))
                people.extend((version_id, person) for person in v.participants)
                tags.extend((version_id, tag) for tag in v.tags)
                self.head = new_hash
                supersedes = (version_id, new_hash)
        self.bulk.stage(self.record_table, ("id", "reg_no", "provenance", "source_id",
                                            "import_file_id", "source_key"), records,
                        ready=True)
        self.bulk.stage(self.version_table, self.version_columns, versions, ready=True)
        if people:
            self.bulk.stage(ContactParticipant.__tablename__, ("version_id", "person_id"),
                            people, ready=True)
        if tags:
            self.bulk.stage(register.tag_table.__tablename__, ("version_id", "tag"), tags,
                            ready=True)
        self.bulk.flush()
        self.moved = True
        return len(new), len(versions)

    def close(self) -> None:
        if self.moved:
            self.bulk.move_sequences((self.record_table, self.version_table))
        self.bulk.close()


def _among(column: Any, values: list[str], sqlite: bool) -> Any:
    """``column`` is one of ``values`` (a chunk's keys): one array parameter on PostgreSQL,
    where a list of 2,000 placeholders costs more to send than to look up."""
    return column.in_(values) if sqlite else column == any_(literal(values, ARRAY(String)))


def _required(register: str) -> list[str]:
    optional = OPTIONAL.get(register)
    if optional is None:
        return []
    return [c for c in COLUMNS[register] if c not in optional]


def _as_first(version: Version) -> list[Version]:
    """A record's one line, without its history: made as it reads (the reason of a later
    correction is not the reason of a first version); a void one then voided with the
    file's reason (required, as for every void)."""
    made = Version(version.line, version.fields, version.participants, version.tags, False,
                   None, version.recorded_at, version.recorded_by)
    if not version.is_void:
        return [made]
    if version.reason is None:
        raise LineError("a void record needs the reason it was voided", line=version.line,
                        column="reason")
    return [made, version]


def _check_next(v: dict[str, Any], previous: Version, recorded_at: dt.datetime,
                reason: str | None, status: str, number: int) -> None:
    if reason is None:
        raise LineError("a later version needs the reason it was made", line=number,
                        column="reason")
    if recorded_at < previous.recorded_at:
        raise LineError(f"{recorded_at} is before the version it follows "
                        f"({previous.recorded_at})", line=number, column="recorded_at")
    if status == "void" and previous.is_void:
        raise LineError("voids a version that is already void", line=number, column="status")


def _timestamp(value: str | None, number: int) -> dt.datetime | None:
    if value is None or not value.strip():
        return None
    try:
        stamp = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise LineError(f"'{value}' is not a time like 2026-12-04T09:30:00 (UTC)",
                        line=number, column="recorded_at") from None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
    return stamp


def _day(value: str | None, number: int, column: str) -> dt.date | None:
    if value is None or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise LineError(f"'{value}' is not a day (YYYY-MM-DD)", line=number,
                        column=column) from None


def _whole(value: str | None, number: int, column: str) -> int:
    try:
        return int((value or "").strip())
    except ValueError:
        raise LineError(f"'{value}' is not a whole number", line=number,
                        column=column) from None


def import_path(session: Session, path: Path, options: ImportOptions) -> ImportResult:
    """Import ``path`` (a file, or an export's directory) in the session's transaction; a
    dry run does it all inside a savepoint and takes it back."""
    importer = Importer(session, options)
    if not options.dry_run:
        return importer.run(path)
    savepoint = session.begin_nested()
    try:
        return importer.run(path)
    finally:
        savepoint.rollback()


def lines_in(path: Path) -> int:
    """About how many lines ``path`` holds (for a progress bar): its line breaks."""
    if path.is_dir():
        return sum(lines_in(p) for p in path.iterdir() if p.suffix in (".csv", ".jsonl"))
    if path.suffix.lower() != ".csv" and path.suffix.lower() != ".jsonl":
        return 0
    count = 0
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            count += block.count(b"\n")
    return count
