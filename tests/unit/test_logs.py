"""Structured logs: JSON lines carry the service and the ids a line is about, never a secret."""

from __future__ import annotations

import json
import logging

from services.runtime.config import Settings
from services.runtime.logs import JsonFormatter, TextFormatter, redact


def record(msg: str, *args: object, level: int = logging.INFO, **extra: object) -> logging.LogRecord:
    rec = logging.LogRecord("frontwire.notify", level, __file__, 1, msg, args, None)
    rec.__dict__.update(extra)
    return rec


def test_json_line_names_service_level_logger_and_message() -> None:
    line = JsonFormatter("notify").format(record("delivered %d alerts", 3, level=logging.WARNING))
    doc = json.loads(line)
    assert doc["service"] == "notify"
    assert doc["level"] == "warning"
    assert doc["logger"] == "frontwire.notify"
    assert doc["message"] == "delivered 3 alerts"
    assert doc["time"].endswith("+00:00")
    assert "update_id" not in doc and "alert_id" not in doc


def test_json_line_carries_the_update_and_alert_ids_passed_as_extra() -> None:
    doc = json.loads(JsonFormatter("notify").format(record(
        "delivery failed", update_id="upd_1", alert_id="alrt_2", subscription_id="sub_3",
        source="coast-live")))
    assert (doc["update_id"], doc["alert_id"], doc["subscription_id"], doc["source"]) == (
        "upd_1", "alrt_2", "sub_3", "coast-live")


def test_json_line_puts_the_traceback_in_error() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        rec = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    doc = json.loads(JsonFormatter("ingest").format(rec))
    assert "ValueError: boom" in doc["error"]


def test_printed_settings_never_contain_secrets() -> None:
    settings = Settings(api_key="key-sEcReT-1", secret_key="link-sEcReT-2",
                        database_url="postgresql+psycopg://fw:pg-sEcReT-3@db:5432/fw",
                        smtp_url="smtp+starttls://mailer:smtp-sEcReT-4@mail.example.org:587")
    line = JsonFormatter("api").format(record("starting with settings: %s", settings.masked()))
    text = TextFormatter().format(record("starting with settings: %s", settings.masked()))
    for out in (line, text):
        assert "sEcReT" not in out
    doc = json.loads(line)
    assert "'api_key': '****'" in doc["message"]
    assert "fw:****@db:5432" in doc["message"]


def test_secrets_in_free_text_are_scrubbed() -> None:
    message = ("sent with whsec_c2VjcmV0c2VjcmV0c2VjcmV0 and Authorization: Bearer abc.def-123 "
               "to postgresql://fw:hunter2@db/fw; see http://127.0.0.1:8080/docs")
    scrubbed = redact(message)
    assert "c2VjcmV0" not in scrubbed and "abc.def-123" not in scrubbed and "hunter2" not in scrubbed
    assert "whsec_****" in scrubbed and "Bearer ****" in scrubbed and "fw:****@db" in scrubbed
    assert "http://127.0.0.1:8080/docs" in scrubbed
    doc = json.loads(JsonFormatter("api").format(record(message)))
    assert "hunter2" not in doc["message"]


def test_chat_credentials_in_free_text_are_scrubbed() -> None:
    message = ("POST https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage, "
               "https://hooks.slack.com/services/T0001/B0001/XXXXXXXXXXXXXXXXXXXXXXXX, "
               "https://discord.com/api/webhooks/112233/tOkEnSeCrEt?wait=true and "
               "https://prod-12.westeurope.logic.azure.com/workflows/9f/triggers/manual/paths/invoke"
               "?api-version=1&sig=Zk9vYmFy")
    scrubbed = redact(message)
    for secret in ("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "XXXXXXXXXXXXXXXXXXXXXXXX", "tOkEnSeCrEt",
                   "Zk9vYmFy"):
        assert secret not in scrubbed
    assert "bot123456789:****/sendMessage" in scrubbed and "/api/webhooks/112233/****?wait=true" in scrubbed
