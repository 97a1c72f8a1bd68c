"""The results of ``tracker verify``, kept so that every report can say whether the log's
hash chains were last found intact, and an administrator's acceptance of a known break."""

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, intpk, recorded_at_col, recorded_by_col, text_opt


class ChainCheck(Base):
    """One register's result of one ``tracker verify`` run (or an accepted break)."""

    __tablename__ = "chain_check"
    __table_args__ = (
        CheckConstraint("status IN ('ok', 'broken', 'accepted')", name="status"),
    )

    id: Mapped[intpk]
    register: Mapped[str] = mapped_column(String(1))
    status: Mapped[str] = mapped_column(String(10))
    versions: Mapped[int]  # versions checked
    head: Mapped[str] = mapped_column(String(64))  # the last version that matched
    reg_no: Mapped[str | None] = mapped_column(String(12))  # where the break is
    version_no: Mapped[int | None]
    stored_hash: Mapped[str | None] = mapped_column(String(64))  # the broken row's hash
    what: Mapped[text_opt]
    reason: Mapped[text_opt]  # why a break was accepted
    checked_at: Mapped[recorded_at_col]
    checked_by: Mapped[recorded_by_col]

