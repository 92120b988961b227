"""A real SMTP server (aiosmtpd) keeping every message it receives: the demo's inbox and the tests'.

    with Mailbox() as mailbox:
        ... send to mailbox.url (smtp://127.0.0.1:<port>) ...
        await mailbox.wait_for(1)
        msg = mailbox.messages[0]          # email.message.EmailMessage

``Mailbox(credentials=("user", "pass"))`` requires AUTH (over plain text, which
is fine on loopback). ``reject_rcpt("550 5.1.1 No such user")`` makes it refuse
recipients with that reply, to test how the client classifies SMTP errors.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from frontwire.broker import free_port  # aiosmtpd cannot bind port 0 itself

__all__ = ["Mailbox", "free_port"]



@dataclass
class Mailbox:
    host: str = "127.0.0.1"
    credentials: tuple[str, str] | None = None
    on_receive: Callable[[EmailMessage], None] | None = None
    messages: list[EmailMessage] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)  # each message's bytes as they arrived
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)  # (MAIL FROM, RCPT TOs)
    logins: list[str] = field(default_factory=list)
    port: int = 0
    _rcpt_reply: str | None = None
    _controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    def reject_rcpt(self, reply: str | None) -> None:
        """Answer RCPT TO with ``reply`` (e.g. "451 4.3.0 Try later"); None accepts again."""
        self._rcpt_reply = reply

    # aiosmtpd handler hooks, called on the controller's thread.
    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,  # noqa: N802
                          address: str, rcpt_options: list[str]) -> str:
        if self._rcpt_reply is not None:
            return self._rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content
        assert isinstance(raw, bytes)
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        self.envelopes.append((str(envelope.mail_from), list(envelope.rcpt_tos)))
        self.raw.append(raw)
        self.messages.append(msg)
        if self.on_receive is not None:
            self.on_receive(msg)
        return "250 Message accepted for delivery"

    def _authenticate(self, server: SMTP, session: Session, envelope: Envelope,
                      mechanism: str, auth_data: Any) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword) and self.credentials is not None
              and (auth_data.login.decode(), auth_data.password.decode()) == self.credentials)
        if ok:
            self.logins.append(auth_data.login.decode())
        # handled=False: let aiosmtpd send the 535 reply itself.
        return AuthResult(success=ok, handled=False)

    def start(self) -> Mailbox:
        return self.__enter__()

    def stop(self) -> None:
        self.__exit__(None, None, None)

    def __enter__(self) -> Mailbox:
        self.port = self.port or free_port(self.host)
        kwargs: dict[str, Any] = {}
        if self.credentials is not None:
            kwargs = dict(authenticator=self._authenticate, auth_required=True,
                          auth_require_tls=False)
        self._controller = Controller(self, hostname=self.host, port=self.port, **kwargs)
        self._controller.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._controller is not None:
            self._controller.stop()

    async def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        """Poll (without blocking the loop) until ``count`` messages arrived."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"mailbox got {len(self.messages)} of {count} in {timeout}s")
            await asyncio.sleep(0.01)
        return self.messages

    def wait_for_blocking(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        """As ``wait_for``, for sync tests whose sender runs elsewhere."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"mailbox got {len(self.messages)} of {count} in {timeout}s")
            time.sleep(0.01)
        return self.messages
