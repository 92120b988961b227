"""Subscriptions by id for the dispatcher, read from SQL once per change of the table."""

from __future__ import annotations

from collections.abc import Iterable

from services.notify.store import StoredSubscription, SubscriptionStore


class SubscriptionCache:
    """Subscriptions by id, as stored, forgotten whenever the subscriptions table changes.

    ``refresh`` reads the table's change counter (one row); call it once per batch.
    Blocking: call both methods from a worker thread.
    """

    def __init__(self, store: SubscriptionStore) -> None:
        self.store = store
        self._version: int | None = None
        self._items: dict[str, StoredSubscription] = {}

    def refresh(self) -> None:
        version = self.store.version()
        if version != self._version:
            self._items.clear()
            self._version = version

    def prime(self, version: int, active: Iterable[StoredSubscription]) -> None:
        """Take every active subscription as of ``version`` at once (read for the index)."""
        self._items = {s.subscription.id: s for s in active}
        self._version = version

    def get(self, sub_id: str) -> StoredSubscription:
        """The subscription (NotFound if it was deleted)."""
        found = self._items.get(sub_id)
        if found is None:
            found = self._items[sub_id] = self.store.get(sub_id)
        return found

    def cached(self, sub_id: str) -> StoredSubscription | None:
        return self._items.get(sub_id)
