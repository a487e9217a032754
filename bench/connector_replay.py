"""Olist orders replayed as Shopify `orders/create` webhooks through the connector core, with a
poll recovering the webhooks that never came (issue 12, "Rules it must keep"; docs/connectors.md,
"Exactly once"). Figures and a check, never a pass/fail on a time.

    .venv/bin/python -m bench.connector_replay [--db sqlite|postgres] [--orders 500] [--olist DIR]
    .venv/bin/python -m bench.connector_replay --synthetic     # no Olist sample needed

A throwaway database is migrated (tests/concurrency/live.py) and loaded with the mix's shop
(bench/ingest: sellers as locations, products as SKUs, a BRL `olist` channel), a Shopify
connection on that channel; then, in a child process with Django set up against it, the same N
orders three ways, one after the other:

1. API capture: each order POSTed once to /api/v1/orders (token, Idempotency-Key): the baseline;
2. connector, one webhook each: each order's `orders/create` POSTed once, signed, to the
   connection's webhook URL (verify, store, process, integration log);
3. connector replay: every order's webhook delivered 3 times (3 webhook ids: Shopify delivers at
   least once), 20 % of the orders' webhooks all dropped, 5 % of the deliveries sent again under
   the same `X-Shopify-Webhook-Id`, the whole stream shuffled; then the connection polled
   (`connection_poll` through the real transport, a fake shop behind httpx's MockTransport
   serving every order by `updated_at`, 250 a page, Link `page_info`), and polled again.

Then the check: exactly one Ordino order per source order, none lost, none doubled, each at the
payload's total; the messages' outcomes counted. Statements per order are every statement Django
sent in the phase (connection.execute_wrapper) ÷ orders. The replay logic (`replay_plan`,
`replay_deliver`, `FakeShop`, `replay_check`) is what tests/connectors/test_replay.py runs on
30 synthetic orders.

Without the Olist sample it says so and exits 0, unless `--synthetic` (orders made up by
`synthetic_orders`, seeded).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from bench.ingest.olist import DEFAULT_DIR, Line, MixOrder, mix_load, order_payload
from tests.connectors.shopify import SECRET, SHOP_URL, TOKEN, signed

RESULTS = Path(__file__).resolve().parent / "results"
T0 = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # the first replayed order's updated_at
COPIES, DROP, DUPLICATE = 3, 0.20, 0.05
SEED = 12


# --- the orders, as Shopify sends them ---------------------------------------------------------


def synthetic_orders(count: int, *, skus: list[str], location: str, seed: int = SEED):
    """`count` orders of 1-3 lines over `skus` (quantity 1-3, 5.00-199.99), shipping 0-30."""
    rng = random.Random(seed)
    orders = []
    for n in range(count):
        picked = rng.sample(skus, rng.randint(1, min(3, len(skus))))
        lines = tuple(
            Line(sku, location, rng.randint(1, 3), Decimal(rng.randint(500, 19999)) / 100)
            for sku in picked
        )
        orders.append(MixOrder(f"synthetic{n:06d}", lines, Decimal(rng.randint(0, 3000)) / 100))
    return orders


def order_total(order: MixOrder) -> Decimal:
    """What the order comes to: its lines, its shipping (no tax, no discount)."""
    return sum((x.unit_price * x.quantity for x in order.lines), Decimal(0)) + order.shipping


def shopify_payload(
    order: MixOrder, *, external_id: int, updated_at: datetime, currency: str = "BRL"
) -> dict:
    """The order as Shopify's REST `Order` (webhook body and orders.json alike), in BRL; the
    customer and address of bench/ingest/olist.py's `order_payload`, no tax, not paid, so the
    command is the one the API baseline captures."""
    subtotal = order_total(order) - order.shipping
    total = order_total(order)
    when = updated_at.isoformat()
    email = f"{order.olist_id[:12]}@example.com.br"
    address = {"name": "Cliente Olist", "address1": "Rua Augusta 100", "city": "São Paulo",
               "country_code": "BR"}  # fmt: skip
    return {
        "id": external_id, "name": f"#{external_id}", "email": email,
        "created_at": when, "updated_at": when, "cancelled_at": None,
        "currency": currency, "financial_status": "pending", "taxes_included": False,
        "subtotal_price": f"{subtotal:.2f}", "total_price": f"{total:.2f}",
        "current_total_price": f"{total:.2f}",
        "line_items": [
            {"id": external_id * 100 + i, "sku": line.sku, "name": line.sku,
             "quantity": line.quantity, "current_quantity": line.quantity,
             "price": f"{line.unit_price:.2f}", "total_discount": "0.00",
             "discount_allocations": [], "tax_lines": []}
            for i, line in enumerate(order.lines)
        ],
        "shipping_lines": [{"title": "Olist", "price": f"{order.shipping:.2f}",
                            "discounted_price": f"{order.shipping:.2f}", "tax_lines": []}],
        "shipping_address": address,
        "customer": {"email": email},
        "note_attributes": [{"name": "olist_order_id", "value": order.olist_id}],
    }  # fmt: skip


def shopify_payloads(
    orders: list[MixOrder], *, first_id: int, start: datetime = T0, currency: str = "BRL"
) -> list[dict]:
    """One payload per order: ids from `first_id`, `updated_at` a second apart from `start`."""
    return [
        shopify_payload(
            o, external_id=first_id + i, updated_at=start + timedelta(seconds=i), currency=currency
        )
        for i, o in enumerate(orders)
    ]


# --- the replay: what Shopify sends, and what a poll finds --------------------------------------


@dataclass(frozen=True)
class Delivery:
    webhook_id: str
    external_id: str
    body: bytes
    topic: str = "orders/create"


@dataclass(frozen=True)
class Plan:
    deliveries: tuple[Delivery, ...]  # the stream as sent: shuffled, re-sends included
    dropped: frozenset[str]  # orders none of whose webhooks arrive: only the poll brings them
    webhooks: int  # distinct webhook ids sent
    resent: int  # deliveries sent again under a webhook id already sent


def replay_plan(
    payloads: list[dict], *, copies: int = COPIES, drop: float = DROP,
    duplicate: float = DUPLICATE, seed: int = SEED,
) -> Plan:  # fmt: skip
    """`copies` webhooks per order (ids `<order>-<n>`), the webhooks of round(drop × orders)
    orders dropped, round(duplicate × sent) deliveries sent twice, all shuffled (seeded)."""
    rng = random.Random(seed)
    ids = [str(p["id"]) for p in payloads]
    dropped = frozenset(rng.sample(ids, round(len(ids) * drop)))
    sent = [
        Delivery(f"{p['id']}-{n}", str(p["id"]), json.dumps(p).encode())
        for p in payloads
        if str(p["id"]) not in dropped
        for n in range(copies)
    ]
    again = rng.sample(sent, round(len(sent) * duplicate))
    stream = sent + again
    rng.shuffle(stream)
    return Plan(tuple(stream), dropped, len(sent), len(again))


def replay_deliver(client, connection_id: int, deliveries) -> Counter:
    """POST each delivery, signed, to the connection's webhook URL (django.test.Client):
    answers counted as `duplicate` or the message's status; anything but 200 as `http <code>`."""
    seen: Counter = Counter()
    url = f"/api/v1/connectors/{connection_id}/webhooks/shopify"
    for d in deliveries:
        response = client.post(
            url, data=d.body, content_type="application/json",
            **signed(d.body, topic=d.topic, delivery=d.webhook_id),
        )  # fmt: skip
        if response.status_code != 200:
            seen[f"http {response.status_code}"] += 1
            continue
        answer = response.json()
        seen["duplicate" if answer["duplicate"] else answer["status"]] += 1
    return seen


