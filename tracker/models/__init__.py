"""All tables of the log; importing this package registers them on ``Base.metadata``."""

from tracker.models.base import Base
from tracker.models.imports import ImportFile
from tracker.models.integrity import ChainCheck
from tracker.models.log import (
    Contact,
    ContactParticipant,
    ContactTag,
    ContactVersion,
    Message,
    MessageTag,
    MessageVersion,
    RegisterCounter,
)
from tracker.models.people import Person, PersonAlias, PersonVersion
from tracker.models.reference import (
    ContactKind,
    ContactOutcome,
    Field,
    MessageKind,
    Office,
    ReportedFigure,
    Side,
    Source,
)
from tracker.models.routine import Routine, RoutineSource
from tracker.models.staff import Staff, StaffLeave

__all__ = [
    "Base",
    "ChainCheck",
    "Contact",
    "ContactKind",
    "ContactOutcome",
    "ContactParticipant",
    "ContactTag",
    "ContactVersion",
    "Field",
    "ImportFile",
    "Message",
    "MessageKind",
    "MessageTag",
    "MessageVersion",
    "Office",
    "Person",
    "PersonAlias",
    "PersonVersion",
    "RegisterCounter",
    "ReportedFigure",
    "Routine",
    "RoutineSource",
    "Side",
    "Source",
    "Staff",
    "StaffLeave",
]
