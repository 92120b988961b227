"""Subscription routes: create, list, get, change, delete, test-fire, rotate the secret.

Every route needs a key with the ``subscriptions`` scope (services/api/deps.py); their
deliveries are in routes/deliveries.py, their Atom feeds in routes/feeds.py."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Response
from fastapi.exceptions import RequestValidationError

from schemas.models import EmailTarget, Subscription, WebhookTarget
from services.api.bodies import (
    Channels,
    Filters,
    SecretRotated,
    SubscriptionCreate,
    SubscriptionOut,
    SubscriptionPage,
    SubscriptionPatch,
    SubscriptionView,
    TestFired,
)
from services.api.deps import REFUSALS, ApiDeps, SubscriptionsKey
from services.api.routes.feeds import feed_url
from services.api.scopes import Caller
from services.api.targets import placed
from services.notify.alerts import test_alert
from services.notify.guard import BlockedTarget, NetworkGuard
from services.notify.masking import scrub
from services.notify.store import (
    KEEP,
    DeliveryStore,
    Keep,
    NotFound,
    StoredSubscription,
    SubscriptionStore,
    new_id,
    new_webhook_secret,
)

log = logging.getLogger("frontwire.api")
ROTATION_GRACE = timedelta(hours=24)
_FILTERS = tuple(Filters.model_fields)


def _filters(body: Filters) -> dict[str, Any]:
    return {k: getattr(body, k) for k in _FILTERS if getattr(body, k) is not None}


def router(deps: ApiDeps) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["subscriptions"], responses=REFUSALS)
    subs = SubscriptionStore(deps.engine)
    deliveries = DeliveryStore(deps.engine)
    guard = NetworkGuard(deps.settings.allowed_networks)
    base, key = deps.settings.public_url, deps.settings.signing_key

    def checked(url: str, *loc: str, secret: str | None = None) -> str:
        """The URL if the SSRF guard allows it; else a 422 naming the field (and never
        quoting a credential: a chat webhook URL is one)."""
        try:
            guard.check_url_resolved(url)
        except BlockedTarget as exc:
            raise RequestValidationError([{"loc": ("body", *loc), "msg": scrub(str(exc), [secret]),
                                           "type": "value_error", "input": scrub(url, [secret])}]
                                         ) from None
        return url

    def target(body: Channels, kind: str) -> tuple[dict[str, Any], str | None | Keep]:
        """The subscription fields for ``body``'s ``kind`` target, and the secret to store."""
        value = getattr(body, kind)
        if kind == "webhook":
            return {"webhook": WebhookTarget(url=checked(value.url, "webhook", "url"))}, KEEP
        if kind == "email":
            return {"email": EmailTarget(address=str(value.address))}, KEEP
        place = placed(kind, value, deps.settings)
        for name, url in place.urls.items():
            checked(url, kind, name, secret=place.secret)
        return {kind: place.target}, place.secret

    def view(sub: Subscription) -> SubscriptionView:
        return SubscriptionView(**sub.model_dump(), feed_url=feed_url(base, sub.id, key))

    def owned(sub_id: str, who: Caller) -> StoredSubscription:
        try:
            return subs.get(sub_id, who.owner_filter)
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from None

    @router.post("/subscriptions", status_code=201, response_model=SubscriptionOut)
    def create_subscription(body: SubscriptionCreate, who: SubscriptionsKey) -> SubscriptionOut:
        """Create a subscription with one channel. A webhook's signing secret is in the answer,
        once; chat credentials are stored and never shown back in full."""
        (kind,) = body.channels()
        fields, credential = target(body, kind)
        secret = new_webhook_secret() if kind == "webhook" else credential
        sub = Subscription(id=new_id("sub"), name=body.name, created_at=deps.clock(),
                           contact=str(body.contact) if body.contact else None,
                           **_filters(body), **fields)
        subs.add(sub, who.owner, None if isinstance(secret, Keep) else secret)
        log.info("subscription %s created (%s, labels %s)", sub.id, sub.channel,
                 ",".join(sub.labels), extra={"subscription_id": sub.id})
        shown = secret if kind == "webhook" and isinstance(secret, str) else None
        return SubscriptionOut(**view(sub).model_dump(), secret=shown)

    @router.get("/subscriptions", response_model=SubscriptionPage)
    def list_subscriptions(who: SubscriptionsKey, limit: Annotated[int, Query(ge=1, le=500)] = 100,
                           after: str | None = None) -> SubscriptionPage:
        items = [s.subscription for s in subs.list(who.owner_filter, limit + 1, after)]
        more = len(items) > limit
        items = items[:limit]
        return SubscriptionPage(items=[view(s) for s in items],
                                next_after=items[-1].id if more else None)

    @router.get("/subscriptions/{sub_id}", response_model=SubscriptionView)
    def get_subscription(sub_id: str, who: SubscriptionsKey) -> SubscriptionView:
        return view(owned(sub_id, who).subscription)

    @router.patch("/subscriptions/{sub_id}", response_model=SubscriptionView)
    def update_subscription(sub_id: str, body: SubscriptionPatch,
                            who: SubscriptionsKey) -> SubscriptionView:
        """Change filters, name, status or contact; a target of the subscription's own kind
        replaces it (with its credential)."""
        current = owned(sub_id, who).subscription
        changes: dict[str, Any] = _filters(body)
        if body.name is not None:
            changes["name"] = body.name
        if body.contact is not None:
            changes["contact"] = str(body.contact)
        if body.status is not None:
            if current.status == "disabled" and body.status == "active":
                changes["disabled_reason"] = None  # re-enabling after the cause was fixed
            changes["status"] = body.status
        secret: str | None | Keep = KEEP
        for kind in body.channels():
            if kind != current.channel:
                raise HTTPException(422, f"this is a {current.channel} subscription: create a new "
                                         f"one for {kind}")
            fields, secret = target(body, kind)
            changes |= fields
        updated = Subscription.model_validate({**current.model_dump(), **changes})
        subs.replace(updated, deps.clock(), secret=secret)
        return view(updated)

    @router.delete("/subscriptions/{sub_id}", status_code=204)
    def delete_subscription(sub_id: str, who: SubscriptionsKey) -> Response:
        owned(sub_id, who)
        subs.delete(sub_id)
        return Response(status_code=204)

    @router.post("/subscriptions/{sub_id}/test", status_code=202, response_model=TestFired)
    def fire_test_alert(sub_id: str, who: SubscriptionsKey) -> TestFired:
        """Queue a sample alert for this subscription; watch it in its deliveries."""
        sub = owned(sub_id, who).subscription
        now = deps.clock()
        alert = test_alert(sub, now)
        deliveries.add_pending(alert, now, now)
        delivery = next((d for d in deliveries.for_subscription(sub_id, 20) if d.alert_id == alert.id), None)
        return TestFired(alert_id=alert.id, delivery_id=delivery.id if delivery else None, status="queued")

    @router.post("/subscriptions/{sub_id}/rotate-secret", response_model=SecretRotated)
    def rotate_secret(sub_id: str, who: SubscriptionsKey) -> SecretRotated:
        """A new signing secret; the old one keeps signing too for 24 hours."""
        stored = owned(sub_id, who)
        if stored.subscription.webhook is None:
            raise HTTPException(422, "only webhook subscriptions have a signing secret")
        now = deps.clock()
        secret = new_webhook_secret()
        subs.rotate_secret(sub_id, secret, ROTATION_GRACE, now)
        return SecretRotated(secret=secret, previous_valid_until=now + ROTATION_GRACE)

    return router
