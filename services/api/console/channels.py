"""Key holders' forms for chat and push subscriptions: Slack, Teams, Discord, Telegram, ntfy.

A form is checked with the API's own request models (``services.api.targets``) and
the SSRF guard, so the console and the API refuse the same things. The credential
goes to the store; the pages show it masked. After creating, the holder lands on
the subscription's page, with its test-delivery button and delivery log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from schemas.models import Subscription
from services.api.bodies import EmailIn
from services.api.console import forms
from services.api.console.web import Console
from services.api.targets import ChatWebhookIn, NtfyIn, TelegramIn, placed
from services.notify.guard import BlockedTarget, NetworkGuard
from services.notify.masking import scrub
from services.notify.store import SubscriptionStore, new_id

log = logging.getLogger("frontwire.console")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    placeholder: str = ""
    optional: bool = False
    secret: bool = False


@dataclass(frozen=True)
class Kind:
    title: str
    model: type[ChatWebhookIn] | type[TelegramIn] | type[NtfyIn]
    fields: tuple[Field, ...]
    help: str  # where to get what the fields ask for (README has the same, longer)


_URL = Field("webhook_url", "Webhook URL", secret=True)
KINDS: dict[str, Kind] = {
    "slack": Kind("Slack", ChatWebhookIn, (Field("webhook_url", "Webhook URL", "https://hooks.slack.com/services/…", secret=True),),
                  "In Slack: create an app at api.slack.com/apps, turn on Incoming Webhooks, "
                  "Add New Webhook to Workspace, pick the channel, copy the URL."),
    "teams": Kind("Microsoft Teams", ChatWebhookIn, (_URL,),
                  "In Teams: on the channel, … → Workflows → “Post to a channel when a webhook "
                  "request is received”; finish the flow and copy the URL it shows."),
    "discord": Kind("Discord", ChatWebhookIn, (Field("webhook_url", "Webhook URL", "https://discord.com/api/webhooks/…", secret=True),),
                    "In Discord: Channel settings → Integrations → Webhooks → New Webhook → "
                    "Copy Webhook URL."),
    "telegram": Kind("Telegram", TelegramIn, (
        Field("bot_token", "Bot token", "123456789:AA…", secret=True),
        Field("chat_id", "Chat id", "-1001234567890 or @yourchannel")),
        "Talk to @BotFather: /newbot gives the token. Add the bot to your group or channel "
        "(as an admin for a channel); the chat id is the group's -100… number or @channelname."),
    "ntfy": Kind("ntfy", NtfyIn, (
        Field("topic", "Topic", "frontwire-desk-7f3a"),
        Field("url", "Server", "https://ntfy.sh", optional=True),
        Field("token", "Access token", "tk_…", optional=True, secret=True)),
        "Pick a hard-to-guess topic and subscribe to it in the ntfy app; a protected topic "
        "needs an access token (ntfy token add)."),
}


def check(kind: str, form: forms.Form) -> forms.Checked:
    """The form's target, filters, name and contact, or errors by field. Pure."""
    spec = KINDS[kind]
    errors: dict[str, str] = {}
    given = {f.name: forms.first(form, f.name) for f in spec.fields}
    target = None
    try:
        target = spec.model.model_validate({k: v for k, v in given.items() if v})
    except ValidationError as exc:
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else spec.fields[0].name
            errors.setdefault(name, f"{_label(spec, name)}: {err['msg'].removeprefix('Value error, ')}")
    contact = forms.first(form, "contact")
    if contact:
        try:
            contact = str(EmailIn(address=contact).address)
        except ValidationError:
            errors["contact"] = f"{contact!r} is not an email address; write it like name@example.org."
    chosen = forms.filters(form, errors)
    name = forms.subscription_name(form, chosen, errors, spec.title)
    values = {**given, "target": target, "contact": contact or None, "name": name, **chosen.spec()}
    return forms.Checked(values, errors)


def _label(spec: Kind, name: str) -> str:
    return next((f.label for f in spec.fields if f.name == name), name)


def router(console: Console) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    deps = console.deps
    subs = SubscriptionStore(deps.engine)
    guard = NetworkGuard(deps.settings.allowed_networks)

    def page(request: Request, kind: str, status: int = 200, **context: Any) -> HTMLResponse:
        return console.render(request, "channel_new.html", status, kind=kind, spec=KINDS[kind],
                              **{"values": {"labels": []}, "errors": {}, **context})

    @router.get("/channels/new/{kind}", response_class=HTMLResponse)
    def new_channel(request: Request, kind: str) -> HTMLResponse:
        if kind not in KINDS:
            return console.error(request, "No such channel", f"Choose one of {', '.join(KINDS)}.", 404)
        who = console.manager(request)  # signed in, with the subscriptions scope
        if isinstance(who, HTMLResponse):
            return who
        return page(request, kind)

    @router.post("/channels/new/{kind}", response_class=HTMLResponse)
    async def create_channel(request: Request, kind: str) -> Response:
        posted = await console.holder_form(request)
        if isinstance(posted, Response):
            return posted
        form, who = posted
        if kind not in KINDS:
            return console.error(request, "No such channel", f"Choose one of {', '.join(KINDS)}.", 404)
        checked = check(kind, form)
        v = checked.values
        place = placed(kind, v["target"], deps.settings) if v["target"] is not None else None
        for name, url in (place.urls.items() if place else ()):
            try:
                guard.check_url_resolved(url)
            except BlockedTarget as exc:
                checked.errors[name] = scrub(str(exc), [place.secret if place else None])
        if checked.errors or place is None:
            shown = {k: val for k, val in v.items() if k not in {f.name for f in KINDS[kind].fields
                                                                  if f.secret}}
            return page(request, kind, 422, values=shown, errors=checked.errors)
        target: dict[str, Any] = {kind: place.target}
        sub = Subscription(id=new_id("sub"), name=v["name"], labels=v["labels"], keywords=v["keywords"],
                           places=v["places"], mode=v["mode"], digest_minutes=v["digest_minutes"],
                           contact=v["contact"], created_at=deps.clock(), **target)
        subs.add(sub, who.owner, place.secret)
        log.info("%s subscription %s created from the console", kind, sub.id,
                 extra={"subscription_id": sub.id})
        return RedirectResponse(f"/subscriptions/{sub.id}?done=created", 303)

    return router
