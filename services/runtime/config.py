"""Typed settings for every frontwire process, read once at start.

Sources, in order of precedence: ``FRONTWIRE_*`` environment variables, then a
TOML file named by ``FRONTWIRE_CONFIG`` (same keys, lower case, without the
prefix), then the defaults below. A bad value stops the process with a line
that names the setting (see :func:`load`); so does a config file that is missing,
is not TOML, or has a key that is not a setting (a typo would otherwise be ignored).
"""

from __future__ import annotations

import difflib
import ipaddress
import os
import tomllib
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

ENV_PREFIX = "FRONTWIRE_"


class ConfigError(Exception):
    """A setting is missing or malformed; the message names it and says what to do."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", frozen=True)

    kafka_bootstrap: str | None = Field(
        default=None, description="host:port[,host:port] of Kafka; unset = embedded tansu broker")
    data_dir: Path = Field(default=Path(".frontwire"), description="SQLite file and local state")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL, e.g. postgresql+psycopg://u@host/db; unset = SQLite")
    api_key: SecretStr | None = Field(default=None, description="bearer key with full API rights")
    api_host: str = Field(default="127.0.0.1", description="address the API binds")
    api_port: int = Field(default=8080, ge=1, le=65535)
    api_writes_per_minute: int = Field(
        default=60, ge=0, le=1_000_000,
        description="writes (POST, PATCH, DELETE) each API key may make a minute, pushed "
        "updates aside; more get 429 with Retry-After; 0 = no limit")
    api_updates_per_minute: int = Field(
        default=600, ge=0, le=1_000_000,
        description="updates each API key may push a minute (POST /v1/updates); 0 = no limit")
    webhook_allow_networks: str = Field(
        default="", description="comma-separated CIDRs webhooks may target despite being private")
    smtp_url: str = Field(default="smtp://127.0.0.1:1025",
                          description="smtp://host:port, smtp+starttls://user:pass@host:port, smtps://...")
    mail_from: str = Field(default="frontwire <alerts@frontwire.invalid>")
    public_url: str = Field(
        default="http://127.0.0.1:8080",
        description="base of links in alerts; unset = http://<api_host>:<api_port> (127.0.0.1 "
        "when the API binds every address)")
    sources_file: Path | None = Field(default=None, description="TOML file of [[sources]]")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    metrics_host: str = Field(default="127.0.0.1", description="address the metrics ports bind")
    ingest_metrics_port: int = Field(default=9101, ge=0, le=65535)
    classify_metrics_port: int = Field(default=9102, ge=0, le=65535)
    notify_metrics_port: int = Field(default=9103, ge=0, le=65535)
    partitions: int = Field(default=4, ge=1, le=256, description="partitions per topic created")
    consumer_fetch_wait_ms: int = Field(default=10, ge=1, le=5000)
    consumer_session_timeout: float = Field(default=6.0, ge=1.0, le=300.0)
    default_poll_interval: float = Field(default=30.0, ge=0.2)
    retry_schedule: str = Field(
        default="", description="comma-separated seconds between delivery attempts, e.g. "
        "'5,300,1800'; unset = the built-in 5 s, 5 min, 30 min, 2 h, 5 h, 10 h")
    delivery_lease: float = Field(
        default=90.0, ge=1.0, le=3600.0,
        description="seconds a notify worker holds a claimed delivery; a crashed worker's "
        "claims are retried after it")
    startup_wait: float = Field(
        default=30.0, ge=0.0, le=3600.0,
        description="seconds a service waits at start for Kafka and the database to answer "
        "before it gives up")
    secret_key: SecretStr | None = Field(
        default=None, description="key for unsubscribe links; unset = derived from api_key")
    telegram_api_url: str = Field(
        default="https://api.telegram.org",
        description="Telegram Bot API server of telegram subscriptions that name none")
    ntfy_url: str = Field(default="https://ntfy.sh",
                          description="ntfy server of ntfy subscriptions that name none")
    delivery_log_days: float = Field(
        default=30.0, gt=0, le=3650, description="days every delivery attempt stays on record")

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = os.environ.get(ENV_PREFIX + "CONFIG")
        if path:
            values = read_config_file(Path(path), set(cls.model_fields))
            sources.append(InitSettingsSource(settings_cls, init_kwargs=values))
        return tuple(sources)

    @model_validator(mode="before")
    @classmethod
    def _public_url_from_api(cls, data: Any) -> Any:
        # Links in mails must reach the API where it really listens, so an API moved
        # to another port takes its links along unless public_url is set explicitly.
        if isinstance(data, dict) and not data.get("public_url"):
            port = str(data.get("api_port", 8080)).strip()
            if port.isdigit():
                data = {**data, "public_url": default_public_url(
                    str(data.get("api_host") or "127.0.0.1"), int(port))}
        return data

    @field_validator("webhook_allow_networks")
    @classmethod
    def _networks(cls, value: str) -> str:
        for part in filter(None, (p.strip() for p in value.split(","))):
            try:
                ipaddress.ip_network(part, strict=False)
            except ValueError:
                raise ValueError(f"{part!r} is not a CIDR network such as 127.0.0.0/8") from None
        return value

    @field_validator("retry_schedule")
    @classmethod
    def _schedule(cls, value: str) -> str:
        _delays(value)
        return value

    @field_validator("smtp_url")
    @classmethod
    def _smtp(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("smtp", "smtp+starttls", "smtps") or not parts.hostname:
            raise ValueError("expected smtp://host:port, smtp+starttls://user:pass@host:port or smtps://...")
        return value

    @field_validator("public_url", "telegram_api_url", "ntfy_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("expected an http(s) URL such as https://alerts.example.org")
        return value.rstrip("/")

    @field_validator("kafka_bootstrap")
    @classmethod
    def _bootstrap(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        for server in value.split(","):
            host, _, port = server.strip().rpartition(":")
            if not host or not port.isdigit():
                raise ValueError(f"{server!r} is not host:port")
        return value.strip()

    # Derived values -----------------------------------------------------------------

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'frontwire.db').resolve()}"

    @property
    def retry_delays(self) -> tuple[float, ...] | None:
        """The retry schedule in seconds, or None for the built-in one."""
        return _delays(self.retry_schedule) or None

    @property
    def allowed_networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [ipaddress.ip_network(p.strip(), strict=False)
                for p in self.webhook_allow_networks.split(",") if p.strip()]

    @property
    def signing_key(self) -> bytes:
        """Key for unsubscribe and manage links: secret_key, else derived from api_key."""
        import hashlib

        for secret in (self.secret_key, self.api_key):
            if secret is not None and secret.get_secret_value():
                return hashlib.sha256(b"frontwire-links\x00" + secret.get_secret_value().encode()).digest()
        # Neither set: a random key kept in the data dir, shared by the local processes.
        import secrets

        path = self.data_dir / "link.key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_bytes(secrets.token_bytes(32))
            path.chmod(0o600)
        return path.read_bytes()

    def masked(self) -> dict[str, Any]:
        """Settings as printed at start: secrets masked, URLs without passwords."""
        out: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                value = "****" if value.get_secret_value() else None
            elif name in ("database_url", "smtp_url") and value:
                value = _mask_password(str(value))
            out[name] = str(value) if isinstance(value, Path) else value
        return out


def default_public_url(api_host: str, api_port: int) -> str:
    """``http://host:port`` of the API as a browser on this machine reaches it."""
    host = api_host.strip("[]")
    if host in ("", "0.0.0.0", "::"):  # bound to every address: loopback is one of them
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{api_port}"


