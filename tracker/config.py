"""Where the database is and who the clerk is: flags, then environment, then defaults."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

ENV_URL = "TRACKER_DATABASE_URL"
ENV_CLERK = "TRACKER_CLERK"


def default_sqlite_path() -> Path:
    import platformdirs  # small, and only needed when no URL is given

    return Path(platformdirs.user_data_dir("tracker", appauthor=False)) / "tracker.sqlite"


def resolve_url(db: str | None = None) -> str:
    """``--db`` (a path or any SQLAlchemy URL), else ``TRACKER_DATABASE_URL``, else the app dir."""
    value = db or os.environ.get(ENV_URL)
    if not value:
        path = default_sqlite_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().absolute()}"


def resolve_clerk(clerk: str | None = None) -> str:
    """``--clerk`` as given (an empty one is kept, to be refused: never silently replaced),
    else ``TRACKER_CLERK``, else the login name."""
    if clerk is not None:
        return clerk
    name = os.environ.get(ENV_CLERK)
    if name:
        return name.strip()
    try:
        return getpass.getuser()
    except Exception:  # no user database entry (containers): still say something true
        return f"uid:{os.getuid()}"
