"""Cleaning the free text a clerk types: trimmed, printable, and no longer than its column."""

from __future__ import annotations

import re

from tracker.errors import BadText, TextTooLong

# C0 but tab and line feed, DEL, C1, and the bidirectional embeddings, overrides and
# isolates that can make a line read in another order than it is stored ("Trojan Source").
REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

MAX_TEXT = 2000  # the String length of subjects, venues, notes and reasons
MAX_CLERK = 100  # recorded_by


def clean_text(value: str | None, field: str, *, required: bool = False,
               max_len: int = MAX_TEXT) -> str | None:
    """Trimmed text, or None; refuses control characters and what the column cannot hold."""
    if value is None:
        if required:
            raise BadText("is required", field=field)
        return None
    text = value.strip()
    if not text:
        if required:
            raise BadText("must not be empty", field=field)
        return None
    control = REFUSED.search(text)
    if control is not None:
        raise BadText(f"contains a control character (U+{ord(control[0]):04X})", field=field)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadText("is not valid text (unpaired surrogate)", field=field) from None
    if len(text) > max_len:
        raise TextTooLong(f"is {len(text)} characters; at most {max_len} are kept", field=field)
    return text


def required_text(value: str | None, field: str, *, max_len: int = MAX_TEXT) -> str:
    """Like ``clean_text`` for a field that must be given: never None."""
    text = clean_text(value, field, required=True, max_len=max_len)
    assert text is not None  # required=True raises instead of returning None
    return text


MAX_TAG = 60


def clean_tags(values: list[str] | None, field: str = "tag") -> tuple[str, ...]:
    """Tags as stored: trimmed, lower case, inner spaces as one, each once, sorted."""
    tags: set[str] = set()
    for value in values or []:
        text = required_text(value, field, max_len=4 * MAX_TAG)
        if "\n" in text or "\t" in text:
            raise BadText("a tag is one line", field=field)
        tag = " ".join(text.casefold().split())  # casefold may lengthen it ("ß" -> "ss")
        if len(tag) > MAX_TAG:
            raise TextTooLong(f"is {len(tag)} characters; at most {MAX_TAG} are kept",
                              field=field)
        tags.add(tag)
    return tuple(sorted(tags))


def clean_clerk(clerk: str) -> str:
    return required_text(clerk, "clerk", max_len=MAX_CLERK)
