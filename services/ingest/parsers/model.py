"""The values every parser returns: entries cut out of a page, and the one error type.

Kept apart from ``__init__`` so the parser modules can import them without a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal


class ParseError(ValueError):
    """The content cannot be read as a live blog; the message names the problem."""


@dataclass(frozen=True)
class Entry:
    """One entry of a live blog, as the page shows it (no identity, no clock)."""

    headline: str | None
    body: str  # paragraphs joined by "\n"
    kind: Literal["update", "summary"] = "update"
    section: str | None = None  # heading the entry sits under (key-developments lists)
    url: str | None = None
    entry_id: str | None = None  # the page's own id: JSON-LD @id/url, feed guid, html id
    published_at: datetime | None = None  # tz-aware UTC

    @property
    def text(self) -> str:
        """Headline and body as one text (the same shape as ``Update.text``)."""
        return f"{self.headline}\n{self.body}" if self.headline else self.body


@dataclass(frozen=True)
class ParseResult:
    """What a parser found on a page."""

    kind: str  # "jsonld" | "microdata" | "feed" | "text" | "html"
    entries: list[Entry]
    page_date: date | None
    warnings: list[str] = field(default_factory=list)
