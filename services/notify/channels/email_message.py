"""The alert email, built as a pure function of the alert (no SMTP, no clock).

Text and HTML alternatives with the same content: headline, the update's text,
the evidence that drove each label, the extracted facts, corroborating reports
and the link. Every header value is stripped of CR/LF so nothing in a headline
or an address can inject a header.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from email.generator import BytesGenerator
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP, default
from email.utils import format_datetime
from urllib.parse import quote

from schemas.models import Alert, Count, Facts, Subscription

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_MSGID_SAFE = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+")
# Headers stored raw (set_raw) go out as written; the others fold as usual. Mail clients
# look for a plain "<https://…>" in List-Unsubscribe (RFC 2369, RFC 8058): the stock
# policy folds a long one through a charset into an RFC 2047 encoded word, which hides
# the one-click button.
_AS_WRITTEN = default.clone(refold_source="none")
_WIRE = SMTP.clone(refold_source="none")


def smtp_bytes(msg: EmailMessage) -> bytes:
    """The message as it goes over SMTP: CRLF line ends, raw headers as written."""
    out = io.BytesIO()
    BytesGenerator(out, policy=_WIRE).flatten(msg)
    return out.getvalue()


def list_unsubscribe(url: str) -> str:
    """``<url>`` in plain ASCII (a non-ASCII character percent-encoded), one line."""
    return "<" + quote(header_safe(url, 900), safe=":/?#[]@!$&'()*+,;=%~") + ">"


def header_safe(value: str, limit: int = 200) -> str:
    """One line, no control characters, bounded: safe as a header value."""
    flat = " ".join(_CONTROL.sub(" ", value).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def message_id(alert_id: str) -> str:
    """``<alert-id@frontwire>``: stable, so a resent alert is the same message."""
    # Ids with characters a msg-id cannot carry are hashed (still stable) rather than mangled.
    local = alert_id if _MSGID_SAFE.fullmatch(alert_id) else hashlib.sha256(alert_id.encode()).hexdigest()
    return f"<{local}@frontwire>"


def headline_of(alert: Alert) -> str:
    """The update's headline, else its first non-empty line."""
    update = alert.classified.update
    return update.headline or next((ln for ln in update.body.splitlines() if ln.strip()), update.id)


def _count(name: str, count: Count | None) -> list[str]:
    if count is None:
        return []
    qualifier = f"{count.qualifier} " if count.qualifier else ""
    return [f"{name}: {qualifier}{count.value} ({count.text})"]


def fact_lines(facts: Facts) -> list[str]:
    """The extracted facts as short human lines, in a fixed order."""
    lines = [*_count("Killed", facts.killed), *_count("Injured", facts.injured),
             *_count("Prisoners exchanged", facts.prisoners_exchanged),
             *_count("Bodies repatriated", facts.bodies_repatriated),
             *_count("Displaced", facts.displaced)]
    lines += [f"Aid: {m.amount:,.0f} {m.currency} ({m.text})" for m in facts.aid_amounts]
    if facts.places:
        lines.append("Places: " + ", ".join(facts.places))
    return lines


def web_link(url: str | None) -> str | None:
    # Only web links: a javascript: or data: URL from a scraped page must not become clickable.
    return url if url and url.lower().startswith(("http://", "https://")) else None


