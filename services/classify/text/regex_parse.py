"""Reading the rules' regexes as text: groups, classes and top-level alternatives.

Enough of the syntax for ``regex`` and ``leads`` to rewrite and read the patterns the
rules are written in; a construct it does not know makes its callers leave a pattern
as written.
"""

from __future__ import annotations

QUANTIFIERS = frozenset("?*+{")
PLAIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
ZERO_WIDTH = ("(?<!", "(?<=")


def open_group(alternative: str) -> list[str]:
    """A leading group spelled out, in the order the engine tries it:
    "(?:a|b)c" -> ["ac", "bc"], "(?:a)?c" -> ["ac", "c"]; otherwise [alternative]."""
    if alternative.startswith(ZERO_WIDTH):
        # a look-behind before a letter goes after it: "(?<!x)ab" -> "a(?<!xa)b"
        close = closing(alternative, 0)
        rest = alternative[close + 1:]
        if not plain_first(rest):
            return [alternative]
        return [rest[0] + alternative[:close] + rest[0] + ")" + rest[1:]]
    if not alternative.startswith("(?:"):
        return [alternative]
    close = closing(alternative, 0)
    body, rest = alternative[3:close], alternative[close + 1:]
    if rest[:1] == "?" and rest[1:2] not in QUANTIFIERS:
        return [b + rest[1:] for b in split(body)] + [rest[1:]]
    if rest[:1] in QUANTIFIERS:
        return [alternative]
    return [b + rest for b in split(body)]


def captures(s: str) -> bool:
    """Whether ``s`` holds a capturing group."""
    return any(c == "(" and (s[i + 1:i + 2] != "?" or s.startswith("(?P<", i))
               for i, c in enumerate(s) if i == 0 or s[i - 1] != "\\")


def plain_first(alternative: str) -> bool:
    return alternative[:1] in PLAIN and alternative[1:2] not in QUANTIFIERS


def group_head(s: str, i: int) -> int | None:
    """Length of the opening of the group at ``s[i]`` ("(?:" -> 3), None for constructs
    without a body to factor (back-references, comments, flags)."""
    if s[i + 1:i + 2] != "?":
        return 1
    for head in ("(?:", "(?=", "(?!", "(?<=", "(?<!"):
        if s.startswith(head, i):
            return len(head)
    if s.startswith("(?P<", i):
        return s.index(">", i) + 1 - i
    return None


def class_end(s: str, i: int) -> int:
    """Index just past the character class opening at ``s[i]``."""
    j = i + 1
    if s[j:j + 1] == "^":
        j += 1
    if s[j:j + 1] == "]":
        j += 1
    while s[j] != "]":
        j += 2 if s[j] == "\\" else 1
    return j + 1


def closing(s: str, i: int) -> int:
    """Index of the parenthesis closing the one at ``s[i]``."""
    depth, j = 0, i
    while True:
        c = s[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = class_end(s, j)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j
        j += 1


def split(s: str) -> list[str]:
    """``s`` cut at its top-level ``|``."""
    parts, start, depth, j = [], 0, 0, 0
    while j < len(s):
        c = s[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = class_end(s, j)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(s[start:j])
            start = j + 1
        j += 1
    parts.append(s[start:])
    return parts
