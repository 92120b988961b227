"""The sample live blogs as data: a page's title, date and form, and its entries.

Entries are stored oldest first, structured (id, time, headline, paragraphs), so the
demo site can reveal them one at a time and render the page in the blog's own form.
The files in ``data/`` were written for the demo; they describe an invented conflict.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any, Literal

Form = Literal["markers", "headlines", "digest", "jsonld"]
FORMS: tuple[Form, ...] = ("markers", "headlines", "digest", "jsonld")


class DemoDataError(ValueError):
    """A demo blog file is malformed; the message names the file and the field."""


@dataclass(frozen=True)
class Entry:
    """One entry of a sample blog. ``edit``: the paragraphs it gets when revised."""

    id: str
    time: str  # "HH:MM" on the page's date, UTC
    paragraphs: tuple[str, ...]
    headline: str | None = None
    section: str | None = None  # set for a bullet of the "key developments" list
    after: tuple[str, ...] = ()  # page furniture printed after the entry
    edit: tuple[str, ...] | None = None
    edit_time: str | None = None  # "HH:MM" the revision is dated, when the page shows it


@dataclass(frozen=True)
class Blog:
    """A sample live blog; ``entries`` oldest first."""

    name: str
    title: str
    date: date
    form: Form
    entries: tuple[Entry, ...]
    url: str | None = None  # canonical address, used for JSON-LD ids
    header: tuple[str, ...] = ()
    footer: tuple[str, ...] = ()
    digest: tuple[str, ...] = ()
    signoff: str | None = None
    developments_title: str = "Key developments"


def load_blog(name: str) -> Blog:
    """Read ``data/<name>.json`` shipped with the package."""
    source = resources.files("frontwire.demo").joinpath("data", f"{name}.json")
    try:
        raw = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DemoDataError(f"demo blog {name!r}: cannot read {name}.json: {exc}") from None
    return blog_from_dict(raw, origin=f"{name}.json")


def blog_from_dict(raw: dict[str, Any], origin: str = "(dict)") -> Blog:
    """A Blog from its JSON shape; DemoDataError names what is wrong."""
    try:
        form = raw["form"]
        if form not in FORMS:
            raise DemoDataError(f"{origin}: form {form!r} is not one of {', '.join(FORMS)}")
        entries = tuple(_entry(e) for e in raw["entries"])
        blog = Blog(
            name=raw["name"], title=raw["title"], date=date.fromisoformat(raw["date"]),
            form=form, entries=entries, url=raw.get("url"),
            header=tuple(raw.get("header", ())), footer=tuple(raw.get("footer", ())),
            digest=tuple(raw.get("digest", ())), signoff=raw.get("signoff"),
            developments_title=raw.get("developments_title", "Key developments"))
    except KeyError as exc:
        raise DemoDataError(f"{origin}: missing field {exc.args[0]!r}") from None
    except (TypeError, ValueError) as exc:
        if isinstance(exc, DemoDataError):
            raise
        raise DemoDataError(f"{origin}: {exc}") from None
    ids = [e.id for e in entries]
    if len(set(ids)) != len(ids):
        raise DemoDataError(f"{origin}: entry ids are not unique")
    return blog


def _entry(raw: dict[str, Any]) -> Entry:
    for key in ("time", "edit_time"):
        if key in raw:
            _check_clock(raw[key], f"entry {raw.get('id')!r}: {key}")
    if not raw["paragraphs"]:
        raise ValueError(f"entry {raw['id']!r} has no paragraphs")
    edit = raw.get("edit")
    return Entry(id=raw["id"], time=raw["time"], paragraphs=tuple(raw["paragraphs"]),
                 headline=raw.get("headline"), section=raw.get("section"),
                 after=tuple(raw.get("after", ())), edit=tuple(edit) if edit else None,
                 edit_time=raw.get("edit_time"))


def _check_clock(value: str, what: str) -> None:
    hours, _, minutes = value.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60):
        raise ValueError(f"{what} {value!r} is not HH:MM")
