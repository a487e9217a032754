"""Outbound webhook deliveries per second to a local receiver, next to Ordino's own API capture
rate measured in the same run (issue 12, "Throughput"). Figures, never a pass/fail.

    .venv/bin/python -m bench.webhooks [--db sqlite|postgres] [--orders 200]

A throwaway database is migrated and seeded (tests/concurrency/live.py); in a child process with
Django set up against it: a threaded HTTP receiver on 127.0.0.1 verifies every signature with
`standardwebhooks` and answers 204; one endpoint subscribes to `order.captured`. Then:

1. capture: N orders POSTed to /api/v1/orders over django.test.Client (token, Idempotency-Key);
2. relay + deliver: the outbox relayed with only the webhooks' subscriber, each message sent at
   once through the task (django-tasks' default backend, immediate): end to end, event → 2xx;
3. deliver only: every message replayed, then sent by the periodic job `webhooks_due`
   (`messages_send_due`): signing, POST, recording the attempt and the integration log row.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.api_write import _post
from tests.concurrency.live import database_create, django_call, postgres_url


def _receiver(secret: str) -> tuple[ThreadingHTTPServer, dict]:
    from standardwebhooks import Webhook

    hook, seen = Webhook(secret), {"ok": 0, "bad": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["content-length"]))
            try:
                hook.verify(body, dict(self.headers))
                seen["ok"] += 1
                self.send_response(204)
            except Exception:
                seen["bad"] += 1
                self.send_response(400)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


def measure(*, token: str, orders: int) -> dict:
    """In the child: the three timings above."""
    from django.test import Client

    from ordino.core.domain.clock import utcnow
    from ordino.events.relay import outbox_dispatch
    from ordino.orders.events import OrderCaptured
    from ordino.webhooks.services import (
        endpoint_create,
        endpoint_messages_replay,
        messages_send_due,
        webhook_messages_create,
    )

    client = Client()
    for n in range(10):
        _post(client, token, f"WARM-{n}")
    outbox_dispatch(subscribers={})  # the warm-up's events: before the endpoint exists
    started = time.perf_counter()
    for n in range(orders):
        _post(client, token, f"HOOK-{n}")
    capture = time.perf_counter() - started

    since = utcnow()
    made = endpoint_create(url="http://127.0.0.1:1/", event_types_chosen=["order.captured"])
    server, seen = _receiver(made.secret)
    from ordino.webhooks.models import WebhookEndpoint

    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    WebhookEndpoint.objects.filter(pk=made.endpoint.pk).update(url=url)
    started = time.perf_counter()
    while outbox_dispatch(subscribers={OrderCaptured: [webhook_messages_create]}, batch=500)[0]:
        pass
    messages_send_due(limit=orders * 2)  # any the immediate task did not send
    relayed = time.perf_counter() - started
    delivered_first = seen["ok"]

    endpoint_messages_replay(endpoint_id=made.endpoint.pk, since=since, until=utcnow())
    started = time.perf_counter()
    while messages_send_due(limit=500):
        pass
    resend = time.perf_counter() - started
    server.shutdown()
    return {
        "capture_per_s": orders / capture,
        "relay_deliver_per_s": delivered_first / relayed,
        "deliver_per_s": (seen["ok"] - delivered_first) / resend,
        "delivered": seen["ok"],
        "refused": seen["bad"],
    }


def run(kind: str, workdir: Path, *, orders: int) -> dict:
    """One run on a fresh database of `kind` (bench/run.py's `webhooks` workload)."""
    db = database_create(kind, workdir, pg_url=postgres_url() if kind == "postgres" else None)
    db.env["ORDINO_API_RATE_LIMIT"] = "1000000000"
    db.env["ORDINO_WEBHOOKS_ALLOW_LOCAL_HTTP"] = "1"
    try:
        seeded = django_call(
            db, "tests.concurrency.scenario:seed", skus=2, locations=1, units=10**6
        )
        result = django_call(db, "bench.webhooks:measure", token=seeded["token"], orders=orders)
    finally:
        db.drop()
    return {**result, "orders": orders}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--orders", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ordino-webhooks-") as tmp:
        result = run(args.db, Path(tmp), orders=args.orders)
    print(f"# Outbound webhooks, {args.db}: {args.orders} orders, one endpoint, one client")
    print(f"API capture (POST /api/v1/orders):        {result['capture_per_s']:8.1f} orders/s")
    print(f"relay + deliver (event → 2xx, immediate): {result['relay_deliver_per_s']:8.1f} /s")
    print(f"deliver only (webhooks_due, replayed):    {result['deliver_per_s']:8.1f} /s")
    print(f"receiver: {result['delivered']} verified, {result['refused']} refused")


if __name__ == "__main__":
    main()
