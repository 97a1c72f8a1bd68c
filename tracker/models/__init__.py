"""All tables of the log; importing this package registers them on ``Base.metadata``."""

from tracker.models.base import Base
from tracker.models.integrity import ChainCheck
from tracker.models.log import (
    Contact,
    ContactParticipant,
    ContactVersion,
    Message,
    MessageVersion,
    RegisterCounter,
)
from tracker.models.people import Person, PersonAlias, PersonVersion
from tracker.models.reference import ContactKind, MessageKind, Office, ReportedFigure, Side, Source
from tracker.models.staff import Staff, StaffLeave

__all__ = [
    "Base",
    "ChainCheck",
    "Contact",
    "ContactKind",
    "ContactParticipant",
    "ContactVersion",
    "Message",
    "MessageKind",
    "MessageVersion",
    "Office",
    "Person",
    "PersonAlias",
    "PersonVersion",
    "RegisterCounter",
    "ReportedFigure",
    "Side",
    "Source",
    "Staff",
    "StaffLeave",
]