class FakeShop:
    """Shopify's `GET /admin/api/2025-01/orders.json` as an httpx.MockTransport handler: every
    order with `updated_at` ≥ `updated_at_min` (inclusive, as Shopify's), oldest first, `limit`
    (at most `page_size`) a page, the next page named by the Link header's `page_info`."""

    def __init__(self, payloads: list[dict], *, page_size: int = 250) -> None:
        self.payloads = sorted(payloads, key=lambda p: datetime.fromisoformat(p["updated_at"]))
        self.page_size = page_size
        self.pages: dict[str, tuple[datetime, int]] = {}
        self.calls = 0

    def transport(self):
        import httpx

        return httpx.MockTransport(self.handle)

    def handle(self, request):
        import httpx

        self.calls += 1
        params = request.url.params
        if "page_info" in params:
            since, offset = self.pages[params["page_info"]]
        else:
            since, offset = datetime.fromisoformat(params["updated_at_min"]), 0
        size = min(self.page_size, int(params.get("limit", self.page_size)))
        matching = [p for p in self.payloads if datetime.fromisoformat(p["updated_at"]) >= since]
        page = matching[offset : offset + size]
        headers = {}
        if offset + size < len(matching):
            token = f"p{len(self.pages) + 1}"
            self.pages[token] = (since, offset + size)
            url = f"{SHOP_URL}{request.url.path}?limit={size}&page_info={token}"
            headers["Link"] = f'<{url}>; rel="next"'
        return httpx.Response(200, json={"orders": page}, headers=headers)


