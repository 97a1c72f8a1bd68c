"""What the root options leave for the commands: the database, opened once and lazily."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.db.schema import Access
    from tracker.db.session import Database


@dataclass
class State:
    db_option: str | None = None
    traceback: bool = False
    _db: Database | None = field(default=None, repr=False)

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
            self._db = None

    def url(self) -> str:
        from tracker.config import resolve_url

        return resolve_url(self.db_option)

    def database(self, access: Access | None = None) -> Database:
        """The database, refusing (with a hint) one whose schema is not this code's.

        ``access`` says what the command needs (see ``tracker.db.schema``); by default an
        existing tracker database.
        """
        if self._db is None:
            from tracker.db.schema import Access, open_database

            self._db = open_database(self.url(), access or Access.EXISTING)
        return self._db

    def writable_database(self) -> Database:
        """For commands that can succeed on an empty log: may create a new SQLite file."""
        from tracker.db.schema import Access

        return self.database(Access.MAY_CREATE)
