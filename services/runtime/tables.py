"""Every table of the SQL store, in one place: the data layer (``db``) and the migration steps
(``migrations``) both read them, and neither needs the other to do so."""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Float, Integer, MetaData, String, Table, Text

metadata = MetaData()

subscriptions = Table(
    "subscriptions", metadata,
    Column("id", String(40), primary_key=True),
    Column("owner", String(80), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("channel", String(10), nullable=False),
    Column("target", Text, nullable=False),
    Column("secret", Text, nullable=True),
    Column("previous_secret", Text, nullable=True),  # still signs until previous_until
    Column("previous_until", DateTime(timezone=True), nullable=True),
    Column("spec", JSON, nullable=False),          # the Subscription model as JSON
    Column("status", String(12), nullable=False, default="active"),
    Column("disabled_reason", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

deliveries = Table(
    "deliveries", metadata,
    Column("id", String(40), primary_key=True),
    Column("alert_id", String(80), nullable=False, unique=True),
    Column("subscription_id", String(40), nullable=False, index=True),
    Column("channel", String(10), nullable=False),
    Column("status", String(12), nullable=False),   # pending | delivered | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_status_code", Integer, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("latency_ms", Float, nullable=True),
    Column("next_attempt_at", DateTime(timezone=True), nullable=True, index=True),
    Column("lease_until", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("delivered_at", DateTime(timezone=True), nullable=True),
    Column("first_seen_at", DateTime(timezone=True), nullable=True),
    Column("payload", Text, nullable=False),        # the Alert as JSON
)

ingest_seen = Table(
    "ingest_seen", metadata,
    Column("source", String(200), primary_key=True),
    Column("update_id", String(200), primary_key=True),
    Column("hash", String(64), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("first_seen_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("vanished_at", DateTime(timezone=True), nullable=True),
)

sources = Table(
    "sources", metadata,
    Column("id", String(200), primary_key=True),
    Column("url", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("interval", Float, nullable=False),
    Column("origin", String(10), nullable=False),   # config | api
    Column("etag", Text, nullable=True),
    Column("last_modified", Text, nullable=True),
    Column("last_success_at", DateTime(timezone=True), nullable=True),
    Column("last_attempt_at", DateTime(timezone=True), nullable=True),
    Column("last_new_at", DateTime(timezone=True), nullable=True),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("updates_found", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


delivery_attempts = Table(
    "delivery_attempts", metadata,  # every attempt of every delivery, pruned after the retention period
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("delivery_id", String(40), nullable=False, index=True),
    Column("attempt", Integer, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("channel", String(10), nullable=False),
    Column("outcome", String(10), nullable=False),   # delivered | retry | failed
    Column("status_code", Integer, nullable=True),
    Column("error_class", String(20), nullable=True),
    Column("error", Text, nullable=True),
    Column("latency_ms", Float, nullable=True),
    Column("response", Text, nullable=True),         # the first 512 bytes of the body, as text
)

owner_notices = Table(
    "owner_notices", metadata,  # mails to owners (a destination was disabled), sent with retries
    Column("id", String(80), primary_key=True),
    Column("subscription_id", String(40), nullable=False),
    Column("address", String(320), nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(10), nullable=False),    # pending | sent | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True), nullable=True, index=True),
    Column("last_error", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=True),
)


api_keys = Table(
    "api_keys", metadata,
    Column("id", String(40), primary_key=True),
    Column("owner", String(80), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("hash", String(64), nullable=False),     # sha256 of the secret part; the key is never stored
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("scopes", String(200), nullable=False, server_default="subscriptions"),  # space-separated
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("last_used_at", DateTime(timezone=True), nullable=True),  # to the minute, not each request
    Column("contact", String(320), nullable=True),  # told when a subscription of its owner is disabled
)

story_members = Table(
    "story_members", metadata,
    Column("update_id", String(200), primary_key=True),
    Column("story_id", String(200), nullable=False, index=True),
    Column("source", String(200), nullable=False),
    Column("headline", Text, nullable=True),
    Column("url", Text, nullable=True),
    Column("facts", JSON, nullable=True),
    Column("previous_facts", JSON, nullable=True),  # of the revision before: a replay recomputes its changes
    Column("revision", Integer, nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
    Column("profile", JSON, nullable=True),  # what it says of its event (services/notify/identity.py)
    Column("reasons", JSON, nullable=True),  # why it joined its story, or that an operator split it out
)

stories = Table(
    "stories", metadata,   # one row per story: its MinHash signature (services/notify/minhash.py)
    Column("seq", Integer, primary_key=True, autoincrement=True),  # workers read what is new by seq
    Column("story_id", String(200), nullable=False, unique=True),
    Column("signature", Text, nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False, index=True),
    Column("profile", JSON, nullable=True),  # of its first report: places, actors, counts, labels
)

counters = Table(
    "counters", metadata,  # cheap change counters, e.g. "subscriptions": bumped by every write
    Column("name", String(40), primary_key=True),
    Column("value", Integer, nullable=False),
)


feed = Table(
    "feed", metadata,   # the latest classified updates, for the console's live feed
    Column("update_id", String(200), primary_key=True),
    Column("story_id", String(200), nullable=True, index=True),
    Column("source", String(200), nullable=False, index=True),
    Column("severity", String(10), nullable=False),
    Column("labels", String(200), nullable=False),    # space-separated, for LIKE filters
    Column("revision", Integer, nullable=False),
    Column("classified_at", DateTime(timezone=True), nullable=False, index=True),
    Column("doc", Text, nullable=False),              # the ClassifiedUpdate as JSON
)
