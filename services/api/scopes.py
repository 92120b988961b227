"""What an API key may do (its scopes), and who a request comes from (the Caller).

- ``subscriptions``: create, list, change and delete its owner's own subscriptions, test
  them, rotate their secrets, read and replay their deliveries. The default, and what
  every key made before scopes existed was given.
- ``publish``: push updates (``POST /v1/updates``), which alert every subscriber.
- ``sources``: add and remove the sources ingest polls (``POST``/``DELETE /v1/sources``).
- ``admin``: all of the above, for every owner. The operator's ``FRONTWIRE_API_KEY``.

Reading sources (``GET /v1/sources``) needs a valid key and no scope: source health is
shown to anyone on the console's /sources page anyway.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Scope(StrEnum):
    SUBSCRIPTIONS = "subscriptions"
    PUBLISH = "publish"
    SOURCES = "sources"
    ADMIN = "admin"


ALLOWS: dict[Scope, str] = {
    Scope.SUBSCRIPTIONS: "manage its owner's subscriptions and see their deliveries",
    Scope.PUBLISH: "push updates (POST /v1/updates)",
    Scope.SOURCES: "add and remove sources",
    Scope.ADMIN: "everything, for every owner",
}
DEFAULT_SCOPES = frozenset({Scope.SUBSCRIPTIONS})
OPERATOR_KEY_ID = "operator"   # the key id audit lines and rate limits give FRONTWIRE_API_KEY
OPERATOR_OWNER = "admin"       # the owner of what the operator's key creates


def parse_scopes(text: str) -> frozenset[Scope]:
    """Scopes from their stored form, space-separated names; ValueError names an unknown one."""
    try:
        return frozenset(Scope(name) for name in text.split())
    except ValueError:
        raise ValueError(f"unknown scope in {text!r}: choose from "
                         + ", ".join(s.value for s in Scope)) from None


def format_scopes(scopes: Iterable[Scope]) -> str:
    """Scopes as stored and shown: space-separated, in the order of :class:`Scope`."""
    chosen = set(scopes)
    return " ".join(s.value for s in Scope if s in chosen)


@dataclass(frozen=True)
class Caller:
    """Who made a request: a key's id (never its secret), its owner and its scopes."""

    key_id: str
    owner: str
    scopes: frozenset[Scope]

    def may(self, scope: Scope) -> bool:
        return Scope.ADMIN in self.scopes or scope in self.scopes

    @property
    def owner_filter(self) -> str | None:
        """The owner whose data this caller sees; None: every owner's (admin)."""
        return None if Scope.ADMIN in self.scopes else self.owner

    def lacks(self, scope: Scope, what: str) -> str:
        """The 403 message for a caller without ``scope``: which scope, and how to get one."""
        return (f"API key {self.key_id} (owner {self.owner!r}, scopes: "
                f"{format_scopes(self.scopes) or 'none'}) lacks the {scope.value!r} scope, "
                f"which {what} needs; ask the operator for a key made with "
                f"`frontwire apikey create --owner {shlex.quote(self.owner)} --scope {scope.value}`")


def operator() -> Caller:
    """The operator's FRONTWIRE_API_KEY: admin."""
    return Caller(OPERATOR_KEY_ID, OPERATOR_OWNER, frozenset({Scope.ADMIN}))
