"""The `frontwire` command: run the pipeline, one service, the broker, or the batch tools."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from services.api.expiry import FORMS as EXPIRY_FORMS
from services.api.scopes import ALLOWS, Scope

if TYPE_CHECKING:
    from datetime import datetime

    from services.api.keys import ApiKey
    from services.runtime.config import Settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="frontwire")
def cli() -> None:
    """frontwire: alerts from live news blogs, over Kafka.

    \b
    Quick start:
      frontwire run --demo          whole pipeline with demo sources and subscribers
      frontwire parse PAGE          print a page's updates as JSON Lines
      frontwire classify < X.jsonl  label JSON Lines of updates
    """


@cli.command(short_help="Print a page's updates as JSON Lines.")
@click.argument("source")
@click.option("--kind", default=None, help="Parser to use (default: detect).")
@click.option("--source-id", default=None, help="Source id for the updates (default: from the name).")
def parse(source: str, kind: str | None, source_id: str | None) -> None:
    """Print the updates of SOURCE (a file path or http(s) URL) as JSON Lines of Update."""
    from services.ingest.parse_cmd import run_parse

    sys.exit(run_parse(source, kind=kind, source_id=source_id, out=sys.stdout, err=sys.stderr))


@cli.command(short_help="Label JSON Lines of updates from stdin.")
def classify() -> None:
    """Label JSON Lines from stdin; write one ClassifiedUpdate per line to stdout.

    Each input line is an Update, or any object with `text`, or with `headline`
    and `body`. An `id` given is kept. Bad lines are reported on stderr and skipped.
    """
    from services.classify.batch import main as batch_main

    sys.exit(batch_main(sys.stdin, sys.stdout, sys.stderr))


def _settings(service: str) -> Settings:
    from services.runtime import logs
    from services.runtime.config import ConfigError, load

    try:
        settings = load()
    except ConfigError as exc:
        click.echo(f"frontwire {service}: {exc}", err=True)
        click.echo("Fix the setting (environment or FRONTWIRE_CONFIG file) and start again.", err=True)
        sys.exit(2)
    logs.setup(service, settings.log_level, settings.log_format)
    return settings


@cli.command(short_help="Run the whole pipeline under one supervisor.")
@click.option("--demo", is_flag=True, help="Serve sample live blogs, a webhook receiver and a "
              "mailbox, and subscribe them to every label.")
@click.option("--exit-when-idle", is_flag=True, help="Exit 0 once every alert is delivered "
              "(with --demo: once the sample blogs are complete), printing the counts.")
@click.option("--timeout", default=300.0, show_default=True,
              help="With --exit-when-idle: give up (exit 1) after this many seconds.")
def run(demo: bool, exit_when_idle: bool, timeout: float) -> None:
    """Run the broker (if needed) and all services under one supervisor.

    Logs of each service are prefixed with its name; a service that dies is
    reported and restarted; Ctrl-C stops everything in order.
    """
    from frontwire.run import run as run_pipeline

    settings = _settings("run")
    sys.exit(_friendly("run", lambda: run_pipeline(settings, demo=demo,
                                                   exit_when_idle=exit_when_idle, timeout=timeout)))


@cli.command(short_help="Run one service (ingest, classify, notify, api).")
@click.argument("service", type=click.Choice(["ingest", "classify", "notify", "api"]))
def serve(service: str) -> None:
    """Run one service in the foreground.

    \b
    ingest    polls the sources and publishes updates (metrics :9101)
    classify  labels updates (metrics :9102)
    notify    matches subscriptions and delivers alerts (metrics :9103)
    api       subscription API, push ingestion, sources (:8080)

    Uses FRONTWIRE_KAFKA_BOOTSTRAP, else an embedded broker already started with
    `frontwire broker`, else starts one.
    """
    from frontwire.serve import serve as serve_one

    settings = _settings(service)
    sys.exit(_friendly(service, lambda: serve_one(service, settings)))


@cli.command(short_help="Run the embedded Kafka-compatible broker.")
@click.option("--port", default=0, type=click.IntRange(0, 65535), help="Port (default: a free one).")
def broker(port: int) -> None:
    """Run the embedded Kafka-compatible broker (tansu) and create frontwire's topics.

    Other frontwire commands started with the same FRONTWIRE_DATA_DIR find and use it.
    It keeps everything in memory: stopping it loses every record.
    """
    import signal as sig
    import threading

    from frontwire import broker as embedded
    from services.runtime.kafka import ensure_topics

    settings = _settings("broker")

    def main() -> int:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        with embedded.EmbeddedBroker(port=port, log_path=settings.data_dir / "broker.log") as b:
            embedded.record(settings.data_dir, b)
            try:
                created = ensure_topics(b.bootstrap, settings.partitions)
                click.echo(f"broker listening on {b.bootstrap}; topics ready ({len(created)} created)")
                click.echo(f"use it elsewhere with FRONTWIRE_KAFKA_BOOTSTRAP={b.bootstrap}; Ctrl-C stops it")
                done = threading.Event()
                for s in (sig.SIGINT, sig.SIGTERM):
                    sig.signal(s, lambda *_: done.set())
                while not done.wait(0.5):
                    if not b.running:
                        click.echo("broker exited unexpectedly", err=True)
                        return 1
            finally:
                embedded.forget(settings.data_dir)
        click.echo("broker stopped")
        return 0

    sys.exit(_friendly("broker", main))


@cli.group(short_help="Create, list and revoke API keys.", help=(
    "Create, list and revoke API keys.\n\n\b\nA key belongs to an owner and may do what its "
    "scopes allow:\n" + "\n".join(f"  {s.value:<15}{ALLOWS[s]}" for s in Scope)))
def apikey() -> None:
    """Create, list and revoke API keys (help: above, built from the scopes)."""


def _key_store() -> Any:
    from frontwire.startup import StartupError, open_database
    from services.api.keys import ApiKeyStore

    settings = _settings("apikey")
    shown = settings.masked()["database_url"] or str(settings.data_dir / "frontwire.db")
    try:
        return ApiKeyStore(open_database(settings.sqlalchemy_url, str(shown), timeout=5))
    except StartupError as exc:
        click.echo(f"frontwire apikey: {exc}", err=True)
        sys.exit(2)


@apikey.command("create", short_help="Create a key for OWNER; print it once.")
@click.option("--owner", required=True, help="Who the key belongs to, e.g. a team or system name.")
@click.option("--name", default="", help="What the key is for (shown in `apikey list`).")
@click.option("--scope", "scopes", multiple=True, type=click.Choice([s.value for s in Scope]),
              help="What the key may do; repeat for several. Default: subscriptions. "
              + "; ".join(f"{s.value}: {ALLOWS[s]}" for s in Scope) + ".")
@click.option("--expires", metavar="WHEN", default=None,
              help=f"When the key stops working: {EXPIRY_FORMS}. Default: never.")
@click.option("--contact", default=None, metavar="EMAIL",
              help="Address told when one of the owner's subscriptions is disabled.")
def apikey_create(owner: str, name: str, scopes: tuple[str, ...], expires: str | None,
                  contact: str | None) -> None:
    """Create a key for OWNER and print it once: store it now, it cannot be shown again."""
    from services.api.expiry import parse_expiry
    from services.api.scopes import DEFAULT_SCOPES
    from services.runtime.timeutil import utcnow

    now = utcnow()
    try:
        expires_at = parse_expiry(expires, now) if expires is not None else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--expires'") from None
    if contact is not None:
        from email_validator import EmailNotValidError, validate_email

        try:
            contact = validate_email(contact, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            raise click.BadParameter(str(exc), param_hint="'--contact'") from None
    chosen = frozenset(Scope(s) for s in scopes) or DEFAULT_SCOPES
    try:
        key, token = _key_store().create(owner, name or owner, now, chosen, expires_at,
                                         contact=contact)
    except ValueError as exc:
        click.echo(f"frontwire apikey: {exc}", err=True)
        sys.exit(2)
    click.echo(token)
    until = f"expires {expires_at:%Y-%m-%d %H:%M} UTC" if expires_at else "does not expire"
    click.echo(f"created key {key.id} for owner {owner!r}, scopes: "
               f"{', '.join(s.value for s in Scope if s in key.scopes)}; {until}"
               + (f"; contact {key.contact}" if key.contact else "") + ". "
               "Use it as 'Authorization: Bearer <key>'", err=True)


@apikey.command("list", short_help="List keys with scopes, expiry, last use.")
def apikey_list() -> None:
    """List keys: id, owner, name, scopes, when made, when they expire, when last used (to
    the minute), the contact address, and whether active, revoked or expired. Never the
    secrets."""
    from services.runtime.timeutil import utcnow

    keys = _key_store().list()
    if not keys:
        click.echo("no API keys yet: make one with `frontwire apikey create --owner NAME`", err=True)
    for line in _key_table(keys, utcnow()) if keys else []:
        click.echo(line)


def _key_table(keys: list[ApiKey], now: datetime) -> list[str]:
    """The rows of `apikey list`, a header first, columns as wide as their widest cell."""
    def when(value: datetime | None, none: str) -> str:
        return f"{value:%Y-%m-%d %H:%M}" if value else none

    rows = [("ID", "OWNER", "NAME", "SCOPES", "CREATED", "EXPIRES", "LAST USED", "CONTACT",
             "STATE")]
    rows += [(k.id, k.owner, k.name, ",".join(s.value for s in Scope if s in k.scopes),
              when(k.created_at, "-"), when(k.expires_at, "never"), when(k.last_used_at, "never"),
              k.contact or "-", k.state(now)) for k in keys]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows]


@apikey.command("revoke")
@click.argument("key_id")
def apikey_revoke(key_id: str) -> None:
    """Revoke the key KEY_ID at once."""
    from services.runtime.timeutil import utcnow

    if not _key_store().revoke(key_id, utcnow()):
        click.echo(f"frontwire: no API key {key_id!r} (see `frontwire apikey list`)", err=True)
        sys.exit(1)
    click.echo(f"revoked {key_id}")


def _friendly(command: str, fn: Callable[[], int]) -> int:
    """Run fn; turn known failures into one clear line instead of a traceback.

    Exit codes: 2 when a setting must be fixed (a busy port, an unreachable database or
    Kafka), 1 for other known failures, 130 when interrupted.
    """
    from frontwire.broker import BrokerError
    from frontwire.startup import StartupError
    from services.ingest.sources import SourceError
    from services.runtime.kafka import KafkaUnavailable

    try:
        return fn()
    except StartupError as exc:
        click.echo(f"frontwire {command}: {exc}", err=True)
        return 2
    except (BrokerError, KafkaUnavailable, SourceError) as exc:
        click.echo(f"frontwire {command}: {exc}", err=True)
        return 1
    except KeyboardInterrupt:
        return 130


def main() -> int:
    try:
        cli.main(standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0
