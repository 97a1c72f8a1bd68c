"""The files of an export and their columns: a public interface (the README documents every
column), read back by ``tracker import``.

Every register file has the same bookkeeping columns whether or not ``--history`` was given:
without it each record has one row (its current version), with it one row per version,
oldest first. Lists (participants' names, tags, aliases) are JSON arrays inside the cell.
"""

from __future__ import annotations

import datetime as dt
import hashlib

FILES = ("sources", "figures", "people", "staff", "contacts", "participants", "messages")

COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": ("key", "publisher", "title", "published_on", "date_basis", "seed_file", "url"),
    "figures": ("metric", "value_low", "value_high", "qualifier", "as_of", "source", "note",
                "recorded_at", "recorded_by"),
    "people": ("person", "name", "side", "affiliation", "aliases", "merged_into", "seed_key",
               "external_ref", "recorded_at", "recorded_by"),
    "staff": ("staff", "side", "role", "person", "service_from", "service_to", "leave_reason",
              "source", "seed_key", "external_ref", "recorded_at", "recorded_by"),
    "contacts": ("reg_no", "version_no", "supersedes", "status", "reason", "date_from",
                 "date_to", "time_of_day", "kind", "outcome", "field", "subject", "venue",
                 "initiated_by", "with", "tags", "notes", "recorded_at", "recorded_by",
                 "source", "external_ref", "prev_hash", "hash"),
    "participants": ("reg_no", "version_no", "person", "name"),
    "messages": ("reg_no", "version_no", "supersedes", "status", "reason", "date_from",
                 "date_to", "time_of_day", "kind", "field", "sender", "recipient", "subject",
                 "contact", "reply_to", "tags", "notes", "recorded_at", "recorded_by",
                 "source", "external_ref", "prev_hash", "hash"),
}
# Columns an import may leave out (a spreadsheet of someone else's), and what they mean then.
OPTIONAL: dict[str, frozenset[str]] = {
    "contacts": frozenset(COLUMNS["contacts"]) - {"date_from", "kind", "subject"},
    "messages": frozenset(COLUMNS["messages"]) - {"date_from", "kind", "subject", "sender",
                                                  "recipient"},
    "staff": frozenset(COLUMNS["staff"]) - {"side", "role"},
}
MANIFEST = "manifest.json"


def own_key(kind: str, row_id: int, recorded_at: dt.datetime, recorded_by: str) -> str:
    """The ``external_ref`` of a person or a post this log recorded itself: what it was,
    which id it has here and when and by whom it was recorded, hashed; so an export brought
    back into its own log, or into one that already took it, is recognised."""
    made = f"{kind}|{row_id}|{recorded_at:%Y-%m-%dT%H:%M:%S.%f}|{recorded_by}"
    return "tracker:" + hashlib.sha256(made.encode()).hexdigest()
