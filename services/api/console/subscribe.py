"""Email alerts without an account: sign up (double opt-in), confirm, manage, pause, unsubscribe.

A sign-up is stored as ``pending`` (never matched) and a confirmation email goes
to the address; only the link in it makes the subscription active, so nobody can
subscribe someone else's inbox. The manage link in every alert email opens that
one subscription and nothing else.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from schemas.models import EmailTarget, Subscription
from services.api.console import forms, mail
from services.api.console.csrf import CsrfError
from services.api.console.web import Console
from services.notify.store import NotFound, SubscriptionStore, new_id
from services.notify.tokens import (
    confirm_token,
    manage_token,
    verify_confirm_token,
    verify_manage_token,
)

log = logging.getLogger("frontwire.console")
CONFIRM_DAYS = 7
OWNER = "console"  # sign-ups from the public form; the admin key sees them


def router(console: Console) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    deps = console.deps
    subs = SubscriptionStore(deps.engine)
    key = deps.settings.signing_key

    def subscribe_form(request: Request, status: int = 200, values: dict | None = None,  # type: ignore[type-arg]
                       errors: dict[str, str] | None = None) -> HTMLResponse:
        return console.render(request, "subscribe.html", status, values=values or {"labels": []},
                              errors=errors or {})

    @router.get("/subscribe", response_class=HTMLResponse)
    def subscribe_page(request: Request) -> HTMLResponse:
        return subscribe_form(request)

    @router.post("/subscribe", response_class=HTMLResponse)
    async def subscribe(request: Request) -> HTMLResponse:
        try:
            form = await console.form(request)
        except CsrfError as exc:
            return console.forbidden(request, exc)
        client = request.client.host if request.client else "unknown"
        wait = console.subscribe_limit.retry_after(client)
        if wait:
            response = console.error(request, "Too many sign-ups",
                                     f"This network sent too many sign-ups. Try again in "
                                     f"{max(1, round(wait / 60))} minutes; nothing was created.", 429)
            response.headers["Retry-After"] = str(int(wait) + 1)
            return response
        checked = forms.email_signup(form)
        if checked.errors:
            return subscribe_form(request, 422, checked.values, checked.errors)
        v = checked.values
        if console.address_limit.retry_after(v["address"].lower()):
            return subscribe_form(request, 429, v, {"address": "This address was sent several "
                                  "confirmation emails lately; look for them, or try again in an hour."})
        now = deps.clock()
        subs.delete_pending(now - timedelta(days=CONFIRM_DAYS))
        sub = Subscription(id=new_id("sub"), name=v["name"], labels=v["labels"], keywords=v["keywords"],
                           places=v["places"], mode=v["mode"], digest_minutes=v["digest_minutes"],
                           email=EmailTarget(address=v["address"]), status="pending", created_at=now)
        subs.add(sub, OWNER, None)
        expires = int((now + timedelta(days=CONFIRM_DAYS)).timestamp())
        url = f"{console.public_url}/confirm/{confirm_token(sub.id, expires, key)}"
        msg = mail.confirmation_message(sub, mail_from=deps.settings.mail_from, confirm_url=url,
                                        valid_days=CONFIRM_DAYS)
        try:
            await mail.send(msg, smtp_url=deps.settings.smtp_url, mail_from=deps.settings.mail_from)
        except mail.MailError as exc:
            subs.delete(sub.id)
            log.warning("confirmation email for %s not sent: %s", sub.id, exc)
            return console.error(request, "Could not send the confirmation email",
                                 "The mail server did not take the message, so nothing was created. "
                                 "Please try again in a few minutes.", 503)
        log.info("sign-up %s pending confirmation", sub.id, extra={"subscription_id": sub.id})
        return console.render(request, "subscribe_sent.html", 202, address=v["address"],
                              days=CONFIRM_DAYS)

    def pending_for(token: str) -> Subscription | None:
        sub_id = verify_confirm_token(token, key, deps.clock().timestamp())
        if sub_id is None:
            return None
        try:
            return subs.get(sub_id).subscription
        except NotFound:
            return None

    @router.get("/confirm/{token}", response_class=HTMLResponse)
    def confirm_page(request: Request, token: str) -> HTMLResponse:
        sub = pending_for(token)
        if sub is None:
            return console.error(request, "This link has expired",
                                 f"Confirmation links work for {CONFIRM_DAYS} days. Sign up again "
                                 "to get a new one.", 404)
        return console.render(request, "confirm.html", sub=sub, token=token,
                              manage=f"/manage/{manage_token(sub.id, key)}")

    @router.post("/confirm/{token}", response_class=HTMLResponse)
    async def confirm(request: Request, token: str) -> Response:
        try:
            await console.form(request)
        except CsrfError as exc:
            return console.forbidden(request, exc)
        sub = pending_for(token)
        if sub is None:
            return console.error(request, "This link has expired",
                                 "Sign up again to get a new confirmation link.", 404)
        if sub.status == "pending":
            subs.replace(sub.model_copy(update={"status": "active"}), deps.clock())
            log.info("subscription %s confirmed", sub.id, extra={"subscription_id": sub.id})
        return RedirectResponse(f"/manage/{manage_token(sub.id, key)}?done=confirmed", 303)

    def managed(token: str) -> Subscription | None:
        sub_id = verify_manage_token(token, key)
        if sub_id is None:
            return None
        try:
            sub = subs.get(sub_id).subscription
        except NotFound:
            return None
        return sub if sub.email is not None else None

    def gone(request: Request) -> HTMLResponse:
        return console.error(request, "No such subscription",
                             "This link is not valid, or the subscription was deleted.", 404)

    @router.get("/manage/{token}", response_class=HTMLResponse)
    def manage_page(request: Request, token: str, done: str | None = None) -> HTMLResponse:
        sub = managed(token)
        if sub is None:
            return gone(request)
        return console.render(request, "manage.html", sub=sub, token=token, done=done, errors={},
                              values=_values(sub))

    @router.post("/manage/{token}", response_class=HTMLResponse)
    async def manage_edit(request: Request, token: str) -> Response:
        try:
            form = await console.form(request)
        except CsrfError as exc:
            return console.forbidden(request, exc)
        sub = managed(token)
        if sub is None:
            return gone(request)
        checked = forms.manage(form)
        if checked.errors:
            return console.render(request, "manage.html", 422, sub=sub, token=token, done=None,
                                  errors=checked.errors, values=checked.values)
        subs.replace(Subscription.model_validate({**sub.model_dump(), **checked.values}), deps.clock())
        return RedirectResponse(f"/manage/{quote(token)}?done=saved", 303)

    @router.post("/manage/{token}/{action}", response_class=HTMLResponse)
    async def manage_action(request: Request, token: str, action: str) -> Response:
        try:
            await console.form(request)
        except CsrfError as exc:
            return console.forbidden(request, exc)
        sub = managed(token)
        if sub is None:
            return gone(request)
        now = deps.clock()
        if action == "pause" and sub.status == "active":
            subs.replace(sub.model_copy(update={"status": "paused"}), now)
        elif action == "resume" and sub.status in ("paused", "disabled"):
            subs.replace(sub.model_copy(update={"status": "active", "disabled_reason": None}), now)
        elif action == "unsubscribe" and sub.status != "pending":
            subs.disable(sub.id, "unsubscribed by the recipient", now)
            log.info("subscription %s unsubscribed from its manage page", sub.id,
                     extra={"subscription_id": sub.id})
        elif action not in ("pause", "resume", "unsubscribe"):
            return gone(request)
        return RedirectResponse(f"/manage/{quote(token)}?done={action}", 303)

    return router


def _values(sub: Subscription) -> dict[str, object]:
    return {"labels": [lb.value for lb in sub.labels], "keywords": ", ".join(sub.keywords),
            "places": ", ".join(sub.places), "mode": sub.mode, "digest_minutes": sub.digest_minutes}
