"""What the demo shows of each mail its mailbox receives, and where it keeps them.

Every mail is saved as an ``.eml`` file (open it in any mail program, or read it as
text) and summed up on one line: recipient and subject. A confirmation mail (the
console's double opt-in) also gets its confirm link printed, and the first alert mail
to each address its manage and unsubscribe links, so a sign-up can be completed and
managed from the terminal. Pure functions apart from :func:`save`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

_URL = re.compile(r"https?://[^\s<>\"']+")
_KINDS = (("confirm", "/confirm/"), ("manage", "/manage/"), ("unsubscribe", "/unsubscribe/"))


@dataclass(frozen=True)
class MailLinks:
    confirm: str | None = None
    manage: str | None = None
    unsubscribe: str | None = None


def subject(msg: EmailMessage) -> str:
    """The subject on one line with single spaces.

    Python's email parser keeps the space that starts a folded line: a subject that
    was folded right after ``Subject:`` (as the SMTP policy does with a long one that
    has no room on the first line) would otherwise come back with a leading space.
    """
    return " ".join(str(msg.get("Subject", "")).split())


def text_of(msg: EmailMessage) -> str:
    """The plain-text body ('' if the mail has none)."""
    part = msg.get_body(preferencelist=("plain",))
    if not isinstance(part, EmailMessage):
        return ""
    content = part.get_content()
    return content if isinstance(content, str) else ""


def links(msg: EmailMessage) -> MailLinks:
    """The confirm, manage and unsubscribe links of a frontwire mail."""
    found: dict[str, str] = {}
    candidates = _URL.findall(text_of(msg)) + _URL.findall(str(msg.get("List-Unsubscribe", "")))
    for url in candidates:
        url = url.rstrip(".,;)>")
        for kind, marker in _KINDS:
            if marker in url:
                found.setdefault(kind, url)
    return MailLinks(**found)


def file_name(number: int, msg: EmailMessage) -> str:
    """``007-confirm-your-alerts.eml``: numbered in arrival order, named after the subject."""
    words = re.sub(r"[^a-z0-9]+", "-", subject(msg).lower().replace("[frontwire]", "")).strip("-")
    return f"{number:03d}-{words[:50].rstrip('-') or 'mail'}.eml"


def save(msg: EmailMessage, directory: Path, number: int) -> Path:
    """Write msg as an .eml file in directory; return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / file_name(number, msg)
    path.write_bytes(msg.as_bytes())
    return path


def describe(msg: EmailMessage, saved: Path | None, first_to_address: bool) -> list[str]:
    """The lines the demo prints for msg: recipient and subject, then the links that matter."""
    lines = [f"to {msg.get('To')}: {subject(msg)}"]
    found = links(msg)
    if found.confirm:
        lines.append(f"  confirm the sign-up: {found.confirm}")
        if saved is not None:
            lines.append(f"  (the whole mail: {saved})")
    elif first_to_address and (found.manage or found.unsubscribe):
        if found.manage:
            lines.append(f"  manage this subscription: {found.manage}")
        if found.unsubscribe:
            lines.append(f"  unsubscribe: {found.unsubscribe}")
    return lines
