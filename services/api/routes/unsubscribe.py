"""One-click unsubscribe (RFC 8058) from the link in every alert email: no account needed.

GET shows a page with a button (mail scanners follow GET links, so GET never
unsubscribes); POST — the button, or the mail client's one-click request with
``List-Unsubscribe=One-Click`` — stops the subscription.
"""

from __future__ import annotations

import html
import logging

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse

from services.api.deps import ApiDeps
from services.notify.store import NotFound, SubscriptionStore
from services.notify.tokens import verify_unsubscribe_token

log = logging.getLogger("frontwire.api")

PAGE = """<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem">
<h1>{title}</h1><p>{text}</p>{form}</body></html>"""


def router(deps: ApiDeps) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["unsubscribe"])
    subs = SubscriptionStore(deps.engine)
    key = deps.settings.signing_key

    def subscription_for(token: str) -> str:
        sub_id = verify_unsubscribe_token(token, key)
        if sub_id is None:
            raise HTTPException(404, "this unsubscribe link is not valid")
        return sub_id

    @router.get("/unsubscribe/{token}", response_class=HTMLResponse)
    def unsubscribe_page(token: str) -> HTMLResponse:
        sub_id = subscription_for(token)
        try:
            sub = subs.get(sub_id).subscription
        except NotFound:
            return HTMLResponse(PAGE.format(title="Already unsubscribed",
                                            text="This subscription no longer exists.", form=""))
        form = (f'<form method="post"><button type="submit">Unsubscribe from '
                f'&ldquo;{html.escape(sub.name)}&rdquo;</button></form>')
        return HTMLResponse(PAGE.format(title="Unsubscribe", form=form,
                                        text="Stop frontwire alerts to this address?"))

    @router.post("/unsubscribe/{token}", response_class=HTMLResponse)
    def unsubscribe(token: str) -> HTMLResponse:
        sub_id = subscription_for(token)
        subs.disable(sub_id, "unsubscribed by the recipient", deps.clock())  # no-op if gone
        log.info("subscription %s unsubscribed from its email link", sub_id,
                 extra={"subscription_id": sub_id})
        return HTMLResponse(PAGE.format(title="Unsubscribed", form="",
                                        text="You will get no more alerts from this subscription."))

    return router
