"""What a rule's regex can start with, read off its text: the word prefixes of its
first word (``word_starts``, a gate on the sentences worth trying) and its first
characters (``first_guard``, a look-ahead that turns most positions down at once).
"""

from __future__ import annotations

import re

from services.classify.text.regex_parse import (
    PLAIN,
    QUANTIFIERS,
    ZERO_WIDTH,
    class_end,
    closing,
    group_head,
    open_group,
    split,
)

_MAX_LEADS = 400
_WORD_END = (r"\s", r"\b", r"\W", " ", "[\"", "[“", "-")


def word_starts(pattern: str) -> frozenset[str] | None:
    r"""The first four letters of every word a match of ``pattern`` can start with (three
    for a word of three), or None when that cannot be read off: every alternative must
    open with ``\b`` and a word of at least three plain letters (groups and small letter
    classes are spelled out). A sentence holding no word with one of these prefixes
    cannot match."""
    gate = word_gate(pattern)
    return None if gate is None or any(len(w) < 3 for w in gate) else gate


def word_gate(pattern: str) -> frozenset[str] | None:
    """``word_starts``, where a word shorter than three letters ("if", "no") is kept whole."""
    found: set[str] = set()
    for alternative in split(pattern):
        rest, bounded = alternative, False
        while True:
            if rest.startswith(r"\b"):
                rest, bounded = rest[2:], True
            elif rest.startswith(ZERO_WIDTH):
                rest = rest[closing(rest, 0) + 1:]
            elif rest[:1] in PLAIN and rest.startswith(rf"(?<!\w{rest[0]})", 1):
                # written letter first by ``literal_first``: "k(?<!\wk)ill" is "\bkill"
                rest, bounded = rest[0] + rest[len(rf"(?<!\w{rest[0]})") + 1:], True
            else:
                break
        if not bounded or not _leads(rest, "", found):
            return None
    return frozenset(found)


def _leads(rest: str, head: str, found: set[str]) -> bool:
    """Adds to ``found`` the four-letter heads ``head + rest`` can start with (the first
    three letters where a fourth is not spelt out); False when some way through
    ``rest`` has fewer than three plain letters first."""
    while len(head) < 4:
        if len(found) > _MAX_LEADS:
            return False
        c = rest[:1]
        if c in PLAIN and rest[1:2] not in QUANTIFIERS:
            head, rest = head + c, rest[1:]
            continue
        if rest.startswith(ZERO_WIDTH):
            rest = rest[closing(rest, 0) + 1:]  # a look-behind reads no letter
            continue
        more: set[str] = set()
        if rest.startswith("(?:"):
            opened = open_group(rest)
            spelt = opened != [rest] and all(_leads(o, head, more) for o in opened)
        elif c == "[" and rest[1:2] != "^":
            end = class_end(rest, 0)
            letters = rest[1:end - 1]
            spelt = bool(letters) and rest[end:end + 1] not in QUANTIFIERS and \
                all(ch in PLAIN for ch in letters) and all(_leads(rest[end:], head + ch, more) for ch in letters)
        else:
            spelt = False
        if spelt:
            found.update(more)
            return True
        # a short word that ends here ("if", "no") is kept whole
        if len(head) < 3 and (not head or rest and not rest.startswith(_WORD_END)):
            return False
        break  # a word of three letters, or one whose fourth is not spelt out: its first three
    found.add(head)
    return True


def first_guard(pattern: str) -> str:
    r"""``pattern`` behind a look-ahead for the characters a match can start with, when
    they can be read off (literals, escapes such as ``\$`` and ``\d``, groups, optional
    groups): the look-ahead turns most positions down in one test, which pays off for
    a pattern that tries many alternatives at every position. Otherwise unchanged."""
    found: list[str] = []
    if not all(_firsts(a, found) for a in split(pattern)):
        return pattern
    return f"(?=[{''.join(dict.fromkeys(found))}])(?:{pattern})"


def _firsts(rest: str, found: list[str]) -> bool:
    """Adds to ``found`` (class items) the characters ``rest`` can start with."""
    while rest.startswith((r"\b", *ZERO_WIDTH)):
        rest = rest[2:] if rest.startswith(r"\b") else rest[closing(rest, 0) + 1:]
    if rest.startswith("(?:"):
        opened = open_group(rest)
        return opened != [rest] and all(_firsts(o, found) for o in opened)
    if rest.startswith("(") and not rest.startswith(("(?=", "(?!")):
        # a capturing group: what its body starts with, and what follows when it is optional
        head = group_head(rest, 0)
        if head is None:
            return False
        close = closing(rest, 0)
        body, after = rest[head:close], rest[close + 1:]
        if after[:1] in ("*", "{") or after[:1] == "?" and not _firsts(after[1:], found):
            return False
        return all(_firsts(b, found) for b in split(body))
    if rest.startswith("\\"):
        atom, end = rest[:2], 2
        if atom[1] in "wWsSbBAZ" or atom[1].isdigit():
            return False
    elif rest.startswith("["):
        end = class_end(rest, 0)
        atom = rest[1:end - 1]
        if atom.startswith("^"):
            return False
    elif rest[:1] and rest[:1] not in "()|.^$*+?{}":
        atom, end = re.escape(rest[0]), 1
    else:
        return False
    if rest[end:end + 1] in ("?", "*") or rest[end:end + 2] == "{0":
        return False
    found.append(atom)
    return True