def replay_poll(connection, shop: FakeShop):
    """`connection_poll` through the core's real transport (retries, rate-limit buckets, the
    integration log) with the fake shop behind it; no sleeping."""
    import httpx

    from ordino.connectors.services import connection_poll

    with httpx.Client(transport=shop.transport()) as client:
        return connection_poll(connection=connection, client=client, sleep=lambda seconds: None)


def totals_of(payloads: list[dict]) -> dict[str, Decimal]:
    """External id → the total each Shopify payload says."""
    return {str(p["id"]): Decimal(p["current_total_price"]) for p in payloads}


def replay_ok(check: dict) -> bool:
    """Exactly one order per source order at its total: none lost, none doubled."""
    bad = check["lost"] or check["doubled"] or check["wrong_total"]
    return check["ordino_orders"] == check["source_orders"] and not bad


def replay_check(
    *, channel: str, wanted: dict[str, Decimal], connection_id: int | None = None
) -> dict:
    """Ordino's orders of `wanted` (external id → total): per source order exactly one, at that
    total; and the connection's messages about them counted by (source, status)."""
    from django.db.models import Count

    from ordino.connectors.models import InboundMessage
    from ordino.orders.models import Order

    rows = Order.objects.filter(channel__code=channel, external_id__in=list(wanted))
    per_id = rows.values("external_id").annotate(n=Count("id"))
    counts = {row["external_id"]: row["n"] for row in per_id}
    totals = dict(rows.values_list("external_id", "current_total"))
    result = {
        "source_orders": len(wanted),
        "ordino_orders": sum(counts.values()),
        "lost": sorted(set(wanted) - set(counts)),
        "doubled": sorted(e for e, n in counts.items() if n > 1),
        "wrong_total": sorted(e for e, t in totals.items() if t != wanted[e]),
    }
    if connection_id is not None:
        messages = InboundMessage.objects.filter(connection_id=connection_id,
                                                 external_order_id__in=list(wanted))  # fmt: skip
        result["messages"] = {
            f"{source} {status}": n
            for source, status, n in messages.values_list("source", "status")
            .annotate(n=Count("id"))
            .order_by("source", "status")
        }
    return result


# --- the bench: in the child process, Django set up against the bench database -------------------


