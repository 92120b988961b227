"""Delivery routes: a subscription's deliveries, one delivery, replay; each with every attempt.

Each needs a key with the ``subscriptions`` scope, and sees its owner's deliveries only
(an admin key: everyone's)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from schemas.models import Delivery
from services.api.deps import REFUSALS, ApiDeps, SubscriptionsKey
from services.api.scopes import Caller
from services.notify.attempts import AttemptLog
from services.notify.store import DeliveryStore, NotFound, SubscriptionStore


def router(deps: ApiDeps) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["deliveries"], responses=REFUSALS)
    subs = SubscriptionStore(deps.engine)
    deliveries = DeliveryStore(deps.engine)
    attempts = AttemptLog(deps.engine)

    def owned_delivery(delivery_id: str, who: Caller) -> None:
        """404 unless the delivery is one of the caller's subscriptions'."""
        try:
            subs.get(deliveries.owner_of(delivery_id), who.owner_filter)
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from None

    @router.get("/subscriptions/{sub_id}/deliveries", response_model=list[Delivery])
    def list_deliveries(sub_id: str, who: SubscriptionsKey,
                        limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[Delivery]:
        """The subscription's deliveries, newest first, each with every attempt on record."""
        try:
            subs.get(sub_id, who.owner_filter)
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from None
        return attempts.attach(deliveries.for_subscription(sub_id, limit))

    @router.get("/deliveries/{delivery_id}", response_model=Delivery)
    def get_delivery(delivery_id: str, who: SubscriptionsKey) -> Delivery:
        """One delivery and every attempt on record: time, channel, status code or error class,
        latency, the first 512 bytes of the response."""
        owned_delivery(delivery_id, who)
        return attempts.attach([deliveries.get(delivery_id)])[0]

    @router.post("/deliveries/{delivery_id}/replay", status_code=202, response_model=Delivery)
    def replay_delivery(delivery_id: str, who: SubscriptionsKey) -> Delivery:
        """Send a delivery again now (same alert, same webhook-id: receivers dedupe)."""
        owned_delivery(delivery_id, who)
        deliveries.replay(delivery_id, deps.clock())
        return attempts.attach([deliveries.get(delivery_id)])[0]

    return router
