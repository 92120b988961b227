"""What chat messages say, and how they are cut to a limit: evidence first, the link never."""

from __future__ import annotations

from services.notify.channels.content import Card, card, clip, cut, fit
from services.notify.masking import mask_secret, mask_url
from tests.helpers.notify_factories import make_alert


def text(c: Card) -> str:
    return "\n".join([c.title, *(q.text for q in c.evidence), *c.facts, c.link or ""])


def test_a_card_holds_labels_headline_evidence_facts_severity_link_and_corroboration():
    c = card(make_alert())
    assert (c.title, c.labels, c.severity) == ("Four civilians killed in strike on Kharkiv",
                                               ("civilian_harm",), "high")
    assert [q.text for q in c.evidence] == ["Four civilians were killed"]
    assert c.facts[0] == "Killed: 4 (Four civilians were killed)"
    assert (c.link, c.corroboration) == ("https://example.org/live#upd-1", 1)


def test_updates_and_tests_say_so_in_the_title():
    assert card(make_alert(kind="update")).title.endswith("(updated)")
    assert card(make_alert(kind="test")).title.endswith("(test)")


def test_a_digest_lists_its_stories_with_their_links():
    digest = make_alert(kind="digest", digest=[make_alert(), make_alert(id="a2")])
    c = card(digest)
    assert c.title == "Digest: 2 stories" and c.evidence == ()
    assert [s.link for s in c.stories] == ["https://example.org/live#upd-1"] * 2


def test_fit_cuts_the_evidence_before_anything_else_and_keeps_the_link():
    c = card(make_alert())
    long = c.__class__(**{**c.__dict__, "evidence": tuple(q.__class__(q.label, "x" * 5000)
                                                           for q in c.evidence * 2)})
    out = fit(long, text, lambda t: len(t) <= 1000)
    assert len(out) <= 1000 and "https://example.org/live#upd-1" in out and "Killed: 4" in out
    assert "…" in out


def test_when_even_no_evidence_is_too_long_the_facts_and_headline_go_but_not_the_link():
    out = fit(card(make_alert()), text, lambda t: len(t) <= 160)
    assert out.endswith("https://example.org/live#upd-1") and "Killed" not in out


def test_cut_takes_the_first_quotes_first():
    c = card(make_alert())
    assert cut(c, 10).evidence[0].text == "Four civi…" and cut(c, 0).evidence == ()


def test_clip_marks_what_it_cut():
    assert clip("abcdef", 6) == "abcdef" and clip("abcdef", 4) == "abc…" and clip("abc", 0) == ""


def test_masks_show_the_host_and_the_last_four_characters_only():
    url = "https://hooks.slack.com/services/T0001/B0001/abcdefghijkl1234"
    assert mask_url(url) == "https://hooks.slack.com/…1234"
    assert mask_url("https://user:pw@discord.com/api/webhooks/1/tok3n") == "https://discord.com/…ok3n"
    assert mask_secret("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw") == "…Dsaw"
    assert mask_secret("short") == "…"
