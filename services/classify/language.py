"""Which language an update is written in, by Google's Compact Language Detector 2
(``pycld2``: offline, a few microseconds a text).

The classifier reads English. A text CLD2 reliably finds to be in another language is
marked unsupported: the classified record says so instead of giving it "no label". Text
too short or too odd to tell ("Kyiv", "UPDATE 1519 GMT:") is ``und`` (undetermined) and
still classified, since most such lines of an English blog are English.
"""

from __future__ import annotations

import pycld2

UNDETERMINED = "und"
SUPPORTED = frozenset({"en", UNDETERMINED})


def detect(text: str) -> str:
    """ISO 639-1 code of ``text``'s main language (``zh-Hant`` style for a few), or ``und``."""
    # CLD2 takes UTF-8 bytes: stray surrogates are dropped, and bytes it refuses
    # (some control characters) make the language undetermined rather than an error.
    data = text.encode("utf-8", "ignore")
    try:
        reliable, _bytes, details = pycld2.detect(data)
    except pycld2.error:
        return UNDETERMINED
    code = str(details[0][1])
    if code in ("un", "xxx") or not reliable and code != "en":
        return UNDETERMINED
    return code
