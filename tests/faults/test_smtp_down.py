"""The SMTP server is down for a while, then back: every mail arrives, once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from frontwire.broker import free_port
from frontwire.demo.mailbox import Mailbox
from tests.faults.conftest import Pipeline, swap_text

pytestmark = pytest.mark.faults


def test_mail_queued_while_smtp_is_down_is_delivered_once_when_it_is_back(
        make_pipeline: Callable[..., Pipeline]) -> None:
    mailbox = Mailbox(port=free_port())
    pipe = make_pipeline("api", "classify", "notify", env={"FRONTWIRE_SMTP_URL": mailbox.url})
    created = pipe.request("POST", "/v1/subscriptions", json={
        "name": "swaps by mail", "labels": ["prisoner_exchange"],
        "email": {"address": "desk@example.org"}})
    assert created.status_code == 201, created.text
    sub = created.json()["id"]

    pipe.push_swaps("mail", 5)
    pipe.wait("every mail to fail twice against the closed port", lambda: (
        len(rows := pipe.deliveries(sub)) == 5
        and all(r["attempts"] >= 2 and r["status"] == "pending" and r["last_error"] for r in rows)), 45)

    with mailbox:
        pipe.wait("the mails once the server is back", lambda: len(mailbox.messages) >= 5, 30)
        pipe.wait("the deliveries recorded", lambda: all(
            r["status"] == "delivered" for r in pipe.deliveries(sub)), 30)
        messages = list(mailbox.messages)

    ids = Counter(m["Message-ID"] for m in messages)
    assert len(ids) == 5 and set(ids.values()) == {1}, ids
    subjects = sorted(str(m["Subject"]) for m in messages)
    assert all(any(swap_text("mail", i)[0] in s for s in subjects) for i in range(5)), subjects
    assert all(m["To"] == "desk@example.org" for m in messages)
