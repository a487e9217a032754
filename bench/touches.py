"""Touches per order (`reports.touches.touches_report_get`) over N orders loaded raw (those of
bench/reports.py), each with 3 timeline rows (a third of them by people, a third routine, a
third by the system) and a case with 2 steps on one order in ten. Measured next to the same two
aggregates written directly in SQL. Figures, never pass or fail.

    PYTHONPATH=src python -m bench.touches [--orders 200000] [--db sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.reports import DAYS, START

KINDS = ("edited", "comment", "cancelled", "order_hold_released", "refund_recorded")
PEOPLE = ("user:ada", "user:bob", "user:cy", "cli:ops")


def setup(*, orders: int) -> dict:
    from bench.loading import bulk_load, when
    from bench.reports import setup as orders_setup
    from ordino.cases.models import Case, CaseActivity, CaseType
    from ordino.orders.models import Order, OrderTimelineEntry

    loaded = orders_setup(orders=orders)
    created = dict(Order.objects.order_by("id").values_list("id", "created_at"))
    rng = random.Random(11)
    rows = []
    for oid, at in created.items():
        for n in range(3):
            who = rng.random()
            kind, actor = (
                (rng.choice(KINDS), rng.choice(PEOPLE)) if who < 1 / 3
                else ("shipped", rng.choice(PEOPLE)) if who < 2 / 3
                else ("order_held", "system:holds")
            )  # fmt: skip
            rows.append((oid, kind, kind, actor, when(at + timedelta(minutes=n))))
    bulk_load(
        OrderTimelineEntry, ["order_id", "kind", "message", "actor", "created_at"], rows,
        fixed={"data": {}},
    )  # fmt: skip
    kind = CaseType.objects.create(code="inquiry", name="Inquiry")
    cases = [
        (kind.pk, "inquiry", "normal", "open", oid, when(at), when(at))
        for oid, at in created.items()
        if oid % 10 == 0
    ]
    bulk_load(
        Case, ["type_id", "title", "priority", "status", "order_id", "created_at", "updated_at"],
        cases,
    )  # fmt: skip
    case_ids = list(Case.objects.order_by("id").values_list("id", flat=True))
    steps = [
        (cid, step, rng.choice(PEOPLE), step, when(START))
        for cid in case_ids
        for step in ("assigned", "comment")
    ]
    bulk_load(CaseActivity, ["case_id", "kind", "actor", "message", "created_at"], steps,
              fixed={"data": {}})  # fmt: skip
    return {**loaded, "timeline_rows": len(rows), "cases": len(cases), "case_steps": len(steps)}


def _raw() -> list[str]:
    """The two aggregates by hand: people's non-routine rows and cases' own steps."""
    touches = (
        "SELECT t.order_id, t.kind, t.actor FROM orders_ordertimelineentry t "
        "JOIN orders_order o ON o.id = t.order_id WHERE o.created_at >= %s AND o.created_at < %s "
        "AND t.kind NOT IN ('captured', 'fulfillment_accepted', 'fulfillment_picking', "
        "'fulfillment_packed', 'shipped', 'delivered', 'ready_for_pickup', 'picked_up') "
        "AND (t.actor LIKE 'user:%%' OR t.actor LIKE 'cli:%%') "
        "UNION ALL SELECT c.order_id, 'case_' || a.kind, a.actor FROM cases_caseactivity a "
        "JOIN cases_case c ON c.id = a.case_id JOIN orders_order o ON o.id = c.order_id "
        "WHERE o.created_at >= %s AND o.created_at < %s "
        "AND a.kind IN ('assigned', 'status', 'comment', 'contacted') "
        "AND (a.actor LIKE 'user:%%' OR a.actor LIKE 'cli:%%')"
    )
    return [
        "SELECT o.channel_id, COALESCE(x.n, 0), COUNT(*) FROM orders_order o LEFT JOIN "
        f"(SELECT u.order_id, COUNT(*) AS n FROM ({touches}) u GROUP BY u.order_id) x "
        "ON x.order_id = o.id WHERE o.created_at >= %s AND o.created_at < %s "
        "GROUP BY o.channel_id, COALESCE(x.n, 0)",
        f"SELECT u.kind, u.actor, COUNT(*) FROM ({touches}) u GROUP BY u.kind, u.actor",
    ]


def measure(*, rounds: int) -> dict:
    from django.db import connection

    from bench.loading import when
    from ordino.reports.touches import touches_report_get

    since, until = START, START + timedelta(days=DAYS)
    ordino, raw, report = [], [], None
    for _ in range(rounds):
        t0 = time.perf_counter()
        report = touches_report_get(since=since, until=until)
        ordino.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in _raw():
                cursor.execute(sql, [when(since), when(until)] * (sql.count("%s") // 2))
                cursor.fetchall()
        raw.append(time.perf_counter() - t0)
    s = report.stats
    return {
        "ordino_ms": round(statistics.median(ordino) * 1000, 1),
        "raw_ms": round(statistics.median(raw) * 1000, 1),
        "check": {"orders": s.orders, "touched": s.orders_touched, "touches": s.touches,
                  "zero_touch_rate": str(s.zero_touch_rate), "p90": s.p90},
    }  # fmt: skip


def main() -> None:
    from bench.run import _fresh
    from tests.concurrency.live import django_call

    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    args = parser.parse_args()
    kinds = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    with tempfile.TemporaryDirectory(prefix="ordino-touches-") as tmp:
        for kind in kinds:
            db = _fresh(kind, Path(tmp) / kind)
            try:
                t0 = time.perf_counter()
                loaded = django_call(db, "bench.touches:setup", orders=args.orders)
                print(f"{kind}: loaded {loaded} in {time.perf_counter() - t0:.0f} s", flush=True)
                print(f"{kind}: {django_call(db, 'bench.touches:measure', rounds=args.rounds)}")
            finally:
                db.drop()


if __name__ == "__main__":
    main()
