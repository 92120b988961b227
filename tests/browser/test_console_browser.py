"""Drive the console in headless Chromium: sign up by email, confirm from the mailbox, see an
alert arrive by mail and the update appear live in the feed, unsubscribe from the emailed link;
bad and cross-site sign-ups; a key holder's webhook, its secret and its delivery log.

Set FRONTWIRE_SCREENSHOTS=1 to also write docs/console-*.png from this run.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from frontwire.broker import free_port
from tests.browser.conftest import API_KEY, REPO, Stack
from tests.helpers.processes import wait_for

pytestmark = pytest.mark.e2e
SCREENSHOTS = os.environ.get("FRONTWIRE_SCREENSHOTS") == "1"


def by_css(driver: Any, selector: str) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, selector)


def all_css(driver: Any, selector: str) -> list[Any]:
    from selenium.webdriver.common.by import By

    return list(driver.find_elements(By.CSS_SELECTOR, selector))


def submit(driver: Any, selector: str, within: Any = None) -> None:
    """Click a button that loads a new page, and wait until the new page is there."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    old = by_css(driver, "html")

    def replaced(_driver: Any) -> bool:
        try:
            old.is_enabled()
            return False
        except WebDriverException:  # stale, or "node does not belong to the document"
            return True

    by_css(within or driver, selector).click()
    WebDriverWait(driver, 15).until(replaced)
    WebDriverWait(driver, 15).until(
        lambda d: d.execute_script("return document.readyState") == "complete")


def text_of(driver: Any) -> str:
    return str(by_css(driver, "main").text)


def mails_to(stack: Stack, address: str, subject_part: str) -> list[EmailMessage]:
    return [m for m in stack.mailbox.messages if m["To"] == address and subject_part in m["Subject"]]


def link_in(msg: EmailMessage, pattern: str) -> str:
    found = re.search(pattern, msg.get_body(("plain",)).get_content())
    assert found, f"no link matching {pattern!r} in the email"
    return found.group(0)


def subscriptions(stack: Stack) -> list[dict[str, Any]]:
    return list(stack.call("GET", "/v1/subscriptions", params={"limit": 500}).json()["items"])


def fill_signup(driver: Any, stack: Stack, address: str, labels: list[str]) -> None:
    driver.get(f"{stack.api}/subscribe")
    by_css(driver, "#f-address").send_keys(address)
    for label in labels:
        by_css(driver, f"#label-{label}").click()


def shoot(driver: Any, name: str, width: int = 1280) -> None:
    """A full-page PNG in docs/ (only with FRONTWIRE_SCREENSHOTS=1)."""
    if not SCREENSHOTS:
        return
    driver.set_window_size(width, 900)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(int(height) + 140, 4000))
    by_css(driver, "body").screenshot(str(REPO / "docs" / name))
    driver.set_window_size(1280, 900)


