r"""Compiling the rules' regexes for speed without changing what they match.

Python's ``re`` tries the alternatives of a group one after another, so a word list
of forty alternatives costs forty checks at every word boundary. ``factor``
regroups the alternatives of every group by their first letter ("deliver|donate|
send" -> "d(?:eliver|onate)|s(?:end)"), which leaves a handful of checks. It only
touches a group whose alternatives all start with a plain letter or digit: two such
alternatives with different first characters can never match at the same place, so
the regrouping keeps the order in which the engine tries the alternatives that can,
and so the same first match. ``literal_first`` moves a leading ``\b`` behind the
first letter where that lets ``re`` skip ahead. Anything they do not understand
they leave as written.
"""

from __future__ import annotations

from services.classify.text.regex_parse import (
    QUANTIFIERS,
    ZERO_WIDTH,
    captures,
    class_end,
    closing,
    group_head,
    open_group,
    plain_first,
    split,
)


def factor(pattern: str) -> str:
    """``pattern`` with the alternatives of each group grouped by first letter."""
    return _alternation(pattern)


def _alternation(s: str) -> str:
    alternatives = [_inner(a) for a in split(s)]
    if len(alternatives) > 1 and not all(plain_first(a) for a in alternatives):
        opened = [b for a in alternatives for b in open_group(a)]
        if all(plain_first(a) for a in opened):
            alternatives = opened
    if len(alternatives) < 2 or not all(plain_first(a) for a in alternatives):
        return "|".join(alternatives)
    groups: dict[str, list[str]] = {}
    for a in alternatives:
        groups.setdefault(a[0], []).append(a[1:])
    parts = []
    for first, rests in groups.items():
        parts.append(first + (rests[0] if len(rests) == 1 else f"(?:{_alternation('|'.join(rests))})"))
    return "|".join(parts)


def _inner(s: str) -> str:
    """``s`` (one alternative) with the bodies of its groups factored."""
    out: list[str] = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            out.append(s[i:i + 2])
            i += 2
        elif c == "[":
            end = class_end(s, i)
            out.append(s[i:end])
            i = end
        elif c == "(":
            close = closing(s, i)
            head = group_head(s, i)
            if head is None:
                out.append(s[i:close + 1])
            else:
                out.append(s[i:i + head] + _alternation(s[i + head:close]) + ")")
            i = close + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


# Rough share of each lower-case letter among the characters of English news text.
_SHARE = dict(zip("etaoinshrdlcumwfgypbvkjxqz", (
    .100, .074, .065, .061, .057, .056, .052, .049, .048, .034, .032, .023, .022, .020, .019, .018, .016,
    .016, .015, .012, .008, .006, .001, .001, .001, .001), strict=True))
_SELECTIVE = 0.31  # at most this share of characters may be first letters for ``literal_first``


def literal_first(pattern: str) -> str:
    r"""``pattern`` with each ``\b`` + first letter turned into the letter + a look-behind
    ("\bkill|\bdead" -> "k(?<!\wk)ill|d(?<!\wd)ead"), when every alternative of the
    pattern opens that way and the first letters are rare enough in text. ``re`` then
    skips from one first letter to the next instead of trying the pattern at every
    position, which a leading ``\b`` makes it do. Otherwise unchanged."""
    out: list[str] = []
    share = 0.0
    for piece in split(pattern):
        rest, behind, bounded = piece, [], False
        while True:
            if rest.startswith(r"\b"):
                rest, bounded = rest[2:], True
            elif rest.startswith(ZERO_WIDTH):
                close = closing(rest, 0)
                behind.append(rest[:close])  # without its ")": the letter goes there
                rest = rest[close + 1:]
            else:
                break
        if not bounded:
            if behind or not plain_first(rest):
                return pattern
            share += _SHARE.get(rest[0], 0.01)  # already led by a letter
            out.append(piece)
            continue
        if rest.startswith("(?:"):
            close = closing(rest, 0)
            alternatives, tail = split(rest[3:close]), rest[close + 1:]
            if tail[:1] in QUANTIFIERS:
                return pattern
        else:
            alternatives, tail = [rest], ""
        if not all(plain_first(a) for a in alternatives):
            return pattern
        groups: dict[str, list[str]] = {}
        for a in alternatives:
            groups.setdefault(a[0], []).append(a[1:])
        if len(groups) > 1 and captures(tail):
            return pattern  # the tail goes into every branch, and a group may not repeat
        for first, rests in groups.items():
            share += _SHARE.get(first, 0.01)
            inner = rests[0] if len(rests) == 1 else f"(?:{'|'.join(rests)})"
            marks = rf"(?<!\w{first})" + "".join(f"{b}{first})" for b in behind)
            out.append(first + marks + inner + tail)
    return "|".join(out) if share <= _SELECTIVE else pattern
