"""The sample blogs the demo serves, and how ingest should read each of them.

``kind`` is the ingest parser for the page: "text" for the three plain-text forms,
"jsonld" for the HTML page whose entries sit in schema.org ``LiveBlogPosting`` JSON-LD.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from frontwire.demo.blog import Form


@dataclass(frozen=True)
class DemoBlog:
    """One sample blog: ``name`` is its data file, URL slug and ingest source id."""

    name: str
    form: Form
    kind: Literal["text", "jsonld"]
    description: str

    @property
    def path(self) -> str:
        """Where the demo site serves it."""
        return f"/live/{self.name}.{'html' if self.kind == 'jsonld' else 'txt'}"


BLOGS: tuple[DemoBlog, ...] = (
    DemoBlog("estmark-watch", "markers", "text",
             "timestamp markers (UPDATE 1415 GMT:), newest first, ORIGINAL ENTRY at the end"),
    DemoBlog("lindavik-live", "headlines", "text",
             "headline-led blocks, one paragraph per line"),
    DemoBlog("estmark-updates", "digest", "text",
             "'What you need to know' digest, headline-led entries with agency sign-offs, "
             "key developments as bullets under section headings"),
    DemoBlog("kalda-live", "jsonld", "jsonld",
             "HTML page with schema.org LiveBlogPosting JSON-LD"),
)


class _HasUrls(Protocol):
    def urls(self) -> dict[str, str]: ...


def sources_toml(site: _HasUrls, interval: float = 1.0) -> str:
    """A sources file (``[[sources]]`` tables) for ingest, pointing at a running site."""
    urls = site.urls()
    tables = [
        f'[[sources]]\nid = "{blog.name}"\nurl = "{urls[blog.name]}"\n'
        f'kind = "{blog.kind}"\ninterval = {float(interval)}\n'
        for blog in BLOGS
    ]
    return "# The demo's sample live blogs (written by frontwire run --demo).\n\n" + "\n".join(tables)
