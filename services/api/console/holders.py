"""Pages for API-key holders: sign in with a key, list subscriptions, make a webhook (its
secret shown once), read a subscription's delivery log with every attempt, replay a
delivery, send a test. Chat and push subscriptions are made in ``channels.py``.

The key is kept in an HttpOnly, SameSite=Strict cookie and checked again on every
request, so revoking it (or its expiry) ends the session. A holder sees its owner's
subscriptions only, and only with the ``subscriptions`` scope; an ``admin`` key (the
operator's among them) sees all. The key page shows the holder's keys (an admin: every
key) with their scopes, expiry and last use; never a secret.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from schemas.models import Subscription, WebhookTarget
from services.api.console import forms
from services.api.console.csrf import CsrfError
from services.api.console.web import KEY_COOKIE, Console
from services.api.keys import KeyRefused
from services.api.routes.feeds import feed_url
from services.api.scopes import Caller, Scope
from services.notify.alerts import test_alert
from services.notify.attempts import AttemptLog
from services.notify.guard import BlockedTarget, NetworkGuard
from services.notify.store import (
    DeliveryStore,
    NotFound,
    StoredSubscription,
    SubscriptionStore,
    new_id,
    new_webhook_secret,
)

log = logging.getLogger("frontwire.console")
SESSION_S = 12 * 3600


def router(console: Console) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    deps = console.deps
    subs = SubscriptionStore(deps.engine)
    deliveries = DeliveryStore(deps.engine)
    attempts = AttemptLog(deps.engine)
    guard = NetworkGuard(deps.settings.allowed_networks)

    manager = console.manager  # the holder if its key may manage subscriptions, else the page

    def owned(sub_id: str, who: Caller) -> StoredSubscription | None:
        try:
            return subs.get(sub_id, who.owner_filter)
        except NotFound:
            return None

    def not_found(request: Request) -> HTMLResponse:
        return console.error(request, "No such subscription",
                             "There is no subscription with this id among yours.", 404)

    @router.get("/keys", response_class=HTMLResponse)
    def keys_page(request: Request) -> HTMLResponse:
        who = console.holder(request)
        if who is None:
            return console.render(request, "keys_login.html", error=None)
        manages = who.may(Scope.SUBSCRIPTIONS)
        mine = [s.subscription for s in subs.list(who.owner_filter, limit=500)] if manages else []
        return console.render(request, "keys.html", who=who, subs=mine, manages=manages,
                              keys=console.keys.list(who.owner_filter), now=deps.clock())

    @router.post("/keys", response_class=HTMLResponse)
    async def keys_login(request: Request) -> Response:
        try:
            form = await console.form(request)
        except CsrfError as exc:
            return console.forbidden(request, exc)
        key = forms.first(form, "key")
        try:
            if not key:
                raise KeyRefused("no key given")
            console.caller_of_key(key)
        except KeyRefused as exc:
            return console.render(request, "keys_login.html", 401,
                                  error=f"This key cannot sign in: {exc}.")
        response = RedirectResponse("/keys", 303)
        response.set_cookie(KEY_COOKIE, key, max_age=SESSION_S, httponly=True, samesite="strict",
                            secure=console.csrf.secure, path="/")
        return response

    @router.post("/keys/logout", response_class=HTMLResponse)
    async def keys_logout(request: Request) -> Response:
        try:
            await console.form(request)
        except CsrfError as exc:
            return console.forbidden(request, exc)
        response = RedirectResponse("/keys", 303)
        response.delete_cookie(KEY_COOKIE, path="/")
        return response

    @router.get("/webhooks/new", response_class=HTMLResponse)
    def webhook_page(request: Request) -> HTMLResponse:
        who = manager(request)
        if isinstance(who, HTMLResponse):
            return who
        return console.render(request, "webhook_new.html", values={"labels": []}, errors={})

    @router.post("/webhooks/new", response_class=HTMLResponse)
    async def webhook_create(request: Request) -> HTMLResponse:
        posted = await console.holder_form(request)  # CSRF, signed in, subscriptions scope
        if isinstance(posted, HTMLResponse):
            return posted
        form, who = posted
        checked = forms.webhook_signup(form)
        if "url" not in checked.errors:
            try:
                guard.check_url_resolved(checked.values["url"])
            except BlockedTarget as exc:
                checked.errors["url"] = str(exc)
        if checked.errors:
            return console.render(request, "webhook_new.html", 422, values=checked.values,
                                  errors=checked.errors)
        v = checked.values
        secret = new_webhook_secret()
        sub = Subscription(id=new_id("sub"), name=v["name"], labels=v["labels"], keywords=v["keywords"],
                           places=v["places"], mode=v["mode"], digest_minutes=v["digest_minutes"],
                           webhook=WebhookTarget(url=v["url"]), created_at=deps.clock())
        subs.add(sub, who.owner, secret)
        log.info("webhook subscription %s created from the console", sub.id,
                 extra={"subscription_id": sub.id})
        return console.render(request, "webhook_created.html", 201, sub=sub, secret=secret)

    @router.get("/subscriptions/{sub_id}", response_class=HTMLResponse)
    def subscription_page(request: Request, sub_id: str, done: str | None = None) -> HTMLResponse:
        who = manager(request)
        if isinstance(who, HTMLResponse):
            return who
        stored = owned(sub_id, who)
        if stored is None:
            return not_found(request)
        return console.render(request, "subscription.html", sub=stored.subscription, done=done,
                              deliveries=attempts.attach(deliveries.for_subscription(sub_id, 100)),
                              feed_url=feed_url(deps.settings.public_url, sub_id,
                                                deps.settings.signing_key))

    async def posted_by_owner(request: Request, sub_id: str | None = None,
                              delivery_id: str | None = None) -> StoredSubscription | Response:
        """The signed-in holder's subscription a form posts about (CSRF checked), by its
        id or one of its deliveries' ids, or else the page to answer with."""
        try:
            await console.form(request)
        except CsrfError as exc:
            return console.forbidden(request, exc)
        who = manager(request)
        if isinstance(who, HTMLResponse):
            return who
        if delivery_id is not None:
            try:
                sub_id = deliveries.owner_of(delivery_id)
            except NotFound:
                return not_found(request)
        stored = owned(sub_id or "", who)
        return not_found(request) if stored is None else stored

    @router.post("/subscriptions/{sub_id}/test", response_class=HTMLResponse)
    async def send_test(request: Request, sub_id: str) -> Response:
        stored = await posted_by_owner(request, sub_id)
        if isinstance(stored, Response):
            return stored
        now = deps.clock()
        deliveries.add_pending(test_alert(stored.subscription, now), now, now)
        return RedirectResponse(f"/subscriptions/{sub_id}?done=test", 303)

    @router.post("/subscriptions/{sub_id}/enable", response_class=HTMLResponse)
    async def enable(request: Request, sub_id: str) -> Response:
        """Turn a disabled endpoint back on once its owner has fixed it."""
        stored = await posted_by_owner(request, sub_id)
        if isinstance(stored, Response):
            return stored
        sub = stored.subscription
        if sub.status == "disabled":
            subs.replace(sub.model_copy(update={"status": "active", "disabled_reason": None}),
                         deps.clock())
        return RedirectResponse(f"/subscriptions/{sub_id}?done=enabled", 303)

    @router.post("/deliveries/{delivery_id}/replay", response_class=HTMLResponse)
    async def replay(request: Request, delivery_id: str) -> Response:
        stored = await posted_by_owner(request, delivery_id=delivery_id)
        if isinstance(stored, Response):
            return stored
        deliveries.replay(delivery_id, deps.clock())
        return RedirectResponse(f"/subscriptions/{stored.subscription.id}?done=replay", 303)

    return router