def test_sign_up_confirm_get_an_alert_see_it_live_and_unsubscribe(stack: Stack, browser: Any):
    address = "desk@example.org"
    fill_signup(browser, stack, address, ["civilian_harm"])
    by_css(browser, "#f-keywords").send_keys("Marenko")
    submit(browser, "form.stack button[type=submit]")
    assert "Check your inbox" in text_of(browser)
    [pending] = [s for s in subscriptions(stack) if s.get("email", {}) and s["email"]["address"] == address]
    assert pending["status"] == "pending"

    [confirmation] = wait_for("the confirmation email", lambda: mails_to(stack, address, "Confirm"),
                              procs=stack.procs)
    browser.get(link_in(confirmation, r"http://\S+/confirm/\S+"))
    submit(browser, "main form button[type=submit]")
    assert "Confirmed. Your alerts have started." in text_of(browser)
    assert [s["status"] for s in subscriptions(stack) if s["id"] == pending["id"]] == ["active"]

    browser.get(f"{stack.api}/")
    assert "Updating live" in by_css(browser, "#live-status").text
    update_id = stack.push(
        "river-desk", "Shelling hits Marenko market",
        "Four civilians were killed and 9 injured when shelling hit the covered market in Marenko "
        "on Tuesday morning, the town's mayor said.", url="https://news.example.org/marenko-market")
    article = wait_for("the update in the live feed (no reload)",
                       lambda: all_css(browser, f'article[id="u-{update_id}"]'), 40,
                       procs=stack.procs)[0]
    assert "Shelling hits Marenko market" in article.text
    assert all_css(article, "mark.ev"), "the evidence is highlighted"
    assert "civilian harm" in article.text

    [alert] = wait_for("the alert email", lambda: mails_to(stack, address, "civilian_harm"), 40,
                       procs=stack.procs)
    assert "Marenko" in alert["Subject"]
    manage = link_in(alert, r"http://\S+/manage/\S+")
    browser.get(manage)
    assert address in text_of(browser)

    browser.get(link_in(alert, r"http://\S+/v1/unsubscribe/\S+"))
    submit(browser, "form button[type=submit]")
    assert "Unsubscribed" in by_css(browser, "h1").text
    assert [s["status"] for s in subscriptions(stack) if s["id"] == pending["id"]] == ["disabled"]


