"""The double opt-in email, built purely and sent from the API process over SMTP."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid

import aiosmtplib

from schemas.models import Subscription
from services.notify.channels.email import parse_smtp_url
from services.notify.channels.email_message import header_safe


class MailError(Exception):
    """The confirmation email could not be handed to the SMTP server."""


def confirmation_message(sub: Subscription, *, mail_from: str, confirm_url: str,
                         valid_days: int) -> EmailMessage:
    assert sub.email is not None
    labels = ", ".join(lb.value for lb in sub.labels)
    msg = EmailMessage()
    msg["Subject"] = "[frontwire] Confirm your alerts"
    msg["From"] = header_safe(mail_from)
    msg["To"] = Address(addr_spec=header_safe(sub.email.address))
    msg["Message-ID"] = make_msgid(domain="frontwire")
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(
        f"Someone (hopefully you) asked frontwire to send alerts about {labels} to this address.\n\n"
        f"To start them, open this link and press Confirm:\n{confirm_url}\n\n"
        f"The link works for {valid_days} days. If you did not ask for this, ignore this email: "
        "nothing will be sent to you.\n")
    msg.add_alternative(
        "<!doctype html><html><body>"
        f"<p>Someone (hopefully you) asked frontwire to send alerts about <b>{_e(labels)}</b> "
        "to this address.</p>"
        f'<p><a href="{_e(confirm_url)}">Confirm your alerts</a></p>'
        f"<p>The link works for {valid_days} days. If you did not ask for this, ignore this email: "
        "nothing will be sent to you.</p></body></html>", subtype="html")
    return msg


def _e(text: str) -> str:
    import html

    return html.escape(text)


async def send(msg: EmailMessage, *, smtp_url: str, mail_from: str, timeout: float = 10.0) -> None:
    s = parse_smtp_url(smtp_url)
    recipient = msg["To"].addresses[0].addr_spec
    try:
        await aiosmtplib.send(msg, sender=mail_from, recipients=[recipient], hostname=s.host,
                              port=s.port, username=s.username, password=s.password,
                              use_tls=s.use_tls, start_tls=s.start_tls, timeout=timeout)
    except (aiosmtplib.SMTPException, OSError) as exc:
        raise MailError(f"{type(exc).__name__}: {exc}") from exc
