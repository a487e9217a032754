"""The cost of money: an order's whole money cycle on the test provider, step by step, against
the same orders captured and shipped without money, measured in the same run.

Each order of the money cycle (two tees at 19.99 and a mug at 9.50, EUR, one test card
`tok_approve`) goes through, over the HTTP API (Django's test client, a full-scope token) and
the outbox worker (`outbox_dispatch` with the app's subscribers):

  capture (POST /orders with the card) → worker: authorize → ship one tee → worker: capture
  per shipment, invoice → ship the rest → worker: capture, invoice → refund the mug
  (POST /orders/{id}/refunds) → worker: refund, credit note → return a tee (request, approve,
  receive) → worker: refund, credit note.

The baseline: the same capture and the two shipments, with their worker runs, on a channel
without payments whose orders are not invoiced (the marketplace's setting): what Ordino costs
before any money moves. Printed per step: SQL statements (every statement the step sent,
token and idempotency ones included) and milliseconds per order; per cycle: orders per second
and the ratio money ÷ baseline (speed; below 1: money costs that much). Rounds alternate the
two; the ratio is their median. Never fails on a time.

Run alone: `python -m bench.money [--db sqlite|postgres|both] [--orders N] [--rounds N]`, or in
the suite: `python -m bench.run --only money`. `setup` and `measure` run inside Django
(tests.concurrency.live.django_call)."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

MONEY, PLAIN = "bench-money", "bench-plain"
SHIP = {"carrier": "DHL", "service": "parcel", "tracking_numbers": ["JD0001"]}
MONEY_STEPS = (
    "capture",
    "worker: authorize",
    "ship 1 of 3 units",
    "worker: capture + invoice",
    "ship the rest",
    "worker: capture + invoice (last)",
    "refund a line",
    "worker: refund + credit note",
    "return a unit (request, approve, receive)",
    "worker: return's refund + credit note",
)
PLAIN_STEPS = (
    "capture",
    "worker",
    "ship 1 of 3 units",
    "worker",
    "ship the rest",
    "worker",
)


def setup(*, orders: int) -> dict:
    """Two channels (one not invoiced), a warehouse, the two SKUs with stock for every order
    of every round, a full-scope token."""
    from ordino.accounts.services import token_create
    from ordino.catalog.models import Product, Sku
    from ordino.channels.models import Channel
    from ordino.inventory.domain.ledger import AVAILABLE, EXTERNAL, Movement
    from ordino.inventory.ledger import LedgerContext, movements_apply
    from ordino.invoices.services import channel_invoicing_set
    from ordino.locations.models import Location

    for code in (MONEY, PLAIN):
        Channel.objects.create(code=code, name=code, kind="web", currency="EUR")
    channel_invoicing_set(channel_id=Channel.objects.get(code=PLAIN).pk, skip=True)
    wh = Location.objects.create(
        code="BENCH-WH", name="Bench warehouse", kind="warehouse", country="DE", ships=True
    )
    moves = []
    for code in ("TEE", "MUG"):
        product = Product.objects.create(code=f"P-{code}", name=code)
        sku = Sku.objects.create(product=product, code=code, name=code)
        moves.append(Movement(wh.pk, sku.pk, EXTERNAL, AVAILABLE, orders * 3))
    movements_apply(moves, context=LedgerContext(reason="receive", actor="bench"))
    return {"token": token_create(name="bench", scopes="*").secret}


class _Api:
    def __init__(self, token: str) -> None:
        from django.test import Client

        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def post(self, path: str, body: dict | None = None) -> dict:
        response = self.client.post(
            f"/api/v1{path}",
            data=json.dumps(body or {}),
            content_type="application/json",
            **self.headers,
        )
        assert response.status_code in (200, 201), (path, response.content[:500])
        return response.json()


def _worker() -> None:
    from ordino.events.relay import outbox_dispatch
    from ordino.wiring import SUBSCRIBERS

    for _ in range(20):
        delivered, failed = outbox_dispatch(subscribers=SUBSCRIBERS)
        assert failed == 0, "a subscriber failed"
        if not delivered:
            return


def _order_body(channel: str, external_id: str, money: bool) -> dict:
    body = {
        "channel": channel,
        "external_id": external_id,
        "currency": "EUR",
        "customer": {"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"},
        "shipping_address": {"name": "Ada Lovelace", "line1": "Unter den Linden 1",
                             "city": "Berlin", "postal_code": "10117", "country": "DE"},
        "lines": [{"sku": "TEE", "quantity": 2, "unit_price": "19.99"},
                  {"sku": "MUG", "quantity": 1, "unit_price": "9.50"}],
    }  # fmt: skip
    if money:
        body["payments"] = [{"method": "card", "provider": "test", "token": "tok_approve"}]
    return body


def _cycle(api: _Api, channel: str, external_id: str, money: bool) -> list[tuple[int, float]]:
    """One order through its steps: (statements, seconds) per step."""
    from django.db import connection

    state: dict = {}

    def capture():
        order = api.post("/orders", _order_body(channel, external_id, money))
        state["order"], state["fo"] = order["id"], order["fulfillment_orders"][0]["id"]

    def ship_one():
        api.post(f"/fulfillment/orders/{state['fo']}/ship",
                 {**SHIP, "lines": [{"line_no": 1, "quantity": 1}]})  # fmt: skip

    def ship_rest():
        api.post(f"/fulfillment/orders/{state['fo']}/ship", {**SHIP, "tracking_numbers": ["J2"]})

    def refund():
        api.post(f"/orders/{state['order']}/refunds",
                 {"lines": [{"line_no": 2, "quantity": 1}], "reason": "damaged"})  # fmt: skip

    def return_one():
        body = {"location": "BENCH-WH", "reason": "size_or_fit",
                "lines": [{"line_no": 1, "quantity": 1}]}  # fmt: skip
        rid = api.post(f"/orders/{state['order']}/returns", body)["id"]
        api.post(f"/returns/{rid}/approve", {})
        api.post(f"/returns/{rid}/receive", {"lines": [{"line_no": 1, "restock": 1}]})

    steps = [capture, _worker, ship_one, _worker, ship_rest, _worker]
    if money:
        steps += [refund, _worker, return_one, _worker]
    measured = []
    for step in steps:
        # A wrapper, not CaptureQueriesContext: the debug log keeps only the last 9,000
        # statements, so over a long run it stops growing and counts 0.
        sent = [0]

        def count(execute, sql, params, many, context, sent=sent):
            sent[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            started = time.perf_counter()
            step()
            took = time.perf_counter() - started
        measured.append((sent[0], took))
    return measured


def measure(*, orders: int, rounds: int, token: str) -> dict:
    """`rounds` rounds, each `orders` money cycles then `orders` plain ones (after a warm-up
    order of each); figures per step and per cycle, the ratio per round and its median."""
    from django.conf import settings

    settings.ORDINO_API_RATE_LIMIT = 0
    api = _Api(token)
    _cycle(api, MONEY, "warm-money", True)
    _cycle(api, PLAIN, "warm-plain", False)
    per_step = {MONEY: [[] for _ in MONEY_STEPS], PLAIN: [[] for _ in PLAIN_STEPS]}
    rates: dict[str, list[float]] = {MONEY: [], PLAIN: []}
    for r in range(rounds):
        for channel, money in ((MONEY, True), (PLAIN, False)):
            started = time.perf_counter()
            for i in range(orders):
                for j, figures in enumerate(_cycle(api, channel, f"{channel}-{r}-{i}", money)):
                    per_step[channel][j].append(figures)
            rates[channel].append(orders / (time.perf_counter() - started))
    ratios = [m / p for m, p in zip(rates[MONEY], rates[PLAIN], strict=True)]

    def steps(channel: str, names: tuple[str, ...]) -> list[dict]:
        return [
            {
                "step": name,
                "statements": max(s for s, _ in figures),
                "statements_min": min(s for s, _ in figures),
                "ms_median": round(statistics.median(t for _, t in figures) * 1000, 2),
            }
            for name, figures in zip(names, per_step[channel], strict=True)
        ]

    money_steps, plain_steps = steps(MONEY, MONEY_STEPS), steps(PLAIN, PLAIN_STEPS)
    return {
        "orders": orders,
        "rounds": rounds,
        "money_steps": money_steps,
        "plain_steps": plain_steps,
        "money_statements": sum(s["statements"] for s in money_steps),
        "plain_statements": sum(s["statements"] for s in plain_steps),
        "money_orders_per_s": round(statistics.median(rates[MONEY]), 2),
        "plain_orders_per_s": round(statistics.median(rates[PLAIN]), 2),
        "ratio_rounds": [round(x, 3) for x in ratios],
        "ratio_median": round(statistics.median(ratios), 3),
    }


def print_figures(kind: str, result: dict) -> None:
    print(f"  {kind}: {result['orders']} orders × {result['rounds']} rounds", flush=True)
    for label, key in (("money cycle", "money_steps"), ("baseline", "plain_steps")):
        print(f"    {label}:")
        for s in result[key]:
            spread = (
                "" if s["statements"] == s["statements_min"] else f" (min {s['statements_min']})"
            )
            print(f"      {s['step']:<44} {s['statements']:>4} statements{spread}  "
                  f"{s['ms_median']:>8.2f} ms")  # fmt: skip
    print(
        f"    money cycle {result['money_orders_per_s']} orders/s, {result['money_statements']} "
        f"statements; baseline {result['plain_orders_per_s']} orders/s, "
        f"{result['plain_statements']} statements; ratio (speed, money ÷ baseline) "
        f"{result['ratio_median']} (rounds {result['ratio_rounds']})",
        flush=True,
    )


def run(kind: str, quick: bool, rounds: int, workdir: Path, orders: int | None = None) -> dict:
    """Setup and measure on a fresh database of `kind` (bench.run's workload `money`)."""
    from bench.run import _fresh
    from tests.concurrency.live import django_call

    orders = orders or (5 if quick else 40)
    db = _fresh(kind, workdir)
    try:
        loaded = django_call(db, "bench.money:setup", orders=(rounds + 1) * orders + 2)
        result = django_call(db, "bench.money:measure", orders=orders, rounds=rounds, **loaded)
        print_figures(kind, result)
        return result
    finally:
        db.drop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.money")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--orders", type=int, default=40, help="orders per round and path")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    with tempfile.TemporaryDirectory(prefix="ordino-money-") as tmp:
        for kind in kinds:
            run(kind, False, args.rounds, Path(tmp) / kind, orders=args.orders)
    return 0


if __name__ == "__main__":
    sys.exit(main())
