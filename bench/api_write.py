"""The API write path around the use case: a cProfile of order captures over
`django.test.Client` (bearer token, Idempotency-Key, the request's transaction, the 201 body),
and the bearer-token lookup per call next to its bare SQL. Figures, never a pass/fail.

    .venv/bin/python -m bench.api_write [--db sqlite|postgres] [--orders 200] [--lookups 2000]

Each run migrates a throwaway database (tests/concurrency/live.py), seeds a web channel, one
warehouse, two SKUs and a token, and works in a child process with Django set up against it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import tempfile
import time
from pathlib import Path

from tests.concurrency.live import database_create, django_call, postgres_url

# Ordino's own code and the API framework: the Django request machinery and the test client above
# them only pass the call through (each is within 1-2 % of the middleware's cumulative time).
FOCUS = r"ordino/|ninja/|pydantic/"


def _order(external_id: str) -> dict:
    """A 2-line order (the hot path's shape: tests/perf/test_statement_budget.py)."""
    return {
        "channel": "web",
        "external_id": external_id,
        "currency": "EUR",
        "customer": {"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"},
        "shipping_address": {
            "name": "Ada Lovelace",
            "line1": "Unter den Linden 1",
            "city": "Berlin",
            "postal_code": "10117",
            "country": "DE",
        },
        "lines": [
            {"sku": "SKU-01", "quantity": 2, "unit_price": "19.99"},
            {"sku": "SKU-02", "quantity": 1, "unit_price": "9.50"},
        ],
    }


def _post(client, token: str, external_id: str) -> None:
    response = client.post(
        "/api/v1/orders",
        data=json.dumps(_order(external_id)),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IDEMPOTENCY_KEY=f"key-{external_id}",
    )
    assert response.status_code == 201, response.content


def profile_captures(*, token: str, orders: int, top: int, focus: str, dump: str) -> dict:
    """In the child: 20 untimed captures, then `orders` captures timed, then `orders` more
    profiled: the `top` functions by cumulative time whose file matches `focus` (all if empty);
    the whole profile to `dump` if given."""
    from django.test import Client

    client = Client()
    for n in range(20):
        _post(client, token, f"WARM-{n}")
    started = time.perf_counter()
    for n in range(orders):
        _post(client, token, f"PLAIN-{n}")
    plain = time.perf_counter() - started
    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(orders):
        _post(client, token, f"PROF-{n}")
    profiler.disable()
    if dump:
        profiler.dump_stats(dump)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(*([focus] if focus else []), top)
    return {"ms_per_order": 1000 * plain / orders, "profile": out.getvalue()}


def token_lookups(*, token: str, lookups: int) -> dict:
    """In the child: ms per `token_principal` call (a fresh request each time, so nothing is
    reused), next to the same read (the token with its channel and location limits) through a
    bare cursor."""
    from django.db import connection
    from django.test import RequestFactory

    from ordino.accounts.auth import token_principal
    from ordino.accounts.services import token_hash

    factory = RequestFactory()
    requests = [factory.post("/api/v1/orders") for _ in range(lookups)]
    for request in requests[:50]:
        token_principal(request, token)
    started = time.perf_counter()
    for request in requests:
        assert token_principal(request, token) is not None
    lookup = time.perf_counter() - started
    agg = "STRING_AGG({}::text, ',')" if connection.vendor == "postgresql" else "GROUP_CONCAT({})"
    sql = (
        "SELECT t.id, t.name, t.scopes, t.expires_at, t.last_used_at,"
        f" (SELECT {agg.format('c.channel_id')} FROM accounts_apitoken_channels c"
        "  WHERE c.apitoken_id = t.id),"
        f" (SELECT {agg.format('l.location_id')} FROM accounts_apitoken_locations l"
        "  WHERE l.apitoken_id = t.id)"
        " FROM accounts_apitoken t WHERE t.secret_hash = %s AND t.revoked_at IS NULL"
    )
    secret_hash = token_hash(token)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for _ in range(lookups):
            cursor.execute(sql, [secret_hash])
            cursor.fetchone()
    bare = time.perf_counter() - started
    return {"lookup_ms": 1000 * lookup / lookups, "bare_sql_ms": 1000 * bare / lookups}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--top", type=int, default=15, help="profile lines to print")
    parser.add_argument(
        "--focus",
        default=FOCUS,
        help="print only functions whose file matches this regex ('' for all)",
    )
    parser.add_argument("--dump", default="", help="write the whole profile to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ordino-api-write-") as tmp:
        db = database_create(
            args.db, Path(tmp), pg_url=postgres_url() if args.db == "postgres" else None
        )
        db.env["ORDINO_API_RATE_LIMIT"] = "1000000000"  # counted, as in production, never hit
        try:
            seeded = django_call(
                db, "tests.concurrency.scenario:seed", skus=2, locations=1, units=10**6
            )
            token = seeded["token"]
            lookups = django_call(
                db, "bench.api_write:token_lookups", token=token, lookups=args.lookups
            )
            captured = args.orders and django_call(
                db,
                "bench.api_write:profile_captures",
                token=token,
                orders=args.orders,
                top=args.top,
                focus=args.focus,
                dump=str(Path(args.dump).resolve()) if args.dump else "",
            )
        finally:
            db.drop()
    print(f"# API write path, {args.db}: {args.orders} captures over django.test.Client")
    print(f"token lookup: {lookups['lookup_ms']:.3f} ms per call")
    print(f"  the same read through a bare cursor: {lookups['bare_sql_ms']:.3f} ms")
    print(f"  ratio lookup / bare: {lookups['lookup_ms'] / lookups['bare_sql_ms']:.1f}")
    if captured:
        print(f"capture over HTTP, unprofiled: {captured['ms_per_order']:.2f} ms per order")
        print(captured["profile"])


if __name__ == "__main__":
    main()
