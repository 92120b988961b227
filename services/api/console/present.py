"""What the feed shows of a classified update: pure functions from schema objects to view data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup, escape

from schemas.models import ClassifiedUpdate, Label, Span
from services.notify.channels.email_message import fact_lines
from services.notify.feed import FeedItem


@dataclass(frozen=True)
class Report:
    source: str
    headline: str
    url: str | None
    why: tuple[str, ...] = ()  # why it was taken for the same event


@dataclass(frozen=True)
class ItemView:
    id: str
    source: str
    seen_at: datetime
    classified_at: datetime
    labels: list[tuple[str, float]]
    scores: list[tuple[str, float]]
    severity: str
    headline: Markup | None
    body: Markup
    facts: list[str]
    url: str | None
    revision: int
    others: list[Report]
    language: str | None = None
    language_supported: bool = True


def web_link(url: str | None) -> str | None:
    """Only http(s) links become clickable: a javascript: URL from a scraped page must not."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def highlight(text: str, spans: list[tuple[int, int, str]], offset: int = 0) -> Markup:
    """``text`` escaped, with each span (absolute ``start, end, label``) wrapped in ``<mark>``.

    ``offset`` is where ``text`` starts in the text the spans index (the headline and
    body are one text to the classifier). Overlapping spans are clipped, never nested.
    """
    out: list[str] = []
    pos = 0
    for start, end, label in sorted(spans):
        s, e = max(start - offset, pos), min(end - offset, len(text))
        if e <= s:
            continue
        out += [escape(text[pos:s]), Markup('<mark class="ev" data-label="{0}" title="evidence for {0}">'
                                            ).format(label), escape(text[s:e]), Markup("</mark>")]
        pos = e
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def _spans(classified: ClassifiedUpdate) -> list[tuple[int, int, str]]:
    evidence: dict[Label, list[Span]] = classified.evidence
    return [(sp.start, sp.end, label.value) for label, spans in evidence.items() for sp in spans]


def item_view(item: FeedItem, story: list[FeedItem], why: dict[str, list[str]] | None = None) -> ItemView:
    """One feed entry; ``story`` lists every report of its story (this one included), and
    ``why`` says, by update id, why each joined it."""
    c = item.classified
    upd = c.update
    spans = _spans(c)
    headline = highlight(upd.headline, spans) if upd.headline else None
    body = highlight(upd.body, spans, len(upd.headline) + 1 if upd.headline else 0)
    why = why or {}
    others = [Report(o.classified.update.source,
                     o.classified.update.headline or o.classified.update.body[:120],
                     web_link(o.classified.update.url or o.classified.update.page_url),
                     tuple(why.get(o.classified.update.id, ())))
              for o in story if o.classified.update.id != upd.id]
    return ItemView(
        id=upd.id, source=upd.source, seen_at=upd.first_seen_at, classified_at=c.classified_at,
        labels=[(lb.value, c.scores.get(lb, 0.0)) for lb in c.labels],
        scores=sorted(((lb.value, s) for lb, s in c.scores.items()), key=lambda t: -t[1]),
        severity=c.severity.value, headline=headline, body=body, facts=fact_lines(c.facts),
        url=web_link(upd.url or upd.page_url), revision=upd.revision, others=others,
        language=c.language, language_supported=c.language_supported)
