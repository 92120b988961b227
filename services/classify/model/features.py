"""The words a text is read as by the learned model: pure, fast, and the same at training
and at run time.

A text becomes a set of feature strings: lower-cased word tokens and their stems, stem
bigrams, and a ``not_`` mark on the words that follow a negation inside its clause ("no
civilians were hurt" gives ``not_civilian``, never ``civilian``). Numbers collapse to one
token, so "4 civilians" and "40 civilians" read alike. The same function runs on the
lower-cased, tokenised corpus text ("there 's") and on raw text ("there's"): both give
the same tokens.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

# words, numbers (with their separators) and the punctuation that ends a negation's reach
_TOKEN = re.compile(r"[a-z]+|\d+(?:[.,]\d+)*|[.;:!?,()\u2014\u2013]")
_SCOPE_END = frozenset(".;:!?,()\u2014\u2013")
_NEGATORS = frozenset({"no", "not", "never", "without", "nobody", "none", "neither", "nor", "t"})
_SCOPE = 3  # words after a negator that it reaches
_NUMBER = "<n>"
# "t" is what "n't" leaves ("didn't" -> "didn", "t"); "s" of "'s" is dropped
_DROP = frozenset({"s", "a", "an", "the", "of", "to", "in", "on", "at", "and", "or", "for", "by",
                   "with", "from", "as", "is", "was", "be", "been", "it", "its", "that", "this"})
_SUFFIXES = ("ings", "ing", "ied", "ies", "ed", "es", "s")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stripper: 'shelled', 'shelling', 'shells' -> 'shell'."""
    if len(word) <= 4:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix in ("ied", "ies"):
                return base + "y"
            if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "ls":
                base = base[:-1]  # "shipped" -> "ship", but "shelled" stays "shell"
            return base
    return word


def tokens(text: str) -> list[str]:
    """Word tokens of ``text``, negation-marked, numbers collapsed, punctuation dropped."""
    out: list[str] = []
    reach = 0
    for tok in _TOKEN.findall(text.lower()):
        if tok in _SCOPE_END:
            reach = 0
            continue
        if tok[0].isdigit():
            out.append(_NUMBER)
            continue
        if tok in _NEGATORS:
            reach = _SCOPE
            out.append(tok)
            continue
        if tok in _DROP:
            continue
        if reach:
            reach -= 1
            out.append("not_" + stem(tok))
        else:
            out.append(tok)
    return out


def features(text: str, mark: str = "") -> set[str]:
    """The feature strings of ``text``: words, stems and stem bigrams, each led by
    ``mark`` when given (see ``rules.marks``)."""
    toks = tokens(text)
    stems = [t if t.startswith("not_") or t == _NUMBER else stem(t) for t in toks]
    feats = set(toks)
    feats.update("~" + s for s, t in zip(stems, toks, strict=True) if s != t)
    feats.update(f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False))
    return {mark + f for f in feats} if mark else feats


def corpus_features(texts: Iterable[str]) -> list[set[str]]:
    return [features(t) for t in texts]
