"""How a name is compared: the same person however it is typed.

Unicode NFC (a decomposed Hangul name equals the composed one), case folded, and without
spaces, hyphens, apostrophes and dots, so that ``Ri Son Gwon`` = ``Ri Son-gwon`` and
``전종수`` typed with combining jamo = ``전종수``.
"""

from __future__ import annotations

import re
import unicodedata

SEPARATORS = re.compile(r"[\s\-\u2010-\u2015'\u2018\u2019`\u00b4.\u00b7]+")


def normalise_name(text: str) -> str:
    folded = unicodedata.normalize("NFC", text).casefold()
    return unicodedata.normalize("NFC", SEPARATORS.sub("", folded))
