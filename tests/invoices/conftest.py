"""Invoices' test helpers: an order captured through the API, shipped in parts, the worker run."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordino.events.relay import outbox_dispatch
from ordino.invoices.models import Invoice
from ordino.wiring import SUBSCRIBERS
from tests.factories import order_body, stock

SHIP = {"carrier": "DHL", "tracking_numbers": ["JD0001"]}


def worker_runs() -> None:
    """The outbox relay delivers everything due, with the app's subscribers; none fails."""
    while True:
        delivered, failed = outbox_dispatch(subscribers=SUBSCRIBERS)
        assert failed == 0
        if not delivered:
            return


def capture(api, shop, external_id="W-1", currency="EUR", **extra) -> dict:
    """Three tees (tax 19%) and a mug at WH-A, shipping 4.90 + 0.93 tax, by default in EUR."""
    stock(shop["wh_a"], shop["TEE"], 10)
    stock(shop["wh_a"], shop["MUG"], 10)
    body = order_body(
        external_id,
        currency=currency,
        lines=extra.pop(
            "lines",
            [
                {"sku": "TEE", "quantity": 3, "unit_price": "10.00", "tax": "5.70"},
                {"sku": "MUG", "quantity": 1, "unit_price": "9.50", "tax": "1.81"},
            ],
        ),
        shipping_price=extra.pop("shipping_price", "4.90"),
        shipping_tax=extra.pop("shipping_tax", "0.93"),
        **extra,
    )
    response = api.post("/orders", body)
    assert response.status_code == 201, response.content
    return response.json()


def ship(api, fo_id: int, lines=None, tracking="JD0001") -> dict:
    body = {**SHIP, "tracking_numbers": [tracking]}
    if lines is not None:
        body["lines"] = [{"line_no": n, "quantity": q} for n, q in lines]
    response = api.post(f"/fulfillment/orders/{fo_id}/ship", body)
    assert response.status_code == 200, response.content
    return response.json()


def documents(order_id: int, kind="invoice") -> list[Invoice]:
    return list(Invoice.objects.filter(order_id=order_id, kind=kind).order_by("sequence"))


def money(value: str) -> Decimal:
    return Decimal(value)


@pytest.fixture
def mail_on(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ORDINO_INVOICE_EMAIL = True
    settings.ORDINO_SHIPPING_EMAIL = (
        False  # only the invoices' e-mails (shipping's: tests/shipping)
    )
