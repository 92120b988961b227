"""Subscription routes: create, list, get, change, delete, test-fire, rotate the secret, deliveries."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Response
from fastapi.exceptions import RequestValidationError

from schemas.models import Delivery, EmailTarget, Subscription, WebhookTarget
from services.api.bodies import (
    Filters,
    SecretRotated,
    SubscriptionCreate,
    SubscriptionOut,
    SubscriptionPage,
    SubscriptionPatch,
    TestFired,
)
from services.api.deps import REFUSALS, ApiDeps, SubscriptionsKey
from services.api.scopes import Caller
from services.notify.alerts import test_alert
from services.notify.guard import BlockedTarget, NetworkGuard
from services.notify.store import (
    DeliveryStore,
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

    def checked_url(url: str) -> str:
        try:
            guard.check_url_resolved(url)
        except BlockedTarget as exc:
            raise RequestValidationError([{"loc": ("body", "webhook", "url"), "msg": str(exc),
                                           "type": "value_error", "input": url}]) from None
        return url

    def owned(sub_id: str, who: Caller) -> StoredSubscription:
        try:
            return subs.get(sub_id, who.owner_filter)
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from None

    @router.post("/subscriptions", status_code=201, response_model=SubscriptionOut)
    def create_subscription(body: SubscriptionCreate, who: SubscriptionsKey) -> SubscriptionOut:
        secret = None
        if body.webhook is not None:
            checked_url(body.webhook.url)
            secret = new_webhook_secret()
        sub = Subscription(
            id=new_id("sub"), name=body.name, created_at=deps.clock(), **_filters(body),
            webhook=WebhookTarget(url=body.webhook.url) if body.webhook else None,
            email=EmailTarget(address=str(body.email.address)) if body.email else None)
        subs.add(sub, who.owner, secret)
        log.info("subscription %s created (%s, labels %s)", sub.id, sub.channel,
                 ",".join(sub.labels), extra={"subscription_id": sub.id})
        return SubscriptionOut(**sub.model_dump(), secret=secret)

    @router.get("/subscriptions", response_model=SubscriptionPage)
    def list_subscriptions(who: SubscriptionsKey, limit: Annotated[int, Query(ge=1, le=500)] = 100,
                           after: str | None = None) -> SubscriptionPage:
        items = [s.subscription for s in subs.list(who.owner_filter, limit + 1, after)]
        more = len(items) > limit
        items = items[:limit]
        return SubscriptionPage(items=items, next_after=items[-1].id if more else None)

    @router.get("/subscriptions/{sub_id}", response_model=Subscription)
    def get_subscription(sub_id: str, who: SubscriptionsKey) -> Subscription:
        return owned(sub_id, who).subscription

    @router.patch("/subscriptions/{sub_id}", response_model=Subscription)
    def update_subscription(sub_id: str, body: SubscriptionPatch, who: SubscriptionsKey) -> Subscription:
        current = owned(sub_id, who).subscription
        changes: dict[str, Any] = _filters(body)
        if body.name is not None:
            changes["name"] = body.name
        if body.status is not None:
            if current.status == "disabled" and body.status == "active":
                changes["disabled_reason"] = None  # re-enabling after the cause was fixed
            changes["status"] = body.status
        if body.webhook is not None:
            if current.webhook is None:
                raise HTTPException(422, "this is an email subscription: create a new one for a webhook")
            changes["webhook"] = WebhookTarget(url=checked_url(body.webhook.url))
        if body.email is not None:
            if current.email is None:
                raise HTTPException(422, "this is a webhook subscription: create a new one for email")
            changes["email"] = EmailTarget(address=str(body.email.address))
        updated = Subscription.model_validate({**current.model_dump(), **changes})
        subs.replace(updated, deps.clock())
        return updated

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

    @router.get("/subscriptions/{sub_id}/deliveries", response_model=list[Delivery])
    def list_deliveries(sub_id: str, who: SubscriptionsKey,
                        limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[Delivery]:
        owned(sub_id, who)
        return deliveries.for_subscription(sub_id, limit)

    @router.post("/deliveries/{delivery_id}/replay", status_code=202, response_model=Delivery,
                 tags=["deliveries"])
    def replay_delivery(delivery_id: str, who: SubscriptionsKey) -> Delivery:
        """Send a delivery again now (same alert, same webhook-id: receivers dedupe)."""
        try:
            owned(deliveries.owner_of(delivery_id), who)
            deliveries.replay(delivery_id, deps.clock())
            return deliveries.get(delivery_id)
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from None

    return router
