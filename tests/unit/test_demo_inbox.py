"""What the demo's mailbox shows of each mail: one line, the links that matter, an .eml file."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from aiosmtplib.email import flatten_message

from frontwire.demo import inbox
from frontwire.demo.parts import welcome_lines
from schemas.models import Subscription
from services.api.console.mail import confirmation_message
from services.notify.channels.email_message import build_message
from tests.helpers.notify_factories import make_alert, make_subscription, make_update

API = "http://127.0.0.1:18080"


def over_smtp(msg: EmailMessage) -> EmailMessage:
    """msg as the mailbox receives it: flattened as aiosmtplib sends it, parsed back."""
    parsed = email.message_from_bytes(flatten_message(msg), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def alert_mail(headline: str) -> EmailMessage:
    alert = make_alert(update=make_update(headline=headline), channel="email")
    return build_message(alert, make_subscription(address="analyst@example.org"),
                         mail_from="frontwire <alerts@frontwire.invalid>",
                         unsubscribe_url=f"{API}/v1/unsubscribe/tok1",
                         manage_url=f"{API}/manage/tok2")


def confirm_mail() -> EmailMessage:
    sub = Subscription.model_validate({
        "id": "sub_1", "owner": "console", "name": "me", "labels": ["aid"],
        "email": {"address": "me@example.org"}, "created_at": datetime(2025, 5, 4, tzinfo=UTC)})
    return confirmation_message(sub, mail_from="frontwire <alerts@frontwire.invalid>",
                                confirm_url=f"{API}/confirm/tok3", valid_days=7)


def test_a_subject_folded_in_transit_is_shown_with_single_spaces() -> None:
    # 74 characters: too long for the first line after "Subject: ", so the SMTP policy
    # folds right after the colon, and Python's parser keeps the fold's leading space.
    msg = over_smtp(alert_mail("Drovan forces launch major offensive towards Tamsk"))
    assert str(msg["Subject"]).startswith(" ")  # what the mailbox printed before
    line = inbox.describe(msg, None, first_to_address=False)[0]
    assert line == ("to analyst@example.org: [frontwire] civilian_harm: "
                    "Drovan forces launch major offensive towards Tamsk")


def test_a_confirmation_mail_shows_its_link_and_where_it_is_saved(tmp_path: Path) -> None:
    msg = over_smtp(confirm_mail())
    saved = inbox.save(msg, tmp_path / "mail", 7)
    assert saved.name == "007-confirm-your-alerts.eml"
    assert email.message_from_bytes(saved.read_bytes())["To"] == "me@example.org"
    assert inbox.describe(msg, saved, first_to_address=True) == [
        "to me@example.org: [frontwire] Confirm your alerts",
        f"  confirm the sign-up: {API}/confirm/tok3",
        f"  (the whole mail: {saved})",
    ]


def test_the_first_alert_to_an_address_shows_manage_and_unsubscribe_links_later_ones_do_not(
) -> None:
    msg = over_smtp(alert_mail("Power cut to 80,000 homes"))
    assert inbox.links(msg) == inbox.MailLinks(manage=f"{API}/manage/tok2",
                                               unsubscribe=f"{API}/v1/unsubscribe/tok1")
    first = inbox.describe(msg, None, first_to_address=True)
    assert first[1:] == [f"  manage this subscription: {API}/manage/tok2",
                         f"  unsubscribe: {API}/v1/unsubscribe/tok1"]
    assert len(inbox.describe(msg, None, first_to_address=False)) == 1


def test_the_demo_shows_its_own_key_with_a_curl_and_the_console_sign_in() -> None:
    lines = welcome_lines(API, "demo-0123456789abcdef")
    text = "\n".join(lines)
    assert "API key: demo-0123456789abcdef" in text
    assert (f"curl -s -H 'Authorization: Bearer demo-0123456789abcdef' {API}/v1/subscriptions"
            in text)
    assert f"{API}/keys" in text and f"{API}/subscribe" in text


def test_a_key_the_user_set_is_not_printed() -> None:
    text = "\n".join(welcome_lines(API, None))
    assert "$FRONTWIRE_API_KEY" in text and "demo-" not in text


def test_after_a_sign_up_the_first_alert_to_that_address_still_shows_its_links(tmp_path: Path) -> None:
    from frontwire.demo.parts import Demo

    said: list[str] = []
    demo = Demo(said.append, mail_dir=tmp_path / "mail")
    confirm = over_smtp(confirm_mail())
    del confirm["To"]
    confirm["To"] = "analyst@example.org"
    for msg in (confirm, over_smtp(alert_mail("First")), over_smtp(alert_mail("Second"))):
        demo._on_mail(msg)
    text = "\n".join(said)
    assert text.count("confirm the sign-up:") == 1
    assert text.count("manage this subscription:") == 1  # the first alert, not the second
    assert said[-1].endswith("[frontwire] civilian_harm: Second")
    assert sorted(p.name for p in (tmp_path / "mail").iterdir()) == [
        "001-confirm-your-alerts.eml", "002-civilian-harm-first.eml", "003-civilian-harm-second.eml"]