class _Statements:
    """Every statement Django sends while active (connection.execute_wrapper)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _timed(action) -> tuple[object, float, int]:
    from django.db import connection

    counter = _Statements()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        out = action()
    return out, time.perf_counter() - started, counter.count


def _api_capture(client, token: str, bodies: list[dict]) -> Counter:
    seen: Counter = Counter()
    for body in bodies:
        response = client.post(
            "/api/v1/orders", data=json.dumps(body), content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_IDEMPOTENCY_KEY=f"key-{body['external_id']}",
        )  # fmt: skip
        seen[response.status_code] += 1
    return seen


def measure(*, orders: list[dict], warm: int = 10) -> dict:
    """In the child: the three phases of the module's docstring, timed, statements counted."""
    from django.test import Client

    from ordino.connectors.models import Connection
    from ordino.connectors.services import ConnectionSettings, connection_create

    mix = [MixOrder(o["olist_id"], tuple(Line(*line[:3], Decimal(line[3])) for line in o["lines"]),
                    Decimal(o["shipping"])) for o in orders]  # fmt: skip
    count = len(mix)
    connection = connection_create(
        channel="olist",
        values=ConnectionSettings(platform="shopify", base_url=SHOP_URL, access_token=TOKEN,
                                  webhook_secret=SECRET, poll_interval_seconds=0),
    )  # fmt: skip
    client = Client()
    token = client_token()
    # untimed: caches warm, each customer exists afterwards (as for every timed phase)
    _api_capture(client, token, [order_payload(o, f"WARM-{i}") for i, o in enumerate(mix)])
    warm_hooks = shopify_payloads(mix[:warm], first_id=9_000_000)
    warm_plan = replay_plan(warm_hooks, drop=0, duplicate=0, copies=1)
    replay_deliver(client, connection.pk, warm_plan.deliveries)

    api_bodies = [order_payload(o, f"API-{i:06d}") for i, o in enumerate(mix)]
    api, api_s, api_statements = _timed(lambda: _api_capture(client, token, api_bodies))

    once = shopify_payloads(mix, first_id=1_000_000, start=T0 - timedelta(days=1))
    once_plan = replay_plan(once, copies=1, drop=0, duplicate=0)
    single, single_s, single_statements = _timed(
        lambda: replay_deliver(client, connection.pk, once_plan.deliveries)
    )

    payloads = shopify_payloads(mix, first_id=2_000_000)
    plan = replay_plan(payloads)
    Connection.objects.filter(pk=connection.pk).update(updated_after=T0 - timedelta(minutes=1))
    connection.refresh_from_db()
    shop = FakeShop(payloads)
    answers, push_s, push_statements = _timed(
        lambda: replay_deliver(client, connection.pk, plan.deliveries)
    )
    first, poll_s, poll_statements = _timed(lambda: replay_poll(connection, shop))
    poll_calls = shop.calls
    second = replay_poll(connection, shop)
    replay_s = push_s + poll_s
    return {
        "orders": count,
        "api": {"per_s": count / api_s, "seconds": api_s, "statements_per_order":
                api_statements / count, "answers": {str(k): v for k, v in api.items()}},
        "single": {"per_s": count / single_s, "seconds": single_s, "statements_per_order":
                   single_statements / count, "answers": dict(single)},
        "replay": {
            "per_s": count / replay_s, "seconds": replay_s,
            "deliveries": len(plan.deliveries), "deliveries_per_s": len(plan.deliveries) / push_s,
            "statements_per_order": (push_statements + poll_statements) / count,
            "statements_per_delivery": push_statements / len(plan.deliveries),
            "poll_seconds": poll_s, "poll_calls": poll_calls,
            "webhooks": plan.webhooks, "dropped_orders": len(plan.dropped), "resent": plan.resent,
            "answers": dict(answers),
            "poll": [first.pulled, first.new, first.error],
            "poll_again": [second.pulled, second.new, second.error],
        },
        "check": {
            "api": replay_check(channel="olist", wanted={
                f"API-{i:06d}": order_total(o) for i, o in enumerate(mix)}),
            "single": replay_check(channel="olist", wanted=totals_of(once),
                                   connection_id=connection.pk),
            "replay": replay_check(channel="olist", wanted=totals_of(payloads),
                                   connection_id=connection.pk),
        },
    }  # fmt: skip


def client_token() -> str:
    from ordino.accounts.services import token_create

    return token_create(name="bench-replay", scopes="*").secret


