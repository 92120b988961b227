"""The web console served by the API: live feed, email sign-up with double opt-in,
subscription management from emailed links, key holders' delivery logs, source
health and an operator view. Server-rendered Jinja2 pages, one CSS file and a
little JavaScript for the live feed.
"""

from __future__ import annotations

from services.api.console.routes import router, static_dir

__all__ = ["router", "static_dir"]
