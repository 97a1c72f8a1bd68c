"""Text on its way to a terminal: control characters made visible, widths in columns, tables.

Contact names, subjects and notes come from outside the office. Printed raw, an escape
sequence in one of them could retitle the window (``ESC ] 0 ; … BEL``), clear the screen
(``ESC [ 2 J``) or, through a bidi override (U+202E), show a line in another order than it is
stored ("Trojan Source"). Everything printed as a table cell therefore goes through
:func:`escape_controls`, which turns each such character into a visible ``\\xNN`` or
``\\uXXXX``. The escape is for display only: a literal backslash is left as it is, so
``"\\x1b"`` typed by a person and a real ESC print alike and cannot be told apart afterwards.

Widths are display columns, not code points: Hangul and CJK take two columns, combining marks
none. They come from ``wcwidth``, imported on first use only (about 20 ms on top of the CLI);
pure printable ASCII, the common case, never needs it. The ellipsis ``…`` is East Asian
*ambiguous*; like ``wcwidth`` by default, it is counted as one column.

This module imports only the standard library at load time: commands that print tables import
it, and a command must start fast (STYLE.md §9).
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Collection, Iterable, Sequence
from typing import TextIO

ELLIPSIS = "…"
NO_ROWS = "(no rows)\n"

# C0, DEL and C1; the Arabic letter mark; zero-width space/non-joiner/joiner and the LRM/RLM
# marks (U+200B-U+200F); line and paragraph separators with the bidi embeddings and overrides
# (U+2028-U+202E); word joiner and invisible operators (U+2060-U+2064); bidi isolates and
# deprecated format controls (U+2066-U+206F); zero-width no-break space (BOM); interlinear
# annotation marks (U+FFF9-U+FFFB); tag characters (U+E0000-U+E007F), which can hide text.
_CONTROLS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)

_LINE_BREAKS = re.compile("\r\n|[\n\t]")


def _visible(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def escape_controls(text: str, *, keep: str = "") -> str:
    """``text`` with every control and invisible format character written as an escape.

    C0 (U+0000-U+001F), DEL and C1 (U+0080-U+009F) become ``\\xNN`` (ESC is ``\\x1b``); the
    bidi embeddings, overrides, isolates and marks, the zero-width characters and U+2028/U+2029
    become ``\\uXXXX`` (lower-case hex, as Python's ``repr``). Characters in ``keep`` (say
    ``"\\n\\t"``) pass through. Not reversible: a backslash already in ``text`` stays as is.
    Text with nothing to escape is returned unchanged, found by one regex search.
    """
    if _CONTROLS.search(text) is None:
        return text
    if keep:
        return _CONTROLS.sub(
            lambda m: m[0] if m[0] in keep else _visible(m[0]), text)
    return _CONTROLS.sub(lambda m: _visible(m[0]), text)


def cell_text(value: str) -> str:
    """One table cell on one line: CR LF, LF and tab each become one space, then escapes.

    A lone CR is not a line break here; it is escaped (``\\x0d``) like any other control.
    """
    return escape_controls(_LINE_BREAKS.sub(" ", value))


def _plain_ascii(text: str) -> bool:
    return text.isascii() and text.isprintable()


def display_width(text: str) -> int:
    """Columns ``text`` occupies: wide East Asian characters count 2, combining marks 0.

    Meant for text that went through :func:`escape_controls`; a stray control character counts
    0 (``wcwidth``'s ``control_codes="ignore"``) rather than making the result negative as
    ``wcwidth.wcswidth`` would. Grapheme clusters (emoji with a variation selector, flags,
    conjoining Hangul jamo) are measured whole.
    """
    if _plain_ascii(text):
        return len(text)
    import wcwidth  # lazily: ~20 ms, and ASCII-only output never needs it

    return max(0, wcwidth.width(text, control_codes="ignore"))


def truncate(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` columns, the cut marked by ``…``.

    Text that fits is returned as is. Otherwise the result is the longest prefix of whole
    grapheme clusters that fits in ``width - 1`` columns, then ``…``: a wide character that
    would straddle the edge is dropped, so the result may be one column narrower than
    ``width`` but never wider. ``width`` ≤ 0 gives ``""``; ``width`` 1 gives ``"…"``.
    """
    if width <= 0:
        return ""
    if display_width(text) <= width:
        return text
    budget = width - 1
    if _plain_ascii(text):
        return text[:budget] + ELLIPSIS
    import wcwidth  # lazily, as in display_width

    used = end = 0
    for grapheme in wcwidth.iter_graphemes(text):
        columns = display_width(grapheme)
        if used + columns > budget:
            break
        used += columns
        end += len(grapheme)
    return text[:end] + ELLIPSIS


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` columns, on the left if ``right``.

    Text already ``width`` columns or wider is returned as is (never truncated here).
    """
    missing = width - display_width(text)
    if missing <= 0:
        return text
    return " " * missing + text if right else text + " " * missing


def terminal_width(stream: TextIO) -> int | None:
    """Columns to fit a table to: the terminal's if ``stream`` is one, else ``$COLUMNS``.

    ``None`` when neither is known (a pipe or file and no ``$COLUMNS``): then nothing is
    truncated. Streams without a file descriptor (``io.StringIO``), closed streams and
    terminals that report 0 columns fall through to ``$COLUMNS`` instead of raising.
    """
    try:
        if stream.isatty():
            columns = os.get_terminal_size(stream.fileno()).columns
            if columns > 0:
                return columns
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both of the last
        pass
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return None
    return columns if columns > 0 else None


class TableWriter:
    """Writes rows as an aligned text table, streaming after the first ``sample`` rows.

    Column widths are the display widths of the header and of the first ``sample`` rows; those
    rows are held, the header and they are written, and every later row is written as soon as
    it arrives, so a long listing neither waits for its last row nor is kept in memory.

    With ``max_width`` (see :func:`terminal_width`), a line wider than it is narrowed by
    shrinking the ``shrinkable`` columns one column at a time, always the currently widest
    (ties: the leftmost), which levels the widest ones down together. No column goes below its
    header or 8 columns, whichever is wider (nor grows to reach that floor). If the line still
    does not fit, the ``optional`` columns are left out, one at a time in the order given,
    until it does (a narrow terminal shows the essentials; CSV, JSON and ``show`` keep all);
    if it fits by no means, it is left that wide. Cells wider than their column are then cut
    with ``…`` (:func:`truncate`), including later rows wider than anything in the sample.
    Numeric cells are the exception: they are never cut, since ``12…`` would read as a
    different number; a wider number pushes the rest of its line to the right.

    Without ``max_width`` nothing is cut: a later cell wider than its column makes that one
    line longer and the columns after it shift on that line only.

    Numeric columns are right-aligned, the others left-aligned; trailing spaces are dropped.
    Each cell goes through :func:`cell_text`, the header too. No rows at all gives
    ``(no rows)``.
    """

    def __init__(self, columns: Sequence[str], *, max_width: int | None,
                 numeric: Sequence[bool] | None = None, shrinkable: Collection[str] = (),
                 optional: Sequence[str] = (), sample: int = 200, gap: str = "  ") -> None:
        if not columns:
            raise ValueError("a table needs at least one column")
        if numeric is not None and len(numeric) != len(columns):
            raise ValueError(f"numeric has {len(numeric)} flags for {len(columns)} columns")
        if isinstance(shrinkable, str):
            raise TypeError("shrinkable takes a collection of column names, not one name")
        unknown = sorted((set(shrinkable) | set(optional)) - set(columns))
        if unknown:
            raise ValueError(f"shrinkable names no column: {', '.join(unknown)}")
        if sample < 1:
            raise ValueError(f"sample must be at least 1, not {sample}")
        self.columns = list(columns)
        self.max_width = max_width
        self.numeric = list(numeric) if numeric is not None else [False] * len(columns)
        self.shrinkable = frozenset(shrinkable)
        self.optional = list(optional)
        self.sample = sample
        self.gap = gap

    def write(self, rows: Iterable[Sequence[str]], out: TextIO) -> int:
        """Writes the table of ``rows`` to ``out``; returns how many rows were written."""
        iterator = iter(rows)
        head = [self._cells(row) for row in itertools.islice(iterator, self.sample)]
        if not head:
            out.write(NO_ROWS)
            return 0
        header = [cell_text(c) for c in self.columns]
        natural = [max(display_width(cell) for cell in column)
                   for column in zip(header, *head, strict=True)]
        kept = list(range(len(self.columns)))
        widths = natural
        if self.max_width is not None:
            widths, kept = self._fit(header, natural, self.max_width)
        cut = self.max_width is not None
        out.write(self._line(header, widths, kept, cut=False))
        for cells in head:
            out.write(self._line(cells, widths, kept, cut=cut))
        out.flush()  # the first screenful shows while the rest is still being read
        written = len(head)
        del head
        for row in iterator:
            out.write(self._line(self._cells(row), widths, kept, cut=cut))
            written += 1
        return written

    def _cells(self, row: Sequence[str]) -> list[str]:
        if len(row) != len(self.columns):
            raise ValueError(f"row has {len(row)} cells, the table {len(self.columns)} columns")
        return [cell_text(value) for value in row]

    def _fit(self, header: Sequence[str], natural: list[int], max_width: int
             ) -> tuple[list[int], list[int]]:
        """(widths, indices of the columns kept) for lines of at most ``max_width``."""
        floors = [min(width, max(display_width(title), 8))
                  for title, width in zip(header, natural, strict=True)]
        kept = list(range(len(self.columns)))
        dropping = [self.columns.index(name) for name in self.optional]
        while True:
            widths = self._shrunk(natural, floors, kept, max_width)
            if self._line_width(widths, kept) <= max_width or not dropping:
                return widths, kept
            kept.remove(dropping.pop(0))

    def _line_width(self, widths: Sequence[int], kept: Sequence[int]) -> int:
        return sum(widths[i] for i in kept) + display_width(self.gap) * (len(kept) - 1)

    def _shrunk(self, natural: list[int], floors: list[int], kept: list[int],
                max_width: int) -> list[int]:
        widths = list(natural)
        excess = self._line_width(widths, kept) - max_width
        candidates = [i for i in kept if self.columns[i] in self.shrinkable]
        while excess > 0:
            room = [i for i in candidates if widths[i] > floors[i]]
            if not room:
                break
            widest = max(room, key=lambda i: widths[i])  # max keeps the first of equals
            widths[widest] -= 1
            excess -= 1
        return widths

    def _line(self, cells: Sequence[str], widths: Sequence[int], kept: Sequence[int], *,
              cut: bool) -> str:
        parts = []
        for i in kept:
            numeric = self.numeric[i]
            text = truncate(cells[i], widths[i]) if cut and not numeric else cells[i]
            parts.append(pad(text, widths[i], right=numeric))
        return self.gap.join(parts).rstrip(" ") + "\n"
