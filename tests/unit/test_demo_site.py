"""The demo site: sample blogs that grow on a clock, with ETags, one edit, and an end.

The site runs on a free port of 127.0.0.1; its clock is a fake the tests move, so
nothing here sleeps.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from frontwire.demo.blog import DemoDataError, blog_from_dict, load_blog
from frontwire.demo.catalog import BLOGS, sources_toml
from frontwire.demo.site import DemoSite

INTERVAL = 4.0


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, intervals: float) -> None:
        self.now += intervals * INTERVAL


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def site(clock: FakeClock) -> Iterator[DemoSite]:
    with DemoSite(port=0, start_entries=2, interval=INTERVAL, clock=clock) as running:
        yield running


def first_sentence(text: str) -> str:
    return text.split(". ")[0]


def get(url: str, **headers: str) -> httpx.Response:
    return httpx.get(url, headers=headers, timeout=5)


def test_each_blog_starts_with_its_oldest_entries(site: DemoSite) -> None:
    for name, url in site.urls().items():
        page = get(url).text
        entries = load_blog(name).entries
        for entry in entries[:2]:
            assert first_sentence(entry.paragraphs[0]) in page, (name, entry.id)
        for entry in entries[2:]:
            assert first_sentence(entry.paragraphs[0]) not in page, (name, entry.id)


def test_one_more_entry_appears_each_interval_newest_first(site: DemoSite, clock: FakeClock) -> None:
    url = site.urls()["lindavik-live"]
    entries = load_blog("lindavik-live").entries
    clock.advance(0.9)
    assert entries[2].headline not in get(url).text
    clock.advance(0.1)
    page = get(url).text
    assert entries[2].headline is not None and entries[2].headline in page
    assert page.index(entries[2].headline) < page.index(str(entries[1].headline))
    assert len(site.visible("lindavik-live")) == 3


def test_unchanged_page_answers_304_to_its_etag(site: DemoSite, clock: FakeClock) -> None:
    url = site.urls()["estmark-watch"]
    first = get(url)
    etag = first.headers["ETag"]
    again = get(url, **{"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert get(url, **{"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    clock.advance(1)
    changed = get(url, **{"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_serves_text_forms_as_plain_text_and_the_jsonld_page_as_html(site: DemoSite) -> None:
    for blog in BLOGS:
        response = get(site.urls()[blog.name])
        expected = "text/html" if blog.kind == "jsonld" else "text/plain; charset=utf-8"
        assert response.headers["Content-Type"].startswith(expected)
    assert get(site.url + "/").headers["Content-Type"].startswith("text/html")
    assert get(site.url + "/nope").status_code == 404
    head = httpx.head(site.urls()["kalda-live"], timeout=5)
    assert head.status_code == 200 and head.content == b""


def jsonld_updates(page: str) -> dict[str, str]:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert block is not None
    doc = json.loads(block.group(1))
    assert doc["@type"] == "LiveBlogPosting"
    return {u["@id"]: u["articleBody"] for u in doc["liveBlogUpdate"]}


def test_an_entry_is_edited_under_its_id_after_every_entry_is_out(
        site: DemoSite, clock: FakeClock) -> None:
    longest = max(len(load_blog(b.name).entries) for b in BLOGS)
    clock.advance(longest - 2)  # every entry of every blog is out now
    for blog in BLOGS:
        assert len(site.visible(blog.name)) == len(load_blog(blog.name).entries)
    assert not site.finished
    before = jsonld_updates(get(site.urls()["kalda-live"]).text)
    clock.advance(1)
    after = jsonld_updates(get(site.urls()["kalda-live"]).text)
    assert site.finished
    assert before.keys() == after.keys()
    changed = [key for key in before if before[key] != after[key]]
    assert len(changed) == 1
    assert "killing a nurse" in after[changed[0]]


def test_not_finished_before_start_nor_while_entries_remain(clock: FakeClock) -> None:
    site = DemoSite(clock=clock, interval=INTERVAL)
    assert not site.finished
    with pytest.raises(RuntimeError, match="not started"):
        _ = site.url
    with site:
        assert not site.finished
        clock.advance(3)
        assert not site.finished
        clock.advance(100)
        assert site.finished


def test_settled_only_once_every_final_page_was_fetched_after_the_edit(
        site: DemoSite, clock: FakeClock) -> None:
    # `make demo` stops on `settled`: had it stopped on `finished`, the edit (and the update
    # alert it causes) could still be unfetched.
    urls = site.urls()
    etags = {name: get(url).headers["ETag"] for name, url in urls.items()}
    clock.advance(100)
    assert site.finished and not site.settled
    for name in list(urls)[:-1]:
        get(urls[name])
    httpx.head(urls[list(urls)[-1]], timeout=5)  # a HEAD hands nothing over
    assert not site.settled
    last = list(urls)[-1]
    final = get(urls[last])
    assert final.headers["ETag"] != etags[last] and site.settled


def test_a_304_for_the_final_page_counts_as_fetched(site: DemoSite, clock: FakeClock) -> None:
    clock.advance(100)
    etags = {name: get(url).headers["ETag"] for name, url in site.urls().items()}
    fresh = DemoSite(port=0, start_entries=2, interval=INTERVAL, clock=clock)
    with fresh:
        clock.advance(100)
        for name, url in fresh.urls().items():
            assert get(url, **{"If-None-Match": etags[name]}).status_code == 304
        assert fresh.settled


def test_pages_fetched_before_the_end_do_not_settle_it(site: DemoSite, clock: FakeClock) -> None:
    for _ in range(30):
        for url in site.urls().values():
            get(url)
        if site.finished:
            break
        assert not site.settled
        clock.advance(1)


def test_sources_file_lists_every_blog_with_its_parser(site: DemoSite) -> None:
    doc = tomllib.loads(sources_toml(site, interval=1.0))
    kinds = {s["id"]: (s["kind"], s["url"]) for s in doc["sources"]}
    assert kinds == {b.name: (b.kind, site.urls()[b.name]) for b in BLOGS}
    for blog in BLOGS:
        assert load_blog(blog.name).form == blog.form


def test_every_page_parses_into_its_visible_entries(site: DemoSite, clock: FakeClock) -> None:
    # The demo only shows alerts if ingest cuts these pages right: check with its parser.
    from services.ingest.parsers import parse_page

    clock.advance(100)
    furniture = re.compile(r"telegram|newsletter|read more|related:|\(AFP|photo:", re.I)
    for blog in BLOGS:
        page = site.page(blog.name)
        result = parse_page(page.body, content_type=page.content_type, kind=blog.kind)
        updates = [e for e in result.entries if e.kind == "update"]
        assert len(updates) == len(site.visible(blog.name)), blog.name
        for entry in updates:
            assert not furniture.search(entry.body), (blog.name, entry.body)


def test_malformed_blog_data_is_rejected_with_the_field_named() -> None:
    raw = {"name": "x", "title": "X", "date": "2025-06-12", "form": "markers",
           "entries": [{"id": "a", "time": "25:00", "paragraphs": ["Text."]}]}
    with pytest.raises(DemoDataError, match="time"):
        blog_from_dict(raw)
    with pytest.raises(DemoDataError, match="'entries'"):
        blog_from_dict({k: v for k, v in raw.items() if k != "entries"})


def test_sample_blogs_share_no_phrase_with_the_third_party_seed_pages() -> None:
    # The seeds are other outlets' articles: the demo text must be our own writing.
    seeds = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"no seed pages at {seeds}")

    def shingles(text: str, n: int = 7) -> set[tuple[str, ...]]:
        words = re.findall(r"[a-z0-9]+", text.lower())
        return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}

    seen: set[tuple[str, ...]] = set()
    for page in seeds.glob("*.txt"):
        seen |= shingles(page.read_text(encoding="utf-8"))
    for blog in BLOGS:
        data = load_blog(blog.name)
        texts = [data.title, *data.header, *data.footer, *data.digest]
        for entry in data.entries:
            texts += [entry.headline or "", *entry.paragraphs, *entry.after, *(entry.edit or ())]
        for text in texts:
            assert not shingles(text) & seen, (blog.name, text)
