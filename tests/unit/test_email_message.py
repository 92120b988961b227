"""The alert email as built (no SMTP): headers, parts, escaping, unsubscribe tokens."""

from __future__ import annotations

import pytest

from services.notify.channels.email import build_message, parse_smtp_url
from services.notify.channels.email_message import header_safe, message_id
from services.notify.tokens import unsubscribe_token, verify_unsubscribe_token
from tests.helpers.notify_factories import make_alert, make_subscription, make_update

UNSUB = "https://frontwire.example/v1/unsubscribe/tok"


def build(alert=None, subscription=None):  # type: ignore[no-untyped-def]
    return build_message(alert or make_alert(channel="email"),
                         subscription or make_subscription(address="ana@example.org"),
                         mail_from="frontwire <alerts@frontwire.example>", unsubscribe_url=UNSUB)


def _parts(msg):  # type: ignore[no-untyped-def]
    return msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()


def test_subject_names_the_labels_and_the_headline() -> None:
    msg = build()
    assert msg["Subject"] == "[frontwire] civilian_harm: Four civilians killed in strike on Kharkiv"
    assert msg["To"] == "ana@example.org"
    assert msg["From"] == "frontwire <alerts@frontwire.example>"


def test_subject_falls_back_to_the_first_line_and_marks_updates() -> None:
    alert = make_alert(update=make_update(headline=None), kind="update", channel="email")
    assert build(alert)["Subject"].startswith("[frontwire] civilian_harm (updated): UPDATE 1519 GMT")


def test_message_id_is_derived_from_the_alert_id() -> None:
    assert build()["Message-ID"] == "<alert-sub1-upd1@frontwire>"
    assert build()["Message-ID"] == build()["Message-ID"]
    odd = message_id("a b<c>@d")
    assert odd == message_id("a b<c>@d") and odd.startswith("<") and " " not in odd


def test_has_rfc8058_one_click_unsubscribe_headers() -> None:
    msg = build()
    assert msg["List-Unsubscribe"] == f"<{UNSUB}>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_text_and_html_parts_carry_evidence_facts_and_link() -> None:
    msg = build()
    assert msg.is_multipart() and msg.get_content_type() == "multipart/alternative"
    text, html = _parts(msg)
    for part in (text, html):
        assert "Four civilians were killed" in part
        assert "Killed: 4" in part and "Injured: 12" in part and "425,000,000 USD" in part
        assert "Kharkiv" in part and "guardian-live" in part
        assert UNSUB in part
    assert "Read more: https://example.org/live#upd-1" in text
    assert '<a href="https://example.org/live#upd-1">' in html
    assert "<blockquote>Four civilians were killed</blockquote>" in html


def test_header_injection_through_the_headline_is_impossible() -> None:
    evil = make_update(headline="Strike\r\nBcc: victim@example.net\r\n\r\nfake body")
    msg = build(make_alert(update=evil, channel="email"))
    assert msg["Bcc"] is None
    assert "\n" not in msg["Subject"] and "\r" not in msg["Subject"]
    assert b"\r\nBcc:" not in msg.as_bytes()


@pytest.mark.parametrize("address", ["ana@example.org\r\nBcc: x@example.net",
                                     "ana@example.org, eve@example.net", "not an address"])
def test_recipient_must_be_one_plain_address(address: str) -> None:
    with pytest.raises(ValueError):
        build(subscription=make_subscription(address=address))


def test_a_subscription_without_email_is_refused() -> None:
    with pytest.raises(ValueError, match="no email target"):
        build(subscription=make_subscription(url="https://hooks.example/x"))


def test_html_part_escapes_the_scraped_text_and_refuses_script_links() -> None:
    update = make_update(headline="<script>alert(1)</script>", body="Four civilians were killed & <b>x</b>",
                         url="javascript:alert(1)", page_url=None)
    text, html = _parts(build(make_alert(update=update, channel="email")))
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; &lt;b&gt;" in html
    assert "javascript:" not in html and "Read more" not in text


def test_header_safe_flattens_control_characters_and_bounds_length() -> None:
    assert header_safe("a\r\n\tb\x00c") == "a b c"
    assert len(header_safe("x" * 500, 100)) == 100


def test_unsubscribe_token_round_trips_and_resists_tampering() -> None:
    key = b"k" * 32
    token = unsubscribe_token("sub.1/ü", key)
    assert verify_unsubscribe_token(token, key) == "sub.1/ü"
    assert token.replace(".", "").replace("-", "").replace("_", "").isalnum()  # URL-safe
    assert verify_unsubscribe_token(token, b"other-key") is None
    other = unsubscribe_token("sub-2", key)
    forged = other.split(".")[0] + "." + token.split(".")[1]
    assert verify_unsubscribe_token(forged, key) is None
    for junk in ("", ".", "abc", "a.b.c", "!!!.???", "é.é"):
        assert verify_unsubscribe_token(junk, key) is None
    with pytest.raises(ValueError):
        unsubscribe_token("sub-1", b"")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example:2525", ("mail.example", 2525, False, False, None, None)),
        ("smtp://mail.example", ("mail.example", 25, False, False, None, None)),
        ("smtp+starttls://u%40x:p%3Aw@mail.example:587", ("mail.example", 587, False, True, "u@x", "p:w")),
        ("smtps://u:p@mail.example", ("mail.example", 465, True, False, "u", "p")),
    ],
)
def test_parse_smtp_url(url: str, expected: tuple[object, ...]) -> None:
    s = parse_smtp_url(url)
    assert (s.host, s.port, s.use_tls, s.start_tls, s.username, s.password) == expected


@pytest.mark.parametrize("url", ["http://mail.example", "smtp://", "mail.example:25"])
def test_parse_smtp_url_refuses_other_urls(url: str) -> None:
    with pytest.raises(ValueError, match="SMTP URL"):
        parse_smtp_url(url)


def test_subject_has_single_spaces_whatever_the_headline_holds() -> None:
    alert = make_alert(update=make_update(headline="Drovan   forces\n launch\tmajor  offensive"),
                       channel="email")
    subject = build(alert)["Subject"]
    assert subject == "[frontwire] civilian_harm: Drovan forces launch major offensive"
    assert "  " not in subject and not subject.startswith(" ")
