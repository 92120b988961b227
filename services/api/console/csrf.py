"""CSRF protection for the console's forms: a signed double-submit cookie plus an Origin check.

The cookie holds a random nonce; every form carries ``nonce.tag`` where the tag is an
HMAC of the nonce under the link key. A POST passes only if the form's token is
signed, matches the cookie, and the request did not come from another origin
(``Origin`` / ``Sec-Fetch-Site``). A cross-site form can neither read the cookie
nor forge the tag, so it cannot produce a matching pair.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

COOKIE = "fw_csrf"
FIELD = "csrf"
_PURPOSE = b"frontwire-console-csrf-v1\x00"


class CsrfError(Exception):
    """A form POST that may come from another site; the message says why."""


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class Csrf:
    def __init__(self, key: bytes, public_url: str) -> None:
        self._key = key
        self._public = _origin(public_url)
        self.secure = public_url.startswith("https://")

    def _tag(self, nonce: str) -> str:
        return hmac.new(self._key, _PURPOSE + nonce.encode(), hashlib.sha256).hexdigest()[:32]

    def nonce(self, request: Request) -> tuple[str, bool]:
        """The session's nonce from its cookie, or a new one (True: set the cookie)."""
        current = request.cookies.get(COOKIE, "")
        if len(current) == 32 and current.isalnum():
            return current, False
        return secrets.token_hex(16), True

    def field(self, nonce: str) -> str:
        return f"{nonce}.{self._tag(nonce)}"

    def set_cookie(self, response: Response, nonce: str) -> None:
        response.set_cookie(COOKIE, nonce, httponly=True, samesite="strict", secure=self.secure,
                            path="/")

    def check(self, request: Request, form_token: str | None) -> None:
        """Raise CsrfError unless this POST came from one of our own pages."""
        origin = request.headers.get("origin")
        if origin and origin != "null":
            own = {self._public, f"{request.url.scheme}://{request.headers.get('host', '')}".lower()}
            if origin.lower() not in own:
                raise CsrfError(f"the form was sent from another site ({origin})")
        elif origin == "null":
            raise CsrfError("the form was sent from an opaque origin")
        if request.headers.get("sec-fetch-site") == "cross-site":
            raise CsrfError("the form was sent from another site")
        cookie = request.cookies.get(COOKIE)
        nonce, _, tag = (form_token or "").partition(".")
        if not cookie or not nonce:
            raise CsrfError("the form's security token is missing (are cookies enabled?)")
        if not (hmac.compare_digest(nonce, cookie) and hmac.compare_digest(tag, self._tag(nonce))):
            raise CsrfError("the form's security token does not match this browser session")
