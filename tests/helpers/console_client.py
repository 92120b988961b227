"""Driving the web console as a browser would: read the CSRF field of a page, post forms."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def post_form(client: TestClient, path: str, data: dict[str, Any], form_from: str | None = None) -> Any:
    """POST ``data`` to ``path`` with the CSRF token of the page the form is on."""
    match = CSRF.search(client.get(form_from or path).text)
    assert match, f"no CSRF field on {form_from or path}"
    return client.post(path, data={"csrf": match.group(1), **data}, follow_redirects=False)


def sign_in(client: TestClient, key: str) -> None:
    got = post_form(client, "/keys", {"key": key})
    assert got.status_code == 303, got.text
