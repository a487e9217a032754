"""Where a capture's time goes: `order_capture` run N times on a fresh SQLite database (or the
PostgreSQL one at DATABASE_URL) under pyinstrument, a sampling profiler (low overhead, so the
shares are close to an unprofiled run's), printed as a call tree. No dataset needed.

    .venv/bin/python -m bench.profile_capture [--orders 1000] [--http]

`--http`: POST /api/v1/orders through django.test.Client with a token and an Idempotency-Key
instead of calling the use case (the whole request: middleware, auth, validation, answer).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time


def _body(i: int) -> dict:
    return {
        "channel": "olist",
        "external_id": f"E-{i}",
        "currency": "BRL",
        "customer": {"email": f"c{i % 50}@example.com", "first_name": "A", "last_name": "B"},
        "shipping_address": {
            "name": "A B",
            "line1": "Rua 1",
            "city": "SP",
            "postal_code": "01000-000",
            "country": "BR",
        },
        "lines": [
            {"sku": "S1", "quantity": 2, "unit_price": "10.00"},
            {"sku": "S2", "quantity": 1, "unit_price": "5.50"},
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--http", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("ORDINO_DATA_DIR", tempfile.mkdtemp(prefix="ordino-profile-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ordino.settings")
    os.environ.setdefault("PYINSTRUMENT_IGNORE_OVERHEAD_WARNING", "1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    from pyinstrument import Profiler

    from bench.ingest.ordino_side import shop_load

    stock = [["L1", "S1"], ["L1", "S2"], ["L2", "S1"]]
    token = shop_load(skus=["S1", "S2"], locations=["L1", "L2"], stock=stock, units=10**9)["token"]
    send = _http_sender(token) if args.http else _use_case_sender()
    for i in range(50):  # warm: caches, the customers exist afterwards
        send(-i - 1)
    profiler = Profiler(interval=0.0002)
    started, cpu = time.perf_counter(), time.process_time()
    profiler.start()
    for i in range(args.orders):
        send(i)
    profiler.stop()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(profiler.output_text(unicode=False, color=False, time="percent_of_total"))
    print(
        f"{connection.vendor}, {'HTTP' if args.http else 'use case'}: {args.orders} orders, "
        f"{wall / args.orders * 1000:.2f} ms wall and {cpu / args.orders * 1000:.2f} ms CPU of "
        "this process per order, profiled"
    )
    return 0


def _use_case_sender():
    from ordino.orders.schemas import OrderCreateIn
    from ordino.orders.services import order_capture

    def send(i: int) -> None:
        order_capture(command=OrderCreateIn.model_validate(_body(i)).command(), actor="bench")

    return send


def _http_sender(token: str):
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def send(i: int) -> None:
        response = client.post(
            "/api/v1/orders", _body(i), content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=f"K-{i}",
        )  # fmt: skip
        assert response.status_code == 201, response.content

    return send


if __name__ == "__main__":
    raise SystemExit(main())
