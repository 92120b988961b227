"""What a chat message says about an alert, and how it is cut to a service's limits. Pure.

``card`` reads an alert once into the parts every chat channel shows: labels,
headline, evidence, facts, severity, source, link and how many other outlets
reported the story (for a digest, one short entry per story). ``fit`` renders a
card in a channel's shape and, while the result breaks one of the service's
limits, cuts the evidence first (shorter quotes, then none), then the rest; the
link is never cut.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TypeVar

from schemas.models import Alert
from services.notify.channels.email_message import fact_lines, headline_of, web_link

T = TypeVar("T")
ELLIPSIS = "…"


@dataclass(frozen=True)
class Quote:
    label: str  # the label the sentence is evidence for ("" for a plain excerpt)
    text: str


@dataclass(frozen=True)
class Story:
    """One entry of a digest."""

    headline: str
    labels: tuple[str, ...]
    source: str
    link: str | None
    quote: str


@dataclass(frozen=True)
class Card:
    kind: str  # new | update | test | digest
    headline: str
    labels: tuple[str, ...]
    severity: str
    evidence: tuple[Quote, ...]
    facts: tuple[str, ...]
    changes: tuple[str, ...]
    source: str
    link: str | None
    corroboration: int  # other outlets that reported the same story
    stories: tuple[Story, ...]
    when: datetime
    alert_id: str

    @property
    def title(self) -> str:
        mark = {"update": " (updated)", "test": " (test)"}.get(self.kind, "")
        if self.kind == "digest":
            n = len(self.stories)
            return f"Digest: {n} {'story' if n == 1 else 'stories'}"
        return self.headline + mark


def about(card: Card) -> list[str]:
    """The one-line facts around the headline: labels, severity, source, other outlets."""
    if card.kind == "digest":
        return [", ".join(card.labels) or "alert"]
    parts = [", ".join(card.labels) or "alert", f"severity {card.severity}", card.source]
    if card.corroboration:
        n = card.corroboration
        parts.append(f"+{n} other {'source' if n == 1 else 'sources'}")
    return parts


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending in … when cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + ELLIPSIS if limit > 0 else ""


def _evidence(alert: Alert) -> tuple[Quote, ...]:
    spans = alert.classified.evidence
    quotes = tuple(Quote(lb.value, sp.text) for lb in alert.matched_labels for sp in spans.get(lb, []))
    # No evidence (a test alert): the start of the text stands in, cut like evidence.
    return quotes or (Quote("", clip(alert.classified.update.body, 600)),)


def _story(alert: Alert) -> Story:
    quote = next((sp.text for lb in alert.matched_labels
                  for sp in alert.classified.evidence.get(lb, [])), "")
    update = alert.classified.update
    return Story(headline_of(alert), tuple(lb.value for lb in alert.matched_labels), update.source,
                 web_link(update.url) or web_link(update.page_url), quote)


def card(alert: Alert) -> Card:
    """The parts of ``alert`` a chat message shows."""
    c, update = alert.classified, alert.classified.update
    return Card(
        kind=alert.kind, headline=" ".join(headline_of(alert).split()),
        labels=tuple(lb.value for lb in alert.matched_labels), severity=c.severity.value,
        evidence=() if alert.kind == "digest" else _evidence(alert),
        facts=() if alert.kind == "digest" else tuple(fact_lines(c.facts)),
        changes=tuple(alert.changes), source=update.source,
        link=web_link(update.url) or web_link(update.page_url),
        corroboration=len(alert.corroboration), stories=tuple(_story(a) for a in alert.digest),
        when=alert.created_at, alert_id=alert.id)


def cut(card: Card, budget: int) -> Card:
    """``card`` with at most ``budget`` characters of evidence, first quotes first."""
    quotes: list[Quote] = []
    for quote in card.evidence:
        if budget <= 0:
            break
        quotes.append(replace(quote, text=clip(quote.text, budget)))
        budget -= len(quote.text)
    stories = tuple(replace(s, quote=clip(s.quote, budget // max(1, len(card.stories))))
                    for s in card.stories)
    return replace(card, evidence=tuple(quotes), stories=stories)


def evidence_size(card: Card) -> int:
    return sum(len(q.text) for q in card.evidence) + sum(len(s.quote) for s in card.stories)


def _tighter(card: Card) -> Iterator[Card]:
    """Once the evidence is gone: fewer facts and changes, a shorter headline, fewer stories."""
    card = replace(card, facts=card.facts[:3], changes=card.changes[:3])
    yield card
    card = replace(card, facts=(), changes=(), headline=clip(card.headline, 120))
    yield card
    while len(card.stories) > 1:
        card = replace(card, stories=card.stories[: len(card.stories) // 2])
        yield card


def fit(card: Card, render: Callable[[Card], T], fits: Callable[[T], bool]) -> T:
    """The fullest rendering of ``card`` that ``fits``; the tightest one if none does."""
    out = render(card)
    if fits(out):
        return out
    lo, hi, best = 0, evidence_size(card) - 1, None
    while lo <= hi:  # the most evidence that fits
        mid = (lo + hi) // 2
        candidate = render(cut(card, mid))
        if fits(candidate):
            best, lo = candidate, mid + 1
        else:
            hi = mid - 1
    if best is not None:
        return best
    out = render(cut(card, 0))
    for tighter in _tighter(cut(card, 0)):
        out = render(tighter)
        if fits(out):
            break
    return out