def read_config_file(path: Path, keys: set[str]) -> dict[str, Any]:
    """The settings in the TOML file at path; ConfigError names the file and any unknown key."""
    where = f"{ENV_PREFIX}CONFIG={path}"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{where}: no such file (unset {ENV_PREFIX}CONFIG to use no file)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: cannot read it ({exc})") from None
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML ({exc})") from None
    unknown = [key for key in values if key not in keys]
    if unknown:
        raise ConfigError(f"{where}: " + "; ".join(_unknown_key(key, keys) for key in unknown)
                          + f". Its keys are the settings of the README's configuration table, "
                          f"lower case, without {ENV_PREFIX}.")
    return values


def _unknown_key(key: str, keys: set[str]) -> str:
    plain = key.lower().removeprefix(ENV_PREFIX.lower())
    if plain in keys:
        return f"unknown key {key!r} (write it as {plain!r})"
    close = difflib.get_close_matches(plain, sorted(keys), n=1, cutoff=0.75)
    return f"unknown key {key!r}" + (f" (did you mean {close[0]!r}?)" if close else "")


def _delays(text: str) -> tuple[float, ...]:
    """Parse "0.5, 1, 2" into seconds; ValueError names the bad item."""
    delays: list[float] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        try:
            delay = float(part)
        except ValueError:
            raise ValueError(f"{part!r} is not a number of seconds") from None
        if not 0 <= delay <= 86400 or delay != delay:
            raise ValueError(f"{part!r} must be between 0 and 86400 seconds")
        delays.append(delay)
    return tuple(delays)


def _mask_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":****@", 1)
    return url


def load(**overrides: Any) -> Settings:
    """Read the settings; raise ConfigError naming each bad key."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            key = ENV_PREFIX + "_".join(str(p) for p in err["loc"][:1]).upper()
            msg = err["msg"].removeprefix("Value error, ")
            lines.append(f"{key}: {msg} (got {err.get('input')!r})")
        raise ConfigError("bad configuration:\n  " + "\n  ".join(lines)) from None
