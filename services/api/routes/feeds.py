"""Atom feeds: ``/feed.atom`` (public, the live feed with the feed page's filters) and
``/feeds/{token}.atom`` (one subscription's alerts, at a secret URL for feed readers).

Both answer conditional GETs (ETag, Last-Modified) with 304. The subscription feed's
token is an HMAC of its id (``services.notify.tokens.feed_token``): without it, or with
another subscription's, there is nothing but a 404.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request, Response

from schemas.models import Alert, ClassifiedUpdate, Severity
from services.api import atom
from services.api.deps import ApiDeps
from services.notify.channels.content import card
from services.notify.channels.email_message import fact_lines, headline_of, web_link
from services.notify.feed import FeedStore
from services.notify.store import DeliveryStore, NotFound, SubscriptionStore
from services.notify.tokens import feed_token, verify_feed_token

LIMIT = 50
Filter = Annotated[str | None, Query(max_length=200)]
ATOM_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {"application/atom+xml": {}}, "description": "An Atom 1.0 feed, newest first"},
    304: {"description": "Not modified since the ETag or date given"}}


def update_entry(c: ClassifiedUpdate) -> atom.Entry:
    upd = c.update
    about = [", ".join(lb.value for lb in c.labels) or "no label", f"severity {c.severity.value}",
             upd.source]
    text = "\n\n".join(filter(None, [upd.body, " · ".join(about), "\n".join(fact_lines(c.facts))]))
    title = upd.headline or next((ln for ln in upd.body.splitlines() if ln.strip()), upd.id)
    return atom.Entry(key=f"update:{upd.id}", title=title, updated=c.classified_at, text=text,
                      link=web_link(upd.url) or web_link(upd.page_url), published=upd.first_seen_at,
                      source=upd.source, categories=[lb.value for lb in c.labels])


def alert_entry(alert: Alert) -> atom.Entry:
    c = card(alert)
    lines = [" · ".join([", ".join(c.labels), f"severity {c.severity}", c.source]
                        + ([f"+{c.corroboration} other sources"] if c.corroboration else []))]
    lines += [f"What changed: {'; '.join(c.changes)}"] if c.changes else []
    lines += [f"{q.label}: “{q.text}”" for q in c.evidence] + list(c.facts)
    return atom.Entry(key=f"alert:{alert.id}", title=c.title or headline_of(alert),
                      updated=alert.created_at, text="\n".join(lines), link=c.link,
                      published=alert.classified.update.first_seen_at, source=c.source,
                      categories=list(c.labels))


def router(deps: ApiDeps) -> APIRouter:
    router = APIRouter(tags=["feeds"])
    live = FeedStore(deps.engine)
    subs = SubscriptionStore(deps.engine)
    deliveries = DeliveryStore(deps.engine)
    key, base = deps.settings.signing_key, deps.settings.public_url

    def answer(request: Request, body: bytes, updated: datetime, cache: str) -> Response:
        tag = atom.etag(body)
        headers = {"ETag": tag, "Last-Modified": atom.last_modified(updated), "Cache-Control": cache}
        if atom.not_modified(request.headers, tag, updated):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type=atom.MEDIA_TYPE, headers=headers)

    @router.get("/feed.atom", response_class=Response, responses=ATOM_RESPONSES)
    def live_feed(request: Request, label: Filter = None, source: Filter = None,
                  severity: Filter = None, q: Filter = None) -> Response:
        """The live feed as Atom: the latest classified updates, filtered like the feed page
        (label, source, minimum severity, text). Public, like the page."""
        chosen = {k: v for k, v in (("label", label), ("source", source), ("severity", severity),
                                    ("q", (q or "").strip())) if v}
        sev = Severity(severity) if severity in {s.value for s in Severity} else None
        items = live.latest(limit=LIMIT, label=label or None, source=source or None,
                            min_severity=sev, text=chosen.get("q"))
        query = urlencode(sorted(chosen.items()))
        body, updated = atom.render(
            key=f"feed:live?{query}", title="frontwire live feed" + (f" ({query})" if query else ""),
            self_url=f"{base}/feed.atom" + (f"?{query}" if query else ""),
            home_url=f"{base}/" + (f"?{query}" if query else ""),
            entries=[update_entry(i.classified) for i in items])
        return answer(request, body, updated, "public, max-age=30")

    @router.get("/feeds/{token}.atom", response_class=Response, responses=ATOM_RESPONSES)
    def subscription_feed(request: Request, token: str) -> Response:
        """One subscription's alerts as Atom, newest first, at the secret URL in its
        ``feed_url``."""
        sub_id = verify_feed_token(token, key)
        try:
            sub = subs.get(sub_id).subscription if sub_id else None
        except NotFound:
            sub = None
        if sub is None:
            raise HTTPException(404, "no feed here: the link is wrong, or its subscription is gone")
        body, updated = atom.render(
            key=f"feed:subscription:{sub.id}", title=f"frontwire: {sub.name}",
            self_url=feed_url(base, sub.id, key), home_url=f"{base}/subscriptions/{sub.id}",
            entries=[alert_entry(a) for a in deliveries.recent_alerts(sub.id, LIMIT)])
        return answer(request, body, updated, "private, max-age=30")

    return router


def feed_url(base: str, subscription_id: str, key: bytes) -> str:
    """The secret URL of a subscription's Atom feed."""
    return f"{base}/feeds/{feed_token(subscription_id, key)}.atom"
