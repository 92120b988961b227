"""Sentence and clause boundaries of an update's text, as offsets into that text, and
the anchor gate of each sentence (see ``anchors``).

The classifier judges each cue inside the sentence and the clause it sits in
(negation, denial, background), so it needs cheap, offset-preserving splits
rather than a full NLP tokenizer.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from services.classify.text.anchors import AnchorKeys, fill, indices, set_count

# A sentence ends at . ! ? (plus closing quotes/brackets) followed by space and a
# capital, digit or opening quote — or at a line break. Abbreviations such as
# "Maj. Dmitry" or "U.S. Defense" must not end a sentence: candidates are checked
# against them in Python, which is cheaper than a lookbehind tried at every position.
# (Python's re skips quickly to the next candidate only when a pattern opens with a
# literal or a character set, hence the shared first set.)
_BOUNDARY = re.compile(r"[\n.!?](?:(?<=\n)\n*|(?<!\n)[\"”’)\]]*[ \t]+(?=[\"“‘(\[]?[A-Z0-9]))")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\bMrs?|\bMs|\bDr|\bSt|\bNo|\bGen|\bMaj|\bCol|\bSgt|\bGov|\bSen|\bLt|\bvs|"
                           r"\bCapt|\bProf|\bRev|\bJan|\bFeb|\bAug|\bSept?|\bOct|\bNov|\bDec)$")


def words_first(words: tuple[str, ...]) -> str:
    r"""``\b(?:w1|w2|...)\b`` written so that every alternative opens with a literal
    (the boundary is checked just after the first letter), which lets re jump between
    candidate letters instead of trying the pattern at every position."""
    return "|".join(rf"{w[0]}(?<!\w{w[0]}){w[1:]}\b" for w in words)


# Separators that open a new clause: punctuation and contrastive conjunctions.
# A negation or a background marker in one clause must not reach another.
_CLAUSE_SEP = re.compile("|".join(map(re.escape, ";:,—–()")) + "|" +
                         words_first(("but", "while", "whereas", "although", "though", "and")))


class Segments:
    """Sentence spans of one text, with lookups by offset."""

    __slots__ = ("text", "lowered", "starts", "ends", "_masks", "_clauses")

    lowered: str

    def __init__(self, text: str) -> None:
        self.text = text
        lowered = text.lower()
        # Rules run on the lower-cased text, so its offsets must be the original's;
        # a few characters (e.g. "İ") grow when lower-cased and are kept as they are.
        if len(lowered) != len(text):
            lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        self.lowered = lowered
        self._masks: list[int] | None = None  # registry slot -> mask of the sentences holding an anchor
        self._clauses: dict[int, list[int]] = {}  # sentence start -> ends of its clause separators
        starts = [0]
        ends: list[int] = []
        for m in _BOUNDARY.finditer(text):
            start = m.start()
            if text[start] == "." and _ABBREVIATION.search(text, max(0, start - 5), start):
                continue
            # the sentence keeps its closing punctuation and quotes, not the space after
            ends.append(start if text[start] == "\n" else start + len(m.group(0).rstrip(" \t")))
            starts.append(m.end())
        ends.append(len(text))
        self.starts = starts
        self.ends = ends

    def gate(self, keys: AnchorKeys, leads: AnchorKeys | None = None) -> list[int]:
        """Indices of the sentences holding one of the anchors of ``keys`` and, when
        given, a word starting with one of the four-letter ``leads``.

        A rule runs its full regex only on these, and most sentences hold none. An
        anchor of four letters or more is looked up by its first four letters among
        the word prefixes of each sentence; a shorter one is looked for with
        ``str.find``, once per text. The gate may let a sentence through that the
        rule's regex then rejects, never the reverse.
        """
        mask = self.mask(keys, leads)
        return indices(mask)

    def mask(self, keys: AnchorKeys, leads: AnchorKeys | None = None) -> int:
        """``gate`` as a mask of sentences (bit i: sentence i)."""
        masks = self.masks()
        return masks[keys.slot] if leads is None else masks[keys.slot] & masks[leads.slot]

    def masks(self) -> list[int]:
        """The sentence masks of all registered anchor sets, by ``AnchorKeys.slot``."""
        masks = self._masks
        if masks is None or len(masks) < set_count():
            masks = self._masks = fill(self.lowered, self.starts, self.ends)
        return masks

    def holds(self, keys: AnchorKeys, index: int) -> bool:
        """Whether sentence ``index`` holds one of the anchors of ``keys``."""
        return bool(self.masks()[keys.slot] >> index & 1)

    def sentence_of(self, pos: int) -> int:
        """Index of the sentence holding offset ``pos``."""
        return bisect_right(self.starts, pos) - 1

    def sentence(self, index: int) -> tuple[int, int]:
        """(start, end) of sentence ``index``, trimmed of surrounding whitespace."""
        start, end = self.starts[index], self.ends[index]
        text = self.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return start, end

    def clause_start(self, pos: int, sentence_start: int) -> int:
        """Offset where the clause holding ``pos`` begins (never before its sentence)."""
        seps = self._separators(sentence_start)
        k = bisect_right(seps, pos)
        return seps[k - 1] if k else sentence_start

    def clause_end(self, pos: int, sentence_start: int, sentence_end: int) -> int:
        """Offset past the separator that ends the clause holding ``pos`` (the sentence end
        when none does)."""
        seps = self._separators(sentence_start)
        k = bisect_right(seps, pos)
        return seps[k] if k < len(seps) else sentence_end

    def _separators(self, sentence_start: int) -> list[int]:
        seps = self._clauses.get(sentence_start)
        if seps is None:
            index = self.sentence_of(sentence_start)
            seps = self._clauses[sentence_start] = [
                m.end() for m in _CLAUSE_SEP.finditer(self.text, sentence_start, self.ends[index])]
        return seps
