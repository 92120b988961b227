"""Email channel: one message per alert over SMTP (plain, STARTTLS or implicit TLS).

The SMTP server is given as a URL:

- ``smtp://host:port``                    plain (a local relay, the demo mailbox)
- ``smtp+starttls://user:pass@host:port`` STARTTLS required, then AUTH
- ``smtps://user:pass@host:port``         implicit TLS (port 465)

A connection per message keeps the adapter stateless; alert volume per
subscriber is low and digests batch the rest.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import aiosmtplib

from schemas.models import Alert, Subscription
from services.notify.channels.base import Secrets, SendResult
from services.notify.channels.email_message import build_message, smtp_bytes
from services.notify.tokens import manage_token, unsubscribe_token

__all__ = ["EmailNotifier", "SmtpSettings", "build_message", "parse_smtp_url"]

_SCHEMES = {"smtp": (25, False, False), "smtp+starttls": (587, False, True), "smtps": (465, True, False)}


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    use_tls: bool
    start_tls: bool
    username: str | None = None
    password: str | None = None


def parse_smtp_url(url: str) -> SmtpSettings:
    """Read an smtp://, smtp+starttls:// or smtps:// URL; ValueError names what is wrong."""
    parts = urlsplit(url)
    if parts.scheme not in _SCHEMES:
        raise ValueError(f"SMTP URL must start with smtp://, smtp+starttls:// or smtps://: {url!r}")
    if not parts.hostname:
        raise ValueError(f"SMTP URL has no host: {url!r}")
    default_port, use_tls, start_tls = _SCHEMES[parts.scheme]
    return SmtpSettings(host=parts.hostname, port=parts.port or default_port, use_tls=use_tls,
                        start_tls=start_tls,
                        username=unquote(parts.username) if parts.username else None,
                        password=unquote(parts.password) if parts.password is not None else None)


def _smtp_failure(code: int, message: str) -> SendResult:
    # 4xx replies are transient by definition (RFC 5321 §4.2.1); 5xx will not change on retry.
    return SendResult(ok=False, retryable=400 <= code < 500, status_code=code,
                      error=f"SMTP {code}: {message}", response=f"{code} {message}"[:512])


class EmailNotifier:
    """Sends alerts as email. ``secret`` is ignored: email is not signed per subscriber."""

    channel = "email"

    def __init__(self, smtp_url: str, mail_from: str, public_url: str, token_key: bytes,
                 *, timeout: float = 30.0, validate_certs: bool = True) -> None:
        self._smtp = parse_smtp_url(smtp_url)
        self._mail_from = mail_from
        self._public_url = public_url.rstrip("/")
        self._token_key = token_key
        self._timeout = timeout
        self._validate_certs = validate_certs

    def unsubscribe_url(self, subscription_id: str) -> str:
        token = unsubscribe_token(subscription_id, self._token_key)
        return f"{self._public_url}/v1/unsubscribe/{token}"

    def manage_url(self, subscription_id: str) -> str:
        return f"{self._public_url}/manage/{manage_token(subscription_id, self._token_key)}"

    def message(self, alert: Alert, subscription: Subscription) -> EmailMessage:
        return build_message(alert, subscription, mail_from=self._mail_from,
                             unsubscribe_url=self.unsubscribe_url(subscription.id),
                             manage_url=self.manage_url(subscription.id))

    async def send(self, alert: Alert, subscription: Subscription, *, secret: Secrets) -> SendResult:
        try:
            msg = self.message(alert, subscription)
        except ValueError as exc:  # no or invalid address: the same on every attempt
            return SendResult(ok=False, retryable=False, error=f"cannot build email: {exc}",
                              error_class="config")
        return await self.send_message(msg)

    async def send_message(self, msg: EmailMessage) -> SendResult:
        """Send a built message to its To address once (alerts, and notices to owners)."""
        recipient = msg["To"].addresses[0].addr_spec
        started = time.perf_counter()
        s = self._smtp
        try:
            # Our own bytes (raw headers as written) and explicit recipients: never let
            # aiosmtplib refold the headers or derive the recipients from them.
            await aiosmtplib.send(
                smtp_bytes(msg), sender=self._mail_from, recipients=[recipient], hostname=s.host,
                port=s.port, username=s.username, password=s.password, use_tls=s.use_tls,
                start_tls=s.start_tls, validate_certs=self._validate_certs, timeout=self._timeout)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            refused = exc.recipients[0]
            return _with_latency(_smtp_failure(refused.code, refused.message), started)
        except aiosmtplib.SMTPResponseException as exc:
            return _with_latency(_smtp_failure(exc.code, exc.message), started)
        except (aiosmtplib.SMTPException, OSError) as exc:
            # Connection refused/reset, timeouts, TLS trouble: the server may be back later.
            detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            kind = "timeout" if isinstance(exc, TimeoutError | aiosmtplib.SMTPTimeoutError) \
                else "connection"
            return _with_latency(SendResult(ok=False, retryable=True, error=detail,
                                            error_class=kind), started)
        return SendResult(ok=True, retryable=False, status_code=250,
                          latency_s=time.perf_counter() - started)

    async def aclose(self) -> None:
        """Nothing to release: every send opens and closes its own connection."""


def _with_latency(result: SendResult, started: float) -> SendResult:
    return replace(result, latency_s=time.perf_counter() - started)
