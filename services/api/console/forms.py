"""The console's forms, read and checked as pure functions: form fields in, values or errors out.

Errors are keyed by field name and written for people ("Enter an email address
like name@example.org"), not as validation tracebacks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from pydantic import ValidationError

from schemas.models import LABELS, Label
from services.api.bodies import EmailIn

Form = Mapping[str, Sequence[str]]
MAX_FORM_BYTES = 20_000
DIGEST_CHOICES = (15, 60, 240, 1440)
LABEL_HELP = {
    Label.ESCALATION: "attacks, offensives, new weapons or fronts",
    Label.AID: "humanitarian or military aid pledged or delivered",
    Label.PRISONER_EXCHANGE: "prisoner swaps and returned bodies",
    Label.CIVILIAN_HARM: "civilians killed, injured or displaced",
}


def parse(body: bytes) -> dict[str, list[str]]:
    """An application/x-www-form-urlencoded body (the only kind the console's forms send)."""
    return parse_qs(body[:MAX_FORM_BYTES].decode("utf-8", "replace"), keep_blank_values=True)


def first(form: Form, name: str) -> str:
    values = form.get(name) or [""]
    return values[0].strip()


@dataclass
class Filters:
    """What an alert form selects, shared by the email, webhook and manage forms."""

    labels: list[Label] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    mode: Literal["immediate", "digest"] = "immediate"
    digest_minutes: int = 60

    def spec(self) -> dict[str, Any]:
        return {"labels": self.labels, "keywords": self.keywords, "places": self.places,
                "mode": self.mode, "digest_minutes": self.digest_minutes}


@dataclass
class Checked:
    values: dict[str, Any]
    errors: dict[str, str]


def _phrases(text: str, what: str, errors: dict[str, str], name: str) -> list[str]:
    items = [p.strip() for p in text.replace("\n", ",").split(",") if p.strip()]
    if len(items) > 50:
        errors[name] = f"At most 50 {what}, separated by commas."
    elif any(len(p) > 100 for p in items):
        errors[name] = f"Each of the {what} must be at most 100 characters."
    return items


def filters(form: Form, errors: dict[str, str]) -> Filters:
    out = Filters()
    known = {lb.value for lb in LABELS}
    chosen = [v.strip() for v in form.get("labels", []) if v.strip()]
    unknown = [v for v in chosen if v not in known]
    if unknown:
        errors["labels"] = (f"Unknown label {unknown[0]!r}: choose from "
                            + ", ".join(lb.value for lb in LABELS) + ".")
    elif not chosen:
        errors["labels"] = "Choose at least one label."
    out.labels = [Label(v) for v in dict.fromkeys(chosen) if v in known]
    out.keywords = _phrases(first(form, "keywords"), "keywords", errors, "keywords")
    out.places = _phrases(first(form, "places"), "places", errors, "places")
    mode = first(form, "mode") or "immediate"
    if mode not in ("immediate", "digest"):
        errors["mode"] = "Choose immediate alerts or a digest."
    else:
        out.mode = mode  # type: ignore[assignment]
    minutes = first(form, "digest_minutes") or "60"
    if not minutes.isdigit() or int(minutes) not in DIGEST_CHOICES:
        errors["digest_minutes"] = "Choose how often the digest comes."
    else:
        out.digest_minutes = int(minutes)
    return out


def subscription_name(form: Form, chosen: Filters, errors: dict[str, str], default: str) -> str:
    """The name given, else one made of the default and the labels chosen."""
    name = first(form, "name") or f"{default}: " + ", ".join(lb.value for lb in chosen.labels)
    if len(name) > 200:
        errors["name"] = "The name must be at most 200 characters."
    return name[:200] or default


def email_signup(form: Form) -> Checked:
    """The public sign-up form: address, filters, optional name."""
    errors: dict[str, str] = {}
    address = first(form, "address")
    if not address:
        errors["address"] = "Enter the email address the alerts should go to."
    else:
        try:
            address = str(EmailIn(address=address).address)
        except ValidationError:
            errors["address"] = f"{address!r} is not a valid email address; write it like name@example.org."
    chosen = filters(form, errors)
    name = subscription_name(form, chosen, errors, "Email alerts")
    return Checked({"address": address, "name": name, **chosen.spec()}, errors)


def webhook_signup(form: Form) -> Checked:
    """The key holders' webhook form: URL, filters, optional name (the URL is guarded later)."""
    errors: dict[str, str] = {}
    url = first(form, "url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2000:
        errors["url"] = "Enter the http:// or https:// URL that should receive the alerts."
    chosen = filters(form, errors)
    name = subscription_name(form, chosen, errors, "Webhook")
    return Checked({"url": url, "name": name, **chosen.spec()}, errors)


def manage(form: Form) -> Checked:
    """The manage page's edit form: filters only (the address stays what was confirmed)."""
    errors: dict[str, str] = {}
    return Checked(filters(form, errors).spec(), errors)
