"""The gathered pages of other outlets: manifest in the repo, copies in ../shared/pages.

The manifest is checked always; the pages are scored only where the copies are present
(they are third-party text and never committed), and the tests skip cleanly without them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from services.ingest import evaluate
from services.ingest.pageset import ManifestError, Page, gold_rows, load_manifest
from services.ingest.parsers import parse_page
from services.ingest.segscore import phantom_kind, score

MANIFEST = evaluate.DEFAULT_MANIFEST
PAGES = evaluate.DEFAULT_PAGES
needs_pages = pytest.mark.skipif(not PAGES.is_dir(), reason="../shared/pages not present")


def pages() -> list[Page]:
    return load_manifest(MANIFEST)


def test_the_manifest_covers_twenty_pages_of_eight_outlets_with_sane_marks() -> None:
    listed = pages()
    assert len(listed) >= 20 and len({p.outlet for p in listed}) >= 8
    for page in listed:
        assert page.url.startswith("http") and page.structures, page.file
        ends = [e["lines"] for e in page.entries]
        assert all(a <= b for a, b in ends) and ends == sorted(ends), page.file
        assert all(b < c for (_, b), (c, _) in zip(ends, ends[1:], strict=False)), page.file
        assert {e["kind"] for e in page.entries} <= {"update", "summary"}, page.file


def test_no_held_out_page_is_in_the_manifest() -> None:
    for page in pages():
        held_out = ("kyivpost" in page.url or "aljazeera" in page.url.split("/")[2]
                    or page.outlet in ("Kyiv Post",) or (page.outlet == "Al Jazeera"
                                                         and page.date[:7] in ("2024-10", "2024-11")))
        assert not held_out, page.file


def test_a_stored_copy_that_differs_from_the_marked_one_is_refused() -> None:
    page = pages()[0]
    with pytest.raises(ManifestError, match="differs"):
        gold_rows(page, "\n".join(["something else"] * 200))


@needs_pages
@pytest.mark.parametrize("page", pages(), ids=lambda p: p.file)
def test_each_gathered_page_meets_the_found_and_real_targets(page: Page) -> None:
    path = PAGES / page.file
    if not path.is_file():
        pytest.skip(f"{page.file} not in ../shared/pages")
    rows = gold_rows(page, path.read_text(encoding="utf-8"))
    result = parse_page(path.read_bytes(), url=page.file, kind=page.kind)
    got = score(page.file, rows, [e.text for e in result.entries])
    assert got.found >= evaluate.TARGET and got.real >= evaluate.TARGET, got


def test_the_eval_skips_the_gathered_set_cleanly_when_its_copies_are_absent(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = evaluate.main([str(tmp_path / "no-seeds"), "--gold", str(tmp_path / "none.jsonl"),
                          "--pages", str(tmp_path / "no-pages")])
    out = capsys.readouterr().out
    assert code == 0
    assert "gathered pages of other outlets: skipped" in out
    assert "the three samples: skipped" in out


@pytest.mark.parametrize(("text", "kind"), [
    ("Firefighters at the site [Ana Placeholder / Example Agency]", "caption"),
    ("As the war enters its 415th day, here are the main developments.", "intro"),
    ("How The Velm Talks Collapsed\nHe said rescuers were still searching.", "related"),
    ("The mediator said the talks would resume. Officials agreed.", "other"),
])
def test_phantom_entries_are_reported_by_kind(text: str, kind: str) -> None:
    assert phantom_kind(text) == kind


def test_a_phantom_lowers_real_and_is_counted_by_kind() -> None:
    gold = [{"kind": "update", "text": "Shelling hit the rail yard in Marenko, killing one worker."}]
    got = score("page", gold, ["Shelling hit the rail yard in Marenko, killing one worker.",
                               "Smoke over the yard (Example Photo/J. Doe)"])
    assert (got.found, got.real, dict(got.phantoms)) == (1.0, 0.5, {"caption": 1})
    assert got.phantom_note() == "caption 1"
