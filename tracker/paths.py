"""Where the data that ships beside the code lives: the Alembic chain and the seed files."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def bundled_dir(name: str, marker: str) -> Path | None:
    """``tracker/_<name>`` inside an installed wheel, else the checkout's top-level ``<name>/``.

    ``marker`` is a file that must be in it, so a stray empty folder is not taken for it.
    """
    for candidate in (PACKAGE / f"_{name}", PACKAGE.parent / name):
        if (candidate / marker).is_file():
            return candidate
    return None