def build_message(alert: Alert, subscription: Subscription, *, mail_from: str,
                  unsubscribe_url: str, manage_url: str | None = None) -> EmailMessage:
    """The email for ``alert``; raises ``ValueError`` if the recipient address is invalid.

    ``manage_url`` (the console's page to edit, pause or stop this subscription) is
    linked in the footer when given.
    """
    if subscription.email is None:
        raise ValueError(f"subscription {subscription.id} has no email target")
    update, classified = alert.classified.update, alert.classified
    headline = headline_of(alert)
    labels = ", ".join(label.value for label in alert.matched_labels) or "alert"
    kind = {"update": " (updated)", "test": " (test)"}.get(alert.kind, "")
    msg = EmailMessage(policy=_AS_WRITTEN)
    if alert.kind == "digest":
        n = len(alert.digest)
        msg["Subject"] = header_safe(f"[frontwire] digest: {n} {'story' if n == 1 else 'stories'} "
                                     f"({labels})", 250)
    else:
        msg["Subject"] = header_safe(f"[frontwire] {labels}{kind}: {headline}", 250)
    msg["From"] = header_safe(mail_from)
    # Address() parses the addr-spec strictly: "a@x, b@y" or "a@x\nBcc: c@z" is rejected.
    msg["To"] = Address(addr_spec=header_safe(subscription.email.address))
    msg["Date"] = format_datetime(alert.created_at)
    msg["Message-ID"] = message_id(alert.id)
    msg.set_raw("List-Unsubscribe", list_unsubscribe(unsubscribe_url))
    msg.set_raw("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to us
    msg["X-Frontwire-Alert-Id"] = header_safe(alert.id)

    evidence = [(label.value, span.text) for label in alert.matched_labels
                for span in classified.evidence.get(label, [])]
    facts = fact_lines(classified.facts)
    link = web_link(update.url) or web_link(update.page_url)
    meta = (f"Severity: {classified.severity.value} · Source: {update.source} · "
            f"First seen: {update.first_seen_at:%Y-%m-%d %H:%M} UTC")
    others = [(c.source, c.headline or c.update_id, web_link(c.url)) for c in alert.corroboration]

    if alert.kind == "digest":
        _digest_body(msg, alert, subscription, unsubscribe_url, manage_url)
        return msg
    text = [headline, "", update.body, ""]
    if alert.changes:
        text += ["What changed: " + "; ".join(alert.changes), ""]
    if evidence:
        text += ["Why it matched:", *[f"  {lab}: > {quote}" for lab, quote in evidence], ""]
    if facts:
        text += ["Facts:", *[f"  {line}" for line in facts], ""]
    if others:
        text += ["Also reported by:", *[f"  {s}: {h}" + (f" <{u}>" if u else "") for s, h, u in others], ""]
    if link:
        text += [f"Read more: {link}", ""]
    text += [meta, "", "-- ", f'You receive this for the subscription "{subscription.name}".',
             *([f"Manage this subscription: {manage_url}"] if manage_url else []),
             f"Unsubscribe: {unsubscribe_url}"]
    msg.set_content("\n".join(text))

    e = html.escape
    parts = [f"<h2>{e(headline)}</h2>", *[f"<p>{e(p)}</p>" for p in update.body.splitlines() if p.strip()]]
    if alert.changes:
        parts.append(f"<p><strong>What changed:</strong> {e('; '.join(alert.changes))}</p>")
    if evidence:
        parts += ["<h3>Why it matched</h3>",
                  *[f"<p><strong>{e(lab)}</strong></p><blockquote>{e(q)}</blockquote>" for lab, q in evidence]]
    if facts:
        parts += ["<h3>Facts</h3><ul>", *[f"<li>{e(line)}</li>" for line in facts], "</ul>"]
    if others:
        parts += ["<h3>Also reported by</h3><ul>"]
        parts += [f"<li>{e(s)}: " + (f'<a href="{e(u)}">{e(h)}</a>' if u else e(h)) + "</li>"
                  for s, h, u in others]
        parts += ["</ul>"]
    if link:
        parts.append(f'<p><a href="{e(link)}">Read more</a></p>')
    parts += [f"<p><small>{e(meta)}</small></p>",
              f'<hr><p><small>You receive this for the subscription "{e(subscription.name)}". '
              + (f'<a href="{e(manage_url)}">Manage</a> · ' if manage_url else "")
              + f'<a href="{e(unsubscribe_url)}">Unsubscribe</a></small></p>']
    msg.add_alternative("<!doctype html><html><body>" + "\n".join(parts) + "</body></html>",
                        subtype="html")
    return msg


def _digest_body(msg: EmailMessage, alert: Alert, subscription: Subscription, unsubscribe_url: str,
                 manage_url: str | None = None) -> None:
    """A digest: one short entry per story, newest last, with the evidence that matched."""
    e = html.escape
    text = [f"{len(alert.digest)} stories since the last digest for \"{subscription.name}\":", ""]
    parts = [f"<h2>{e(text[0])}</h2>"]
    for item in alert.digest:
        head = headline_of(item)
        labels = ", ".join(lb.value for lb in item.matched_labels)
        quote = next((sp.text for lb in item.matched_labels
                      for sp in item.classified.evidence.get(lb, [])), "")
        link = web_link(item.classified.update.url) or web_link(item.classified.update.page_url)
        more = f" (+{len(item.corroboration)} more sources)" if item.corroboration else ""
        text += [f"* {head} [{labels}] ({item.classified.update.source}{more})"]
        text += [f"  > {quote}"] if quote else []
        text += [f"  {link}"] if link else []
        parts.append(f"<h3>{e(head)}</h3><p>{e(labels)} · {e(item.classified.update.source)}{e(more)}</p>"
                     + (f"<blockquote>{e(quote)}</blockquote>" if quote else "")
                     + (f'<p><a href="{e(link)}">Read more</a></p>' if link else ""))
    text += ["", "-- ", *([f"Manage this subscription: {manage_url}"] if manage_url else []),
             f"Unsubscribe: {unsubscribe_url}"]
    manage = f'<a href="{e(manage_url)}">Manage</a> · ' if manage_url else ""
    parts.append(f'<hr><p><small>{manage}<a href="{e(unsubscribe_url)}">Unsubscribe</a></small></p>')
    msg.set_content("\n".join(text))
    msg.add_alternative("<!doctype html><html><body>" + "\n".join(parts) + "</body></html>",
                        subtype="html")
