"""The customer's return link: `/returns/start/<token>/`, a signed, expiring token over the
order id (django.core.signing.TimestampSigner, a salt of its own), so the customer needs no
login. A tampered or expired token is NotFound (404): it says nothing about the order."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import NotFound
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.orders.selectors import order_get

SALT = "ordino.returns.link"


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def return_link(*, order_id: int, scope: Scope = UNRESTRICTED) -> dict:
    """The link to give the customer of the order: its path, its full URL (with
    ORDINO_PUBLIC_URL when set) and when it expires."""
    order = order_get(order_id=order_id, scope=scope)
    token = _signer().sign(str(order.pk))
    path = f"/returns/start/{token}/"
    expires: datetime = utcnow() + timedelta(days=settings.ORDINO_RETURN_LINK_DAYS)
    return {
        "order_id": order.pk,
        "path": path,
        "url": settings.ORDINO_PUBLIC_URL.rstrip("/") + path,
        "expires_at": expires,
    }


def return_link_order(token: str) -> int:
    """The order id a link names; NotFound when it was tampered with or has expired."""
    max_age = timedelta(days=settings.ORDINO_RETURN_LINK_DAYS)
    try:
        value = _signer().unsign(token, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is one too
        raise NotFound("return_link", "…") from None
    return int(value)