@pytest.fixture
def other_site(stack: Stack, tmp_path: Path) -> Iterator[str]:
    """A page on another origin (localhost, not 127.0.0.1) with a form posting to the console."""
    (tmp_path / "evil.html").write_text(
        f'<!doctype html><form method="post" action="{stack.api}/subscribe">'
        '<input name="address" value="victim@example.org"><input name="labels" value="aid">'
        '<button type="submit">Win a prize</button></form>')
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(SimpleHTTPRequestHandler,
                                                              directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://localhost:{port}/evil.html"
    finally:
        server.shutdown()


def test_bad_address_unknown_label_and_cross_site_sign_ups_show_an_error_and_create_nothing(
        stack: Stack, browser: Any, other_site: str):
    before, mails = len(subscriptions(stack)), len(stack.mailbox.messages)

    fill_signup(browser, stack, "not an address", ["aid"])
    submit(browser, "form.stack button[type=submit]")
    summary = by_css(browser, "#error-summary")
    assert "is not a valid email address" in summary.text and "Nothing was created" in summary.text
    assert by_css(browser, "#f-address").get_attribute("aria-invalid") == "true"

    fill_signup(browser, stack, "someone@example.org", [])
    browser.execute_script("var b = document.getElementById('label-aid'); b.value = 'weather'; b.checked = true;")
    submit(browser, "form.stack button[type=submit]")
    assert "Unknown label 'weather'" in by_css(browser, "#error-summary").text

    browser.get(other_site)
    submit(browser, "button")
    assert "This form cannot be accepted" in text_of(browser)

    assert len(subscriptions(stack)) == before and len(stack.mailbox.messages) == mails


def test_key_holder_makes_a_webhook_sees_its_secret_once_and_its_delivery_log(stack: Stack, browser: Any):
    browser.get(f"{stack.api}/keys")
    by_css(browser, "#f-key").send_keys(API_KEY)
    submit(browser, "main form button[type=submit]")
    assert "Subscriptions" in by_css(browser, "h1").text
    submit(browser, "a.button[href='/webhooks/new']")
    by_css(browser, "#f-url").send_keys(f"{stack.receiver.base_url}/hooks/console")
    by_css(browser, "#f-name").send_keys("Newsroom intake")
    by_css(browser, "#label-aid").click()
    by_css(browser, "#label-prisoner_exchange").click()
    submit(browser, "form.stack button[type=submit]")
    secret = by_css(browser, "#secret").get_attribute("value")
    assert secret.startswith("whsec_")
    stack.receiver.add_secret("/hooks/console", secret)
    stack.receiver.script(503)  # the first attempt fails, the retry succeeds

    submit(browser, "main form button[type=submit]")  # "Send a test delivery"
    assert "A test alert is queued" in text_of(browser)
    assert secret not in browser.page_source

    def delivered() -> bool:
        browser.refresh()
        rows = all_css(browser, "table.log tbody tr")
        return bool(rows) and "delivered" in rows[0].text

    wait_for("the test delivery in the log", delivered, 30, procs=stack.procs)
    row = all_css(browser, "table.log tbody tr")[0].text
    assert "200" in row and re.search(r"\b2\b", row), row  # two attempts: 503, then 200
    assert [r.status for r in stack.receiver.requests] == [503, 200]
    attempts = [r.text for r in all_css(browser, "table.attempt-log tbody tr")]
    assert len(attempts) == 2 and "retry" in attempts[0] and "503" in attempts[0], attempts
    assert "delivered" in attempts[1] and "200" in attempts[1], attempts

    submit(browser, "table.log button")  # Replay
    assert "queued again" in text_of(browser)
    wait_for("the replayed delivery", lambda: len(stack.receiver.requests) == 3, 30, procs=stack.procs)
    assert stack.receiver.duplicates == 1, "a replay keeps its webhook-id: receivers dedupe"


@pytest.mark.skipif(not SCREENSHOTS, reason="set FRONTWIRE_SCREENSHOTS=1 to write docs/console-*.png")
def test_screenshots_of_the_feed_and_the_sign_up_form(stack: Stack, browser: Any):
    # Written for this page: two outlets' reports of one swap make one story.
    for source, head, body in [
            ("aid-monitor", "Aid convoy reaches Selvino",
             "A convoy of 40 trucks carrying food and medicine reached Selvino on Thursday, the UN "
             "said, the first humanitarian aid to arrive in a month."),
            ("coast-wire", "Missile strike on the port of Selvino",
             "Russian forces launched a missile strike on the port of Selvino overnight, damaging "
             "two grain terminals, and opened a new offensive along the southern front, the army said."),
            ("coast-wire", "Prisoner swap at the northern crossing",
             "The two sides exchanged 95 prisoners of war at the northern border crossing on "
             "Wednesday, with mediators present, officials said."),
            ("harbour-live", "95 prisoners of war come home",
             "The two sides exchanged 95 prisoners of war at the northern border crossing on "
             "Wednesday, the ombudsman said, thanking the mediators.")]:
        uid = stack.push(source, head, body, url=f"https://news.example.org/{source}")
    browser.get(f"{stack.api}/")
    wait_for("the last update in the feed", lambda: all_css(browser, f'article[id="u-{uid}"]'), 40,
             procs=stack.procs)
    browser.get(f"{stack.api}/")
    for box in all_css(browser, "details.others"):
        browser.execute_script("arguments[0].open = true", box)
    shoot(browser, "console-feed.png")
    shoot(browser, "console-feed-phone.png", width=390)
    browser.get(f"{stack.api}/subscribe")
    by_css(browser, "#f-address").send_keys("analyst@example.org")
    by_css(browser, "#label-civilian_harm").click()
    by_css(browser, "#label-escalation").click()
    by_css(browser, "#f-places").send_keys("Selvino, Marenko")
    shoot(browser, "console-subscribe.png", width=390)
    browser.get(f"{stack.api}/operator")
    shoot(browser, "console-operator.png")

    # The key holder's delivery log, with one delivery that failed every attempt.
    browser.get(f"{stack.api}/keys")
    [link] = [a for a in all_css(browser, "main table a") if a.text == "Newsroom intake"]
    browser.get(link.get_attribute("href"))
    stack.receiver.set_status(500)
    submit(browser, "main form button[type=submit]")  # "Send a test delivery"

    def failed() -> bool:
        browser.refresh()
        rows = all_css(browser, "table.log tbody tr")
        return bool(rows) and "failed" in rows[0].text

    wait_for("the failed test delivery", failed, 30, procs=stack.procs)
    stack.receiver.set_status(200)
    browser.get(browser.current_url.split("?")[0])
    shoot(browser, "console-deliveries.png")