def run(kind: str, workdir: Path, mix: list[MixOrder]) -> dict:
    from bench.ingest.rounds import _shop
    from tests.concurrency.live import database_create, django_call, postgres_url

    pg = postgres_url() or "postgres://postgres@127.0.0.1:5432/postgres"
    db = database_create(kind, workdir / kind, pg_url=pg)
    db.env["ORDINO_API_RATE_LIMIT"] = "0"
    try:
        _shop(db, kind, mix)
        orders = [
            {"olist_id": o.olist_id, "shipping": str(o.shipping),
             "lines": [[x.sku, x.location, x.quantity, str(x.unit_price)] for x in o.lines]}
            for o in mix
        ]  # fmt: skip
        return django_call(db, "bench.connector_replay:measure", orders=orders)
    finally:
        db.drop()


def report(kind: str, result: dict, source: str) -> None:
    api, single, replay, check = result["api"], result["single"], result["replay"], result["check"]
    n = result["orders"]
    print(f"# Connector replay, {kind}: {n} orders ({source}), one client, in-process HTTP")
    print(f"{'path':<44} {'orders/s':>9} {'stmts/order':>12} {'vs API':>7}")
    for label, side in (
        ("API capture (POST /api/v1/orders)", api),
        ("connector, one orders/create webhook each", single),
        ("connector replay (3x, 5% dup, 20% drop + poll)", replay),
    ):
        ratio = side["per_s"] / api["per_s"]
        print(f"{label:<44} {side['per_s']:9.1f} {side['statements_per_order']:12.1f} {ratio:7.2f}")
    print(
        f"replay: {replay['deliveries']} deliveries ({replay['webhooks']} webhook ids, "
        f"{replay['resent']} re-sent, the webhooks of {replay['dropped_orders']} orders dropped) "
        f"at {replay['deliveries_per_s']:.1f}/s, {replay['statements_per_delivery']:.1f} "
        f"statements each; poll {replay['poll_seconds']:.2f} s, {replay['poll_calls']} page(s)"
    )
    print(f"answers: {replay['answers']}")
    print(f"poll: pulled {replay['poll'][0]}, new {replay['poll'][1]}; again: pulled "
          f"{replay['poll_again'][0]}, new {replay['poll_again'][1]}")  # fmt: skip
    print(f"messages: {check['replay']['messages']}")
    for name in ("api", "single", "replay"):
        c = check[name]
        ok = replay_ok(c)
        print(
            f"check {name:<7} {c['source_orders']} source orders -> {c['ordino_orders']} Ordino "
            f"orders; lost {len(c['lost'])}, doubled {len(c['doubled'])}, wrong total "
            f"{len(c['wrong_total'])}: {'OK' if ok else 'FAILED'}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--olist", type=Path, default=DEFAULT_DIR, help="Olist CSV directory")
    parser.add_argument("--synthetic", action="store_true",
                        help="made-up orders when the Olist sample is absent")  # fmt: skip
    args = parser.parse_args()
    if (args.olist / "olist_order_items_dataset.csv").exists():
        mix, source = mix_load(args.olist, args.orders), "Olist"
    elif args.synthetic:
        skus = [f"SYN-{n:03d}" for n in range(50)]
        mix, source = synthetic_orders(args.orders, skus=skus, location="SELLER-SYN"), "synthetic"
    else:
        print(f"No Olist sample at {args.olist}: nothing replayed (pass --olist DIR, or "
              "--synthetic for made-up orders).")  # fmt: skip
        return
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="ordino-replay-") as tmp:
        result = run(args.db, Path(tmp), mix)
    report(args.db, result, source)
    RESULTS.mkdir(exist_ok=True)
    saved = {"db": args.db, "source": source, "load_start": load, "load_end": os.getloadavg(),
             "finished_at": datetime.now(UTC).isoformat(timespec="seconds"), **result}  # fmt: skip
    out = RESULTS / f"connector-replay-{args.db}-latest.json"
    out.write_text(json.dumps(saved, indent=1, default=str))
    print(f"load average {load[0]:.1f} -> {saved['load_end'][0]:.1f}; written to {out}")


if __name__ == "__main__":
    main()
