"""The whole pipeline as separate processes on the embedded broker: blog in, signed alert out."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from frontwire.broker import EmbeddedBroker, free_port
from frontwire.demo.mailbox import Mailbox
from frontwire.demo.receiver import WebhookReceiver
from services.runtime.kafka import ensure_topics
from tests.helpers import processes

pytestmark = pytest.mark.e2e

API_KEY = "e2e-key-" + "x" * 8
POLL_EVERY = 0.2  # seconds between checks, in every wait below

# Written for this test (not from any real page): a plain-text live blog, newest first.
BLOG = """Live: the war on the coast, day 412

UPDATE 1420 GMT:

Shelling of the riverside district of Marenko killed three civilians and injured at least 11,
the regional governor said. A school and two apartment blocks were damaged.

UPDATE 0905 GMT:

The foreign ministers of two neighbouring states met in Geneva to discuss shipping rules.
"""

NEW_ENTRY = """UPDATE 1610 GMT:

Power was cut to 40,000 homes in Marenko after a drone strike hit the city's substation overnight,
and residents of two villages were ordered to evacuate.

"""


@dataclass
class Pipeline:
    env: dict[str, str]
    procs: dict[str, subprocess.Popen[bytes]]
    logs: Path
    api: str
    receiver: WebhookReceiver
    mailbox: Mailbox
    blog: Path

    def post(self, path: str, json: dict[str, Any]) -> httpx.Response:
        return httpx.post(f"{self.api}{path}", json=json, timeout=10,
                          headers={"Authorization": f"Bearer {API_KEY}"})

    def post_get(self, path: str) -> httpx.Response:
        return httpx.get(f"{self.api}{path}", timeout=10, headers={"Authorization": f"Bearer {API_KEY}"})

    def log_tail(self) -> str:
        return processes.log_tail(self.logs, 3000)


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    tmp = tmp_path_factory.mktemp("e2e")
    blog = tmp / "coast-live.txt"
    blog.write_text(BLOG)
    sources = tmp / "sources.toml"
    sources.write_text(f'[[sources]]\nid = "coast-live"\nurl = "{blog}"\nkind = "text"\ninterval = 0.5\n')
    logs = tmp / "logs"
    logs.mkdir()
    with EmbeddedBroker(log_path=tmp / "broker.log") as broker, WebhookReceiver() as receiver, \
            Mailbox() as mailbox:
        ensure_topics(broker.bootstrap, 4)
        api_port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTWIRE_")}
        env.update({
            "FRONTWIRE_KAFKA_BOOTSTRAP": broker.bootstrap, "FRONTWIRE_DATA_DIR": str(tmp / "data"),
            "FRONTWIRE_API_KEY": API_KEY, "FRONTWIRE_API_PORT": str(api_port),
            "FRONTWIRE_WEBHOOK_ALLOW_NETWORKS": "127.0.0.0/8", "FRONTWIRE_SMTP_URL": mailbox.url,
            "FRONTWIRE_SOURCES_FILE": str(sources), "FRONTWIRE_INGEST_METRICS_PORT": str(free_port()),
            "FRONTWIRE_CLASSIFY_METRICS_PORT": str(free_port()),
            "FRONTWIRE_NOTIFY_METRICS_PORT": str(free_port()),
        })
        procs = {}
        for name in ("api", "notify", "classify", "ingest"):
            out = open(logs / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
            procs[name] = subprocess.Popen([sys.executable, "-m", "frontwire", "serve", name],
                                           env=env, stdout=out, stderr=subprocess.STDOUT)
        api = f"http://127.0.0.1:{api_port}"
        pipe = Pipeline(env, procs, logs, api, receiver, mailbox, blog)
        try:
            processes.wait_for("the API", lambda: _ok(f"{api}/healthz"), 60, every=POLL_EVERY, procs=procs)
            for port_key in ("FRONTWIRE_CLASSIFY_METRICS_PORT", "FRONTWIRE_NOTIFY_METRICS_PORT"):
                processes.wait_for(port_key, lambda k=port_key: _ok(f"http://127.0.0.1:{env[k]}/healthz"),
                                   60, every=POLL_EVERY, procs=procs)
            yield pipe
        except BaseException:
            print(pipe.log_tail())
            raise
        finally:
            codes = processes.stop(procs, 30)
            hung = [name for name, code in codes.items() if code == processes.KILLED]
            if hung:
                pytest.fail(f"{', '.join(hung)} did not stop within 30s of SIGTERM")


def _metric_or_none(read: Any) -> float | None:
    try:
        return float(read())
    except httpx.HTTPError:
        return None


def _ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def test_pushed_prisoner_exchange_reaches_a_verified_webhook(pipeline: Pipeline):
    created = pipeline.post("/v1/subscriptions", {
        "name": "swaps", "labels": ["prisoner_exchange"], "min_score": 0.5,
        "webhook": {"url": f"{pipeline.receiver.base_url}/hooks/swaps"}})
    assert created.status_code == 201, created.text
    secret = created.json()["secret"]
    assert secret.startswith("whsec_")
    pipeline.receiver.add_secret("/hooks/swaps", secret)

    pushed = pipeline.post("/v1/updates", {
        "source": "wire", "headline": "Captives come home in overnight swap",
        "body": "The two armies exchanged 120 prisoners of war at the border on Sunday, "
                "with each side releasing 60 soldiers, mediators said.",
        "url": "https://news.example.org/swap", "published_at": "2025-05-04T06:00:00Z"})
    assert pushed.status_code == 202, pushed.text
    update_id = pushed.json()["id"]

    def arrived():
        return [r for r in pipeline.receiver.unique if r.path == "/hooks/swaps"]

    [hit] = processes.wait_for("the prisoner-exchange webhook", arrived, 60, every=POLL_EVERY,
                                 procs=pipeline.procs)
    alert = hit.payload["data"]
    assert hit.payload["type"] == "frontwire.alert.v1"
    assert alert["classified"]["update"]["id"] == update_id
    assert "prisoner_exchange" in alert["matched_labels"]
    assert alert["classified"]["scores"]["prisoner_exchange"] >= 0.5
    evidence = alert["classified"]["evidence"]["prisoner_exchange"]
    assert evidence, "alert carries its evidence"
    text = f"{alert['classified']['update']['headline']}\n{alert['classified']['update']['body']}"
    assert all(text[s["start"]:s["end"]] == s["text"] for s in evidence), "evidence spans point into the text"
    assert alert["classified"]["language"] == "en" and alert["classified"]["language_supported"] is True
    assert alert["classified"]["classifier_version"].startswith("rules-") and "+model-" in \
        alert["classified"]["classifier_version"], "scores come from the rules and the learned model"
    assert alert["classified"]["facts"]["prisoners_exchanged"]["value"] == 120, "and the facts"
    assert hit.headers["webhook-id"] == alert["id"]
    assert [r for r in pipeline.receiver.requests if not r.verified] == []


def test_new_blog_entry_reaches_the_mailbox(pipeline: Pipeline):
    created = pipeline.post("/v1/subscriptions", {
        "name": "harm by mail", "labels": ["civilian_harm"], "email": {"address": "desk@example.org"}})
    assert created.status_code == 201, created.text
    assert created.json()["secret"] is None

    # The subscription sees only what is new after it: grow the page.
    text = pipeline.blog.read_text()
    head, _, rest = text.partition("UPDATE 1420 GMT:")
    pipeline.blog.write_text(head + NEW_ENTRY + "UPDATE 1420 GMT:" + rest)

    def mail():
        return [m for m in pipeline.mailbox.messages if "substation" in m.get_body(("plain",)).get_content()]

    [msg] = processes.wait_for("the civilian-harm email", mail, 60, every=POLL_EVERY,
                                 procs=pipeline.procs)
    assert msg["To"] == "desk@example.org"
    assert "civilian_harm" in msg["Subject"]
    assert msg["Message-ID"].startswith("<alrt_")
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


# Written for this test: reports of nine events. Four pairs differ only in what identifies
# the event (town, donor, count); two events come twice, in other words from other outlets.
STORY_REPORTS = [
    ("wire-a", "Shelling kills two in Nikopol", "Russian shelling killed two civilians in Nikopol on "
     "Tuesday morning, the regional governor said.", "nikopol"),
    ("wire-a", "Shelling kills two in Kherson", "Russian shelling killed two civilians in Kherson on "
     "Tuesday morning, the regional governor said.", "kherson"),
    ("gaza-desk", "Strike on school shelter", "An Israeli airstrike on a school sheltering displaced "
     "families in Khan Younis killed 11 people, the civil defence agency said.", "khan-younis"),
    ("gaza-desk", "Strike on school shelter", "An Israeli airstrike on a school sheltering displaced "
     "families in Gaza City killed 11 people, the civil defence agency said.", "gaza-city"),
    ("aid-desk", "New aid package", "Denmark announced a new military aid package for Ukraine worth "
     "$100 million, including air defence systems.", "denmark"),
    ("aid-desk", "New aid package", "Germany announced a new military aid package for Ukraine worth "
     "$100 million, including air defence systems.", "germany"),
    ("wire-b", "Prisoner swap", "Russia and Ukraine exchanged 95 prisoners of war each on Friday in a "
     "swap mediated by the United Arab Emirates.", "swap-95"),
    ("wire-b", "Prisoner swap", "Russia and Ukraine exchanged 32 prisoners of war each on Friday in a "
     "swap mediated by the United Arab Emirates.", "swap-32"),
    ("wire-c", "Missile hits Dnipro apartments", "Five people were killed and 18 wounded when a missile "
     "hit a residential building in Dnipro, the regional governor said.", "dnipro"),
    ("dnipro-local", "Dnipro block struck", "A Russian missile struck an apartment block in Dnipro on "
     "Friday, killing five civilians and injuring 18, emergency services reported.", "dnipro"),
    ("kyiv-news", "POWs come home", "Ninety-five Ukrainian prisoners of war returned home on Friday "
     "under a UAE-brokered exchange with Russia, Kyiv said; 95 Russian soldiers were handed over.",
     "swap-95"),
]


def test_one_alert_per_event_whatever_the_wording(pipeline: Pipeline):
    created = pipeline.post("/v1/subscriptions", {
        "name": "everything", "labels": ["escalation", "aid", "prisoner_exchange", "civilian_harm"],
        "min_score": 0.5, "webhook": {"url": f"{pipeline.receiver.base_url}/hooks/stories"}})
    assert created.status_code == 201, created.text
    sub_id = created.json()["id"]
    pipeline.receiver.add_secret("/hooks/stories", created.json()["secret"])
    seen = f"http://127.0.0.1:{pipeline.env['FRONTWIRE_NOTIFY_METRICS_PORT']}/metrics"

    def notify_seen() -> float:
        text = httpx.get(seen, timeout=2).text
        counted = [line for line in text.splitlines() if line.startswith("frontwire_notify_updates_seen_total")]
        return float(counted[0].split()[-1]) if counted else 0.0

    before = processes.wait_for("notify's metrics", lambda: _metric_or_none(notify_seen), 30,
                                every=POLL_EVERY, procs=pipeline.procs)
    event_of: dict[str, str] = {}
    for n, (source, headline, body, event) in enumerate(STORY_REPORTS):
        pushed = pipeline.post("/v1/updates", {"source": source, "headline": headline, "body": body,
                                               "id": f"story-test-{n}"})
        assert pushed.status_code == 202, pushed.text
        event_of[pushed.json()["id"]] = event

    def settled() -> bool:
        if notify_seen() < before + len(STORY_REPORTS):
            return False
        deliveries = pipeline.post_get(f"/v1/subscriptions/{sub_id}/deliveries").json()
        return bool(deliveries) and all(d["status"] == "delivered" for d in deliveries)

    processes.wait_for("every report placed and every alert delivered", settled, 90, every=POLL_EVERY,
                       procs=pipeline.procs)
    alerts = [r.payload["data"] for r in pipeline.receiver.unique if r.path == "/hooks/stories"
              and r.payload["data"]["classified"]["update"]["id"] in event_of]
    events = sorted(event_of[a["classified"]["update"]["id"]] for a in alerts)
    assert events == sorted(set(event_of.values())), "one alert per event: none swallowed, none doubled"
    by_event = {event_of[a["classified"]["update"]["id"]]: a for a in alerts}
    assert by_event["nikopol"]["story_id"] != by_event["kherson"]["story_id"]


def test_services_shut_down_cleanly_on_sigterm(pipeline: Pipeline):
    for name, code in processes.stop(pipeline.procs, 30).items():
        assert code in (0, -signal.SIGTERM), f"{name} exited {code}\n{pipeline.log_tail()}"
