"""The vocabulary of the end-to-end stories: every step is an HTTP call to /api/v1 with a bearer
token, and every check reads the API's answers (orders, fulfillment orders, balances, timeline).

The one step that is not a request is `worker_runs`: what `ordino worker` does between requests
(relay the outbox to the subscribers of `wiring.py`, run the periodic jobs) — docs/fulfillment.md,
*The worker*.
"""

from __future__ import annotations

import inspect
from datetime import datetime

from ordino.events.relay import outbox_dispatch
from ordino.wiring import PERIODIC, SUBSCRIBERS
from tests.conftest import ApiClient

SHIP = {"carrier": "DHL", "service": "parcel", "tracking_numbers": ["JD0001"]}
CUSTOMER = {"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"}
ADDRESS = {"line1": "Unter den Linden 1", "city": "Berlin", "postal_code": "10117", "country": "DE"}


def order_body(external_id: str, lines: list[tuple[str, int, str]], **extra) -> dict:
    """A web order in EUR: lines as (sku, quantity, unit price)."""
    return {
        "channel": "web",
        "external_id": external_id,
        "currency": "EUR",
        "customer": CUSTOMER,
        "shipping_address": ADDRESS,
        "lines": [{"sku": s, "quantity": q, "unit_price": p} for s, q, p in lines],
        **extra,
    }


class Story:
    """One actor at the API: a token's client, and readings of what the API answers."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    # --- requests ----------------------------------------------------------------------------

    def ok(self, response, status: int = 200) -> dict:
        assert response.status_code == status, response.content
        return response.json()

    def refused(self, response, status: int, code: str) -> dict:
        assert response.status_code == status, response.content
        assert response["Content-Type"] == "application/problem+json"
        body = response.json()
        assert body["code"] == code, body
        return body

    def receive(self, location: str, sku: str, quantity: int) -> dict:
        body = {"location": location, "sku": sku, "quantity": quantity}
        return self.ok(self.api.post("/inventory/receipts", body), 201)

    def feed(self, csv: str) -> dict:
        response = self.api.client.post(
            "/api/v1/inventory/feeds", csv.encode(), content_type="text/csv", **self.api.headers
        )
        return self.ok(response, 201)

    def capture(self, body: dict) -> dict:
        order = self.ok(self.api.post("/orders", body), 201)
        assert order["replayed"] is False
        return order

    def step(self, fo_id: int, action: str, body: dict | None = None):
        """One fulfillment step (accept, pick, pack, ship, reject, ...): the raw response."""
        return self.api.post(f"/fulfillment/orders/{fo_id}/{action}", body)

    def work(self, fo_id: int, action: str, body: dict | None = None) -> dict:
        return self.ok(self.step(fo_id, action, body))

    # --- readings ----------------------------------------------------------------------------

    def order(self, order_id: int) -> dict:
        return self.ok(self.api.get(f"/orders/{order_id}"))

    def status(self, order_id: int) -> str:
        return self.order(order_id)["status"]

    def fo(self, fo_id: int) -> dict:
        return self.ok(self.api.get(f"/fulfillment/orders/{fo_id}"))

    def queue(self, **filters) -> list[int]:
        """The ids in the caller's fulfillment queue (`location=`, `status=`, `order=`)."""
        page = self.ok(self.api.get("/fulfillment/orders", **filters))
        return [f["id"] for f in page["items"]]

    def fos(self, order_id: int) -> list[tuple[str, str]]:
        """The order's fulfillment orders as (location, status), oldest first."""
        return [(f["location"], f["status"]) for f in self.order(order_id)["fulfillment_orders"]]

    def open_fo(self, order_id: int, location: str) -> int:
        (fo_id,) = [
            f["id"]
            for f in self.order(order_id)["fulfillment_orders"]
            if f["location"] == location and f["status"] == "open"
        ]
        return fo_id

    def buckets(self, order_id: int) -> list[tuple[int, int, int, int, int]]:
        """Per line: (cancelled, backordered, allocated, shipped, delivered)."""
        return [
            (
                line["quantity_cancelled"],
                line["quantity_backordered"],
                line["quantity_allocated"],
                line["quantity_shipped"],
                line["quantity_delivered"],
            )
            for line in self.order(order_id)["lines"]
        ]

    def timeline(self, order_id: int) -> list[str]:
        return [entry["kind"] for entry in self.ok(self.api.get(f"/orders/{order_id}/timeline"))]

    def told(self, order_id: int) -> list[tuple[str, str, str]]:
        """The timeline as (kind, actor, message), oldest first."""
        entries = self.ok(self.api.get(f"/orders/{order_id}/timeline"))
        return [(e["kind"], e["actor"], e["message"]) for e in entries]

    def changes(self, order_id: int) -> list[tuple[str, int, str]]:
        """The order's change records as (kind, version, amount_delta)."""
        records = self.ok(self.api.get(f"/orders/{order_id}/changes"))
        return [(c["kind"], c["version"], c["amount_delta"]) for c in records]

    def balance(self, location: str, sku: str) -> tuple[int, int, int, int]:
        """(on_hand, committed, unavailable, available) from the balances API; zeros when the
        location never held the SKU."""
        page = self.ok(self.api.get("/inventory/balances", location=location, sku=sku))
        if not page["items"]:
            return (0, 0, 0, 0)
        (row,) = page["items"]
        return (row["on_hand"], row["committed"], row["unavailable"], row["available"])

    def available(self, sku: str) -> dict[str, int]:
        """The availability API's answer: location → available, and the network's total."""
        body = self.ok(self.api.get(f"/inventory/availability/{sku}"))
        by_location = {row["location"]: row["available"] for row in body["locations"]}
        return {**by_location, "network": body["network"]}

    # --- the worker --------------------------------------------------------------------------

    def worker_runs(self, *, now: datetime | None = None) -> None:
        """One pass of `ordino worker`: relay every due event, then the periodic jobs (at `now`,
        to let time pass). Nothing may fail."""
        while True:
            delivered, failed = outbox_dispatch(subscribers=SUBSCRIBERS)
            assert failed == 0
            if not delivered:
                break
        for _every, _what, job in PERIODIC:
            if "now" in inspect.signature(job).parameters:
                job(now=now)
            else:
                job()
