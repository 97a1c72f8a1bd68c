"""Where imported records came from: one row per file an import read."""


from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, intpk, recorded_at_col, recorded_by_col


class ImportFile(Base):
    """A file ``tracker import`` took records from, named and fingerprinted (SHA-256), so that
    every imported record says which file, and which line of it, it came from."""

    __tablename__ = "import_file"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(500))  # the file's name as given, not its path
    sha256: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[recorded_at_col]
    recorded_by: Mapped[recorded_by_col]
