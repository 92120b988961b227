"""Pages of the sample blogs, rendered from their entries in each publishing form.

``render(blog, entries, edited)`` takes the entries visible now (oldest first, edits
already applied) and returns the page as a real outlet would show it: newest first,
with the furniture (captions, sign-ups, links, agency sign-offs) around the entries
that a parser has to learn to leave out. Pure functions: the site decides what is
visible and when.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, time

from frontwire.demo.blog import Blog, Entry

TEXT = "text/plain; charset=utf-8"
HTML = "text/html; charset=utf-8"


def render(blog: Blog, entries: Sequence[Entry], edited: Iterable[str] = ()) -> tuple[str, str]:
    """(content type, page) of ``blog`` showing ``entries``; ``edited``: ids revised."""
    if blog.form == "markers":
        return TEXT, _markers(blog, entries)
    if blog.form == "headlines":
        return TEXT, _headlines(blog, entries)
    if blog.form == "digest":
        return TEXT, _digest(blog, entries)
    return HTML, _jsonld(blog, entries, set(edited))


def instant(blog: Blog, clock: str) -> datetime:
    """The UTC instant of an "HH:MM" on the blog's date."""
    hours, _, minutes = clock.partition(":")
    return datetime.combine(blog.date, time(int(hours), int(minutes)), tzinfo=UTC)


def _markers(blog: Blog, entries: Sequence[Entry]) -> str:
    # Newest first, "UPDATE 1415 GMT:" over each entry, the first one of the day
    # at the bottom as "ORIGINAL ENTRY:", blank lines between paragraphs.
    blocks = [blog.title, *blog.header]
    for n, entry in reversed(list(enumerate(entries))):
        if n == 0:
            first, *rest = entry.paragraphs
            blocks.append(f"ORIGINAL ENTRY: {first}")
            blocks.extend(rest)
        else:
            blocks.append(f"UPDATE {entry.time.replace(':', '')} GMT:")
            blocks.extend(entry.paragraphs)
        blocks.extend(entry.after)
    blocks.extend(blog.footer)
    return "\n\n".join(blocks) + "\n"


def _headlines(blog: Blog, entries: Sequence[Entry]) -> str:
    # One paragraph per line, a short headline line opening each entry.
    lines = [blog.title, *blog.header]
    for entry in reversed(entries):
        lines.extend(_headed(entry))
    lines.extend(blog.footer)
    return "\n".join(lines) + "\n"


def _digest(blog: Blog, entries: Sequence[Entry]) -> str:
    # As text extraction leaves such pages: the dateline glued to the digest heading,
    # an agency sign-off under every entry, the bulleted key developments at the end.
    day = f"{blog.date:%B} {blog.date.day}, {blog.date.year}"
    lines = [blog.title, f"Published {day}last updated {day}What you need to know", *blog.digest]
    for entry in reversed([e for e in entries if e.section is None]):
        lines.extend(_headed(entry))
        if blog.signoff:
            lines.append(blog.signoff)
    bullets = [e for e in entries if e.section is not None]
    if bullets:
        lines.append(blog.developments_title)
        sections = dict.fromkeys(e.section for e in blog.entries if e.section is not None)
        for section in sections:
            items = [e for e in reversed(bullets) if e.section == section]
            if items:
                lines.append(str(section))
                lines.extend(f"- {' '.join(e.paragraphs)}" for e in items)
    lines.extend(blog.footer)
    return "\n".join(lines) + "\n"


def _headed(entry: Entry) -> list[str]:
    head = [entry.headline] if entry.headline else []
    return [*head, *entry.paragraphs, *entry.after]


def _jsonld(blog: Blog, entries: Sequence[Entry], edited: set[str]) -> str:
    base = blog.url or f"https://news.example.org/live/{blog.name}"
    newest = list(reversed(entries))
    updates = [_posting(blog, base, entry, entry.id in edited) for entry in newest]
    stamps = [u.get("dateModified", u["datePublished"]) for u in updates]
    document = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": base,
        "url": base,
        "headline": blog.title,
        "datePublished": instant(blog, entries[0].time).isoformat() if entries else None,
        "dateModified": max(stamps) if stamps else None,
        "coverageStartTime": instant(blog, "00:00").isoformat(),
        "liveBlogUpdate": updates,
    }
    # "</" inside a script element would end it early, whatever the JSON says.
    data = json.dumps(document, ensure_ascii=False, indent=2).replace("</", "<\\/")
    esc = html.escape
    articles = []
    for entry in newest:
        paras = "".join(f"<p>{esc(p)}</p>" for p in entry.paragraphs)
        extra = "".join(f'<p class="promo">{esc(p)}</p>' for p in entry.after)
        articles.append(
            f'<article id="{esc(entry.id)}"><time datetime="{instant(blog, entry.time).isoformat()}">'
            f"{esc(entry.time)}</time><h2>{esc(entry.headline or '')}</h2>{paras}{extra}</article>")
    header = "".join(f'<p class="caption">{esc(line)}</p>' for line in blog.header)
    footer = "".join(f"<li>{esc(line)}</li>" for line in blog.footer)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(blog.title)}</title>\n"
        f'<script type="application/ld+json">\n{data}\n</script>\n'
        "<style>body{font-family:sans-serif;max-width:46em;margin:2em auto}"
        "article{border-top:1px solid #ccc;padding:.5em 0}.caption,.promo{color:#666}</style>"
        f"</head>\n<body><main><h1>{esc(blog.title)}</h1>{header}\n"
        + "\n".join(articles)
        + f"\n<aside><ul>{footer}</ul></aside></main></body></html>\n")


def _posting(blog: Blog, base: str, entry: Entry, edited: bool) -> dict[str, str]:
    posting = {
        "@type": "BlogPosting",
        "@id": f"{base}#{entry.id}",
        "url": f"{base}#{entry.id}",
        "headline": entry.headline or "",
        "datePublished": instant(blog, entry.time).isoformat(),
        "articleBody": "\n\n".join(entry.paragraphs),
    }
    if edited and entry.edit_time:
        posting["dateModified"] = instant(blog, entry.edit_time).isoformat()
    return posting
