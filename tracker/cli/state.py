"""What the root options leave for the commands: the database, opened once and lazily."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.db import Database


@dataclass
class State:
    db_option: str | None = None
    traceback: bool = False
    _db: Database | None = field(default=None, repr=False)

    def close(self) -> None:
        if self._db is not None:
            self._db.engine.dispose()
            self._db = None

    def url(self) -> str:
        from tracker.config import resolve_url

        return resolve_url(self.db_option)

    def database(self, *, check_schema: bool = True, create: bool = False) -> Database:
        """The database, refusing (with a hint) one whose schema is not this code's.

        ``create``: a command that writes may create and migrate a new SQLite file.
        """
        if self._db is None:
            from tracker.db import Database

            self._db = Database(self.url())
            if check_schema:
                self._db.ensure_schema(create=create)
        return self._db
