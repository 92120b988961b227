"""An entry being read off a page, and the rules for whether it is one when it ends.

Shared by the heading-led walk: a draft collects a headline and paragraphs, and on
closing turns into an ``Entry`` or into nothing (a teaser, a scrap, a page's title).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from services.ingest.parsers.framing import ends_sentence
from services.ingest.parsers.lines import is_dateline
from services.ingest.parsers.model import Entry


@dataclass
class Draft:
    """An entry in the making: what has been read of it so far."""

    headline: str | None
    kind: Literal["update", "summary"] = "update"
    section: str | None = None
    published: datetime | None = None
    paras: list[str] = field(default_factory=list)
    bullets: bool = False
    entry_id: str | None = None

    def close(self, min_words: int = 12, listed: bool = False, last: bool = True) -> Entry | None:
        """The entry, or None when what was read is no entry.

        ``min_words``: the least an entry without a headline must have; ``listed``: a
        bullet of a list of developments; ``last``: the page's last entry (it may be cut
        short by the copy, so a headline over a fragment still counts).
        """
        if not self.paras:
            return None
        body = "\n".join(self.paras)
        # A headline over lines none of which is a sentence or a bullet is a teaser (a
        # related link and its dek), unless it is the last entry of a page cut short.
        if self.headline is not None and self.kind == "update" and not last and not self.bullets \
                and not any(map(ends_sentence, self.paras)) and not is_dateline(self.paras[0]):
            return None
        # Headless scraps (a leftover label, a one-line standfirst, a title or a teaser's
        # dek with no sentence in it) are no entries; a dateline still opens one, and a
        # bullet of a list of developments need not end like a sentence.
        if self.headline is None and self.kind == "update" and (
                len(body.split()) < min_words
                or not (listed or any(map(ends_sentence, self.paras))
                        or is_dateline(self.paras[0]))):
            return None
        return Entry(self.headline, body, kind=self.kind, section=self.section,
                     entry_id=self.entry_id, published_at=self.published)
