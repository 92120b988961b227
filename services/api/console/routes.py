"""The console's read-only pages: the live feed, source health, the operator view.

The feed updates itself by polling ``/feed/items?since=...``, which returns only
the entries classified after ``since`` as HTML rendered by the same template:
plain requests that end at once, so nothing holds uvicorn's shutdown.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from schemas.models import Severity
from services.api.console import channels, holders, operator, subscribe
from services.api.console.present import ItemView, item_view
from services.api.console.web import Console
from services.api.deps import ApiDeps
from services.api.keys import ApiKeyStore
from services.api.routes.sources import _source_out
from services.ingest.state import IngestState
from services.notify.feed import FeedStore
from services.notify.stories import StoryStore

GRAFANA_PORT, GRAFANA_DASHBOARD = 3000, "/d/frontwire-overview"
FEED_LIMIT = 50
Filter = Annotated[str | None, Query(max_length=200)]


def static_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "static"


def router(deps: ApiDeps) -> APIRouter:
    console = Console(deps, ApiKeyStore(deps.engine))
    router = APIRouter(include_in_schema=False)
    feed = FeedStore(deps.engine)
    story_store = StoryStore(deps.engine)
    ingest = IngestState(deps.engine)
    throughput: dict[str, tuple[float, float]] = {}  # stage -> (monotonic time, count) last seen

    def items(label: str | None, source: str | None, severity: str | None, q: str | None,
              since: datetime | None = None) -> list[ItemView]:
        sev = Severity(severity) if severity in {s.value for s in Severity} else None
        found = feed.latest(limit=FEED_LIMIT, label=label or None, source=source or None,
                            min_severity=sev, text=(q or "").strip()[:200] or None)
        if since is not None:
            found = [i for i in found if i.classified.classified_at > since]
        stories: dict[str, list] = {}  # type: ignore[type-arg]
        reasons: dict[str, dict[str, list[str]]] = {}
        views = []
        for item in found:
            story = []
            if item.story_id:
                if item.story_id not in stories:
                    stories[item.story_id] = feed.story(item.story_id)
                    reasons[item.story_id] = story_store.reasons(item.story_id) \
                        if len(stories[item.story_id]) > 1 else {}
                story = stories[item.story_id]
            views.append(item_view(item, story, reasons.get(item.story_id or "", {})))
        return views

    @router.get("/", response_class=HTMLResponse)
    def feed_page(request: Request, label: Filter = None, source: Filter = None,
                  severity: Filter = None, q: Filter = None) -> HTMLResponse:
        views = items(label, source, severity, q)
        sources = sorted({h.spec.id for h in ingest.sources()} | {v.source for v in views})
        return console.render(request, "feed.html", items=views, sources=sources,
                              severities=[s.value for s in Severity],
                              filters={"label": label or "", "source": source or "",
                                       "severity": severity or "", "q": q or ""})

    @router.get("/feed/items", response_class=HTMLResponse)
    def feed_items(request: Request, since: Filter = None, label: Filter = None,
                   source: Filter = None, severity: Filter = None, q: Filter = None) -> HTMLResponse:
        try:
            after = datetime.fromisoformat(since) if since else None
        except ValueError:
            after = None
        views = items(label, source, severity, q, after)
        response = console.render(request, "_items.html", items=views)
        if views:
            response.headers["X-Feed-Newest"] = max(v.classified_at for v in views).isoformat()
        return response

    @router.get("/sources", response_class=HTMLResponse)
    def sources_page(request: Request) -> HTMLResponse:
        now = deps.clock()
        return console.render(request, "sources.html", now=now,
                              sources=[_source_out(h, now) for h in ingest.sources()])

    @router.get("/operator", response_class=HTMLResponse)
    async def operator_page(request: Request) -> HTMLResponse:
        s = deps.settings
        host = "127.0.0.1" if s.metrics_host in ("0.0.0.0", "::", "") else s.metrics_host
        scraped = await operator.scrape({
            "ingest": f"http://{host}:{s.ingest_metrics_port}/metrics",
            "classify": f"http://{host}:{s.classify_metrics_port}/metrics",
            "notify": f"http://{host}:{s.notify_metrics_port}/metrics"})
        view = operator.summarise(operator.own(deps.registry), scraped)
        now, rates = time.monotonic(), {}
        for stage, count in view.stages:
            if count is None:
                continue
            before = throughput.get(stage)
            if before and 1 < now - before[0] < 900:
                rates[stage] = (count - before[1]) / (now - before[0]) * 60
            throughput[stage] = (now, count)
        grafana = f"http://{urlsplit(s.public_url).hostname}:{GRAFANA_PORT}{GRAFANA_DASHBOARD}"
        return console.render(request, "operator.html", view=view, rates=rates, grafana=grafana)

    router.include_router(subscribe.router(console))
    router.include_router(holders.router(console))
    router.include_router(channels.router(console))
    return router
