"""Logging for every process: readable text by default, JSON lines on request.

``FRONTWIRE_LOG_FORMAT=json`` makes each line one JSON object with the time, level,
service, logger and message, plus the ids a line is about (``update_id``,
``alert_id``, ``subscription_id``, ``delivery_id``, ``source``) and, on the API's audit
lines, who did what (``key_id``, ``owner``, ``route``, ``status``, ``outcome``) when the
caller passes them with ``extra=``. Secrets are masked where settings are printed
(:meth:`Settings.masked`); as a second line of defence every formatted line is
scrubbed of webhook secrets, bearer keys and URL passwords.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime

# Chatty libraries whose INFO lines drown ours (and cost throughput: faust workers
# otherwise leave the root logger at DEBUG).
_QUIET = ("kafka", "aiokafka", "faust", "mode", "httpx", "httpcore", "uvicorn.access",
          "mail.log", "asyncio", "services.runtime.streams")  # the last: faust service lifecycle lines

ID_FIELDS = ("update_id", "alert_id", "subscription_id", "delivery_id", "source")
AUDIT_FIELDS = ("key_id", "owner", "route", "status", "outcome")

_SECRETS = (
    (re.compile(r"whsec_[A-Za-z0-9+/=_-]+"), "whsec_****"),
    (re.compile(r"(?i)\b(bearer\s+)[^\s\"',;]+"), r"\1****"),
    (re.compile(r"(://[^/\s:@]+:)[^@\s/]+@"), r"\1****@"),
    # Chat credentials: a Telegram bot token (also inside /bot<token>/ URLs), the secret
    # path of Slack and Discord webhooks, the sig of a Teams workflow URL.
    (re.compile(r"(\d{3,20}:)[A-Za-z0-9_-]{30,}"), r"\1****"),
    (re.compile(r"(hooks\.slack\.com/services/[^/\s]+/[^/\s]+/)[^\s\"',;]+"), r"\1****"),
    (re.compile(r"(/api/webhooks/\d+/)[^\s\"'?]+"), r"\1****"),
    (re.compile(r"([?&]sig=)[^&\s\"']+"), r"\1****"),
)


def redact(text: str) -> str:
    """text with webhook secrets, bearer keys and URL passwords replaced by ****."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class JsonFormatter(logging.Formatter):
    """One JSON object per record, with the service name and the ids the record is about."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        doc = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(), "service": self.service, "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for key in ID_FIELDS + AUDIT_FIELDS:
            if hasattr(record, key):
                doc[key] = getattr(record, key)
        if record.exc_info:
            doc["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(doc, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The readable default: time, level, logger, message; secrets scrubbed."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-5s %(name)s: %(message)s", "%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def setup(service: str, level: str = "INFO", fmt: str = "text") -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service) if fmt == "json" else TextFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    for name in _QUIET:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
