"""The demo as ``frontwire run --demo`` runs it: its local parts, its subscriptions, its console lines.

It serves the sample blogs, a webhook receiver that verifies every signature and a
mailbox that keeps every mail as an ``.eml`` file; subscribes both to every label;
prints each alert as it arrives; and says at start how to use the API and the console
with the demo's key.
"""

from __future__ import annotations

import shlex
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx

from frontwire.demo import inbox

LABELS = ["escalation", "aid", "prisoner_exchange", "civilian_harm"]


def bold(text: str) -> str:
    return f"\x1b[1m{text}\x1b[0m" if sys.stdout.isatty() else text


@dataclass
class Demo:
    """The demo's local parts: sample blogs, a verifying webhook receiver, a mailbox."""

    say: Callable[[str], None]
    mail_dir: Path | None = None
    parts: list[Any] = field(default_factory=list)
    site: Any = None
    receiver: Any = None
    mailbox: Any = None
    _mails: int = 0
    _addresses: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, data_dir: Path) -> dict[str, str]:
        """Start the parts; return the settings the services need to use them."""
        from frontwire.demo.catalog import sources_toml
        from frontwire.demo.mailbox import Mailbox
        from frontwire.demo.receiver import WebhookReceiver
        from frontwire.demo.site import DemoSite

        self.mail_dir = self.mail_dir or data_dir / "mail"
        self.site = DemoSite(port=0)
        self.site.start()
        self.receiver = WebhookReceiver(on_receive=self._on_webhook).start()
        self.mailbox = Mailbox(on_receive=self._on_mail).start()
        self.parts = [self.site, self.receiver, self.mailbox]
        sources = data_dir / "demo-sources.toml"
        sources.write_text(sources_toml(self.site, interval=1.0))
        self.say(f"demo  | live blogs at {self.site.url}, webhook receiver at {self.receiver.base_url}, "
                 f"mailbox at {self.mailbox.url} (every mail saved in {self.mail_dir}/)")
        return {"FRONTWIRE_SOURCES_FILE": str(sources), "FRONTWIRE_SMTP_URL": self.mailbox.url,
                "FRONTWIRE_WEBHOOK_ALLOW_NETWORKS": "127.0.0.0/8"}

    def subscribe(self, api: str, key: str) -> None:
        """Subscribe the receiver and the mailbox to every label (httpx.HTTPError if refused)."""
        headers = {"Authorization": f"Bearer {key}"}
        hook = httpx.post(f"{api}/v1/subscriptions", headers=headers, timeout=10, json={
            "name": "demo webhook", "labels": LABELS, "min_score": 0.5,
            "webhook": {"url": f"{self.receiver.base_url}/hooks/demo"}})
        hook.raise_for_status()
        self.receiver.add_secret("/hooks/demo", hook.json()["secret"])
        mail = httpx.post(f"{api}/v1/subscriptions", headers=headers, timeout=10, json={
            "name": "demo mailbox", "labels": LABELS, "min_score": 0.5,
            "email": {"address": "analyst@example.org"}})
        mail.raise_for_status()
        self.say(f"demo  | subscribed {hook.json()['id']} (webhook) and {mail.json()['id']} "
                 "(email) to every label")

    def welcome(self, api: str, key: str | None) -> None:
        """How to use the API and the console: key given only when the demo made it."""
        for line in welcome_lines(api, key):
            self.say(f"demo  | {line}")

    def _on_webhook(self, item: Any) -> None:
        alert = item.payload.get("data", {})
        classified = alert.get("classified", {})
        update = classified.get("update", {})
        scores = classified.get("scores", {})
        labels = ", ".join(f"{lb} {scores.get(lb, 0):.2f}" for lb in alert.get("matched_labels", []))
        self.say(f"{bold('webhook')} | signature OK  id={item.headers.get('webhook-id')}  [{labels}]  "
                 f"{update.get('headline') or update.get('body', '')[:70]}  ({update.get('source')})")

    def _on_mail(self, msg: EmailMessage) -> None:
        alert = inbox.links(msg).confirm is None  # a confirmation mail is not an alert
        with self._lock:  # the mailbox may call from several sessions at once
            self._mails += 1
            number = self._mails
            address = str(msg.get("To", ""))
            first = alert and address not in self._addresses
            if alert:
                self._addresses.add(address)
        saved = inbox.save(msg, self.mail_dir, number) if self.mail_dir else None
        first_line, *more = inbox.describe(msg, saved, first)
        self.say(f"{bold('   email')} | {first_line}")
        for line in more:
            self.say(f"{'':>8} | {line}")

    def stop(self) -> None:
        for part in reversed(self.parts):
            part.stop()


def welcome_lines(api: str, key: str | None) -> list[str]:
    """The lines printed once the demo's API is up; ``key`` None: the user's own key."""
    shown = key if key is not None else "$FRONTWIRE_API_KEY"
    header = shlex.quote(f"Authorization: Bearer {key}") if key else \
        '"Authorization: Bearer $FRONTWIRE_API_KEY"'
    whose = ("made for this demo run: a new one each run; set FRONTWIRE_API_KEY to choose it"
             if key is not None else "yours, from FRONTWIRE_API_KEY")
    return [
        f"API key: {shown}  ({whose})",
        f"try it:  curl -s -H {header} {api}/v1/subscriptions",
        f"console: {api}/  (live feed; email sign-up at {api}/subscribe, "
        "its confirmation mail appears below)",
        f"sign in: {api}/keys with the API key above, to see deliveries and add webhooks",
    ]
