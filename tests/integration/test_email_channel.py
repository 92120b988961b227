"""Email channel against a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import pytest

from frontwire.demo.mailbox import Mailbox, free_port
from services.notify.channels.email import EmailNotifier
from services.notify.tokens import verify_unsubscribe_token
from tests.helpers.notify_factories import make_alert, make_subscription

pytestmark = [pytest.mark.integration,
              pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")]

KEY = b"unsubscribe-key-for-tests-000000"
FROM = "frontwire <alerts@frontwire.test>"


def notifier(url: str) -> EmailNotifier:
    return EmailNotifier(url, FROM, "https://frontwire.test/", KEY, timeout=5.0)


async def test_delivers_a_complete_alert_email() -> None:
    alert = make_alert(channel="email")
    with Mailbox() as mailbox:
        result = await notifier(mailbox.url).send(alert, make_subscription(address="ana@example.org"),
                                                  secret=None)
        assert result.ok and result.status_code == 250
        (msg,) = await mailbox.wait_for(1)
    assert mailbox.envelopes == [("alerts@frontwire.test", ["ana@example.org"])]
    assert msg["To"] == "ana@example.org" and msg["From"] == FROM
    assert msg["Subject"] == "[frontwire] civilian_harm: Four civilians killed in strike on Kharkiv"
    assert msg["Message-ID"] == f"<{alert.id}@frontwire>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = str(msg["List-Unsubscribe"]).strip()  # long: folded onto its own line
    prefix = "<https://frontwire.test/v1/unsubscribe/"
    assert unsubscribe.startswith(prefix) and unsubscribe.endswith(">")
    assert verify_unsubscribe_token(unsubscribe[len(prefix):-1], KEY) == "sub-1"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "Four civilians were killed" in text and "Killed: 4" in text
    assert "<blockquote>Four civilians were killed</blockquote>" in html


async def test_unsubscribe_headers_are_plain_ascii_lines_in_the_raw_message() -> None:
    """What a mail client reads (RFC 2369, RFC 8058): no encoded word, no folding inside <…>."""
    long_base = "https://alerts.frontwire.example.org/a-rather-long-path-prefix-for-the-proxy"
    with Mailbox() as mailbox:
        n = EmailNotifier(mailbox.url, FROM, long_base, KEY, timeout=5.0)
        sub = make_subscription(id="sub_" + "9" * 20, address="ana@example.org")
        assert (await n.send(make_alert(channel="email"), sub, secret=None)).ok
        await mailbox.wait_for(1)
    raw = mailbox.raw[0]
    head = raw.split(b"\r\n\r\n", 1)[0]
    lines = head.split(b"\r\n")
    (unsubscribe,) = [ln for ln in lines if ln.lower().startswith(b"list-unsubscribe:")]
    assert unsubscribe == b"List-Unsubscribe: <" + n.unsubscribe_url(sub.id).encode() + b">"
    assert len(unsubscribe) > 78 and b"=?" not in head
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in lines


async def test_resending_an_alert_keeps_its_message_id() -> None:
    alert, sub = make_alert(channel="email"), make_subscription(address="ana@example.org")
    with Mailbox() as mailbox:
        n = notifier(mailbox.url)
        assert (await n.send(alert, sub, secret=None)).ok
        assert (await n.send(alert, sub, secret=None)).ok
        first, second = await mailbox.wait_for(2)
    assert first["Message-ID"] == second["Message-ID"]


async def test_authenticates_with_the_url_credentials() -> None:
    with Mailbox(credentials=("fw user", "p@ss:word")) as mailbox:
        url = f"smtp://fw%20user:p%40ss%3Aword@127.0.0.1:{mailbox.port}"
        result = await notifier(url).send(make_alert(), make_subscription(address="a@example.org"),
                                          secret=None)
        assert result.ok
        await mailbox.wait_for(1)
    assert mailbox.logins == ["fw user"]


async def test_wrong_password_is_a_permanent_5xx() -> None:
    with Mailbox(credentials=("u", "right")) as mailbox:
        url = f"smtp://u:wrong@127.0.0.1:{mailbox.port}"
        result = await notifier(url).send(make_alert(), make_subscription(address="a@example.org"),
                                          secret=None)
    assert not result.ok and not result.retryable and result.status_code == 535
    assert mailbox.messages == []


async def test_smtp_down_is_retryable() -> None:
    result = await notifier(f"smtp://127.0.0.1:{free_port()}").send(
        make_alert(), make_subscription(address="a@example.org"), secret=None)
    assert not result.ok and result.retryable and result.error


@pytest.mark.parametrize(("reply", "retryable"), [("451 4.3.0 Try again later", True),
                                                  ("550 5.1.1 No such user", False)])
async def test_4xx_replies_retry_and_5xx_replies_fail(reply: str, retryable: bool) -> None:
    with Mailbox() as mailbox:
        mailbox.reject_rcpt(reply)
        result = await notifier(mailbox.url).send(
            make_alert(), make_subscription(address="nobody@example.org"), secret=None)
    assert not result.ok and result.retryable is retryable
    assert result.status_code == int(reply[:3]) and reply[4:] in (result.error or "")
    assert mailbox.messages == []


async def test_an_invalid_address_is_permanent_without_connecting() -> None:
    result = await notifier(f"smtp://127.0.0.1:{free_port()}").send(
        make_alert(), make_subscription(address="a@example.org, b@example.org"), secret=None)
    assert not result.ok and not result.retryable and "cannot build email" in (result.error or "")
