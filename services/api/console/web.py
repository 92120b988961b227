"""What every console page needs: templates, CSRF, the form body, the key holder's identity."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from schemas.models import LABELS
from services.api.console import forms
from services.api.console.csrf import FIELD, Csrf, CsrfError
from services.api.deps import ApiDeps, identify
from services.api.keys import ApiKeyStore, KeyRefused
from services.api.ratelimit import RateLimit
from services.api.scopes import ALLOWS, Caller, Scope

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
KEY_COOKIE = "fw_key"


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else "—"


def _num(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "unavailable"
    return f"{value:,.{digits}f}"


def _seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.1f} s"


@dataclass
class Console:
    deps: ApiDeps
    keys: ApiKeyStore
    subscribe_limit: RateLimit = field(default_factory=lambda: RateLimit(5, 600))
    address_limit: RateLimit = field(default_factory=lambda: RateLimit(3, 3600))
    env: Environment = field(init=False)
    csrf: Csrf = field(init=False)

    def __post_init__(self) -> None:
        self.env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(),
                               trim_blocks=True, lstrip_blocks=True)
        self.env.filters.update(when=_when, num=_num, seconds=_seconds)
        self.env.globals.update(labels=LABELS, label_help=forms.LABEL_HELP,
                                digest_choices=forms.DIGEST_CHOICES, scope_allows=ALLOWS)
        self.csrf = Csrf(self.deps.settings.signing_key, self.deps.settings.public_url)

    @property
    def public_url(self) -> str:
        return self.deps.settings.public_url

    def render(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        nonce, fresh = self.csrf.nonce(request)
        html = self.env.get_template(template).render(
            request=request, csrf_field=FIELD, csrf=self.csrf.field(nonce),
            holder=self.holder(request), path=request.url.path, **context)
        response = HTMLResponse(html, status_code=status)
        response.headers["Cache-Control"] = "no-store"
        if fresh:
            self.csrf.set_cookie(response, nonce)
        return response

    def error(self, request: Request, title: str, message: str, status: int) -> HTMLResponse:
        return self.render(request, "error.html", status, title=title, message=message)

    async def form(self, request: Request) -> dict[str, list[str]]:
        """The POSTed form after the CSRF check (raises CsrfError)."""
        data = forms.parse(await request.body())
        self.csrf.check(request, forms.first(data, FIELD))
        return data

    async def holder_form(self, request: Request) -> tuple[dict[str, list[str]], Caller] | HTMLResponse:
        """The form a signed-in key holder posted (CSRF checked) and who they are, if their
        key may manage subscriptions; or else the page to answer with (refused form, the
        sign-in page, or the missing scope)."""
        try:
            form = await self.form(request)
        except CsrfError as exc:
            return self.forbidden(request, exc)
        who = self.manager(request)
        if isinstance(who, HTMLResponse):
            return who
        return form, who

    def forbidden(self, request: Request, exc: CsrfError) -> HTMLResponse:
        return self.error(request, "This form cannot be accepted",
                          f"Nothing was changed: {exc}. Reload the page and send the form again "
                          "from this site.", 403)

    def caller_of_key(self, key: str) -> Caller:
        """The caller a key stands for; KeyRefused says why it is not a usable key."""
        return identify(key, self.deps.settings, self.keys, self.deps.clock())

    def holder(self, request: Request) -> Caller | None:
        """The key holder signed in on this browser (the key is re-checked on every request);
        also left in the request's state for the audit line of a form post."""
        key = request.cookies.get(KEY_COOKIE)
        if not key:
            return None
        try:
            caller = self.caller_of_key(key)
        except KeyRefused:
            return None
        request.state.caller = caller
        return caller

    def lacks_subscriptions(self, request: Request, who: Caller) -> HTMLResponse:
        """The page for a signed-in key without the ``subscriptions`` scope (403)."""
        return self.error(request, "This key cannot manage subscriptions",
                          who.lacks(Scope.SUBSCRIPTIONS, "managing subscriptions") + ".", 403)

    def manager(self, request: Request) -> Caller | HTMLResponse:
        """The signed-in holder if its key may manage subscriptions, else the page to show:
        the sign-in page (401), or what scope the key lacks (403)."""
        who = self.holder(request)
        if who is None:
            return self.render(request, "keys_login.html", 401, error=None)
        return who if who.may(Scope.SUBSCRIPTIONS) else self.lacks_subscriptions(request, who)
