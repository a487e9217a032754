"""Channel feeds (docs/feeds.md): how many stock changes a feed absorbs per second, and how many
pushes reach the channel for them. Not the inventory stock *file* feed: that is bench/feed.py.

    PYTHONPATH=src python -m bench.feeds [--changes 20000] [--skus 200] [--seconds 600]

Two parts, printed side by side:
- the rule alone (`feeds/domain/book.py`, in memory): changes/s it coalesces, pushes issued;
- the database (a scratch SQLite file, or DATABASE_URL): marks/s through `feed_items_mark` (what
  the outbox subscriber runs per stock event), then the periodic rounds over the same simulated
  span through `feed_push_due` with a counting pusher: rounds, batches, SKUs pushed.
Figures, never pass/fail. A busy catalogue: 20 % of the SKUs take 80 % of the changes.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
INTERVAL, BATCH, TICK = 30, 100, 5  # the channel's pace, its batch size, the worker's period


def changes_make(*, changes: int, skus: int, seconds: int, seed: int = 7) -> list[tuple]:
    """(second, SKU, new availability), in time order: 80 % of them on a fifth of the SKUs."""
    rng = random.Random(seed)
    hot = max(1, skus // 5)
    out = []
    for _ in range(changes):
        sku = rng.randrange(hot) if rng.random() < 0.8 else rng.randrange(skus)
        out.append((rng.uniform(0, seconds), f"S{sku:05d}", rng.randint(-2, 40)))
    return sorted(out)


def rule_alone(stream: list[tuple], *, seconds: int) -> dict:
    from ordino.feeds.domain.book import FeedBook

    book = FeedBook(min_interval_seconds=INTERVAL, batch_size=BATCH)
    available: dict[str, int] = {}
    pushed = 0

    def push(levels):
        nonlocal pushed
        pushed += len(levels)
        return {}

    started = time.perf_counter()
    tick, i = 0, 0
    while tick <= seconds + INTERVAL:
        while i < len(stream) and stream[i][0] <= tick:
            _, sku, qty = stream[i]
            available[sku] = qty
            book.change(sku, T0 + timedelta(seconds=stream[i][0]))
            i += 1
        book.push_due(T0 + timedelta(seconds=tick), available, push)
        tick += TICK
    elapsed = time.perf_counter() - started
    return {"changes/s": len(stream) / elapsed, "batches": book.pushes, "skus pushed": pushed}


def database(stream: list[tuple], *, skus: int, seconds: int) -> dict:
    if "DATABASE_URL" not in os.environ:
        scratch = tempfile.mkdtemp(prefix="ordino-bench-feeds-")
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ordino.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from ordino.catalog.models import Product, Sku
    from ordino.channels.models import Channel
    from ordino.core.domain.clock import clock_pinned
    from ordino.feeds.models import FeedSettings
    from ordino.feeds.ports import ScriptedPusher, pusher_use
    from ordino.feeds.selectors import channel_rule_fingerprint
    from ordino.feeds.services import feed_items_mark, feed_push_due
    from ordino.inventory.domain.ledger import AVAILABLE, EXTERNAL, Movement
    from ordino.inventory.ledger import LedgerContext, movements_apply
    from ordino.locations.models import Location

    call_command("migrate", verbosity=0)
    channel = Channel.objects.create(code="bench", name="bench", kind="web", currency="EUR")
    product = Product.objects.create(code="P-BENCH", name="bench")
    Sku.objects.bulk_create(Sku(product=product, code=f"S{n:05d}") for n in range(skus))
    FeedSettings.objects.create(
        channel=channel,
        min_interval_seconds=INTERVAL,
        batch_size=BATCH,
        rule_fingerprint=channel_rule_fingerprint(channel),  # no first full round: changes only
    )
    sku_ids = dict(Sku.objects.values_list("code", "pk"))
    warehouse = Location.objects.create(code="WH", name="WH", country="DE", ships=True)
    on_hand: dict[str, int] = {}

    def stock_set(code: str, qty: int) -> None:
        delta = max(qty, 0) - on_hand.get(code, 0)
        if delta:
            step = (EXTERNAL, AVAILABLE, delta) if delta > 0 else (AVAILABLE, EXTERNAL, -delta)
            movements_apply([Movement(warehouse.pk, sku_ids[code], *step)],
                            context=LedgerContext(reason="receive", actor="bench"))  # fmt: skip
            on_hand[code] = max(qty, 0)

    counting = ScriptedPusher()
    marked_in = 0.0
    rounds = 0
    with pusher_use("bench", counting):
        tick, i = 0, 0
        while tick <= seconds + INTERVAL:
            while i < len(stream) and stream[i][0] <= tick:
                _, code, qty = stream[i]
                stock_set(code, qty)  # the ledger's change, not counted in marks/s
                started = time.perf_counter()
                feed_items_mark(sku_codes=[code], now=T0 + timedelta(seconds=stream[i][0]))
                marked_in += time.perf_counter() - started
                i += 1
            with clock_pinned(T0 + timedelta(seconds=tick)):
                rounds += 1 if feed_push_due(T0 + timedelta(seconds=tick)) else 0
            tick += TICK
    return {
        "marks/s": len(stream) / marked_in if marked_in else 0.0,
        "rounds": rounds,
        "batches": len(counting.batches),
        "skus pushed": sum(len(batch) for _, batch in counting.batches),
        "database": os.environ["DATABASE_URL"].split(":", 1)[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=20_000)
    parser.add_argument("--skus", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=600, help="the simulated span")
    args = parser.parse_args()
    stream = changes_make(changes=args.changes, skus=args.skus, seconds=args.seconds)
    print(f"{args.changes} stock changes of {args.skus} SKUs over {args.seconds} s; "
          f"channel pushed at most every {INTERVAL} s, {BATCH} SKUs a request")  # fmt: skip
    alone = rule_alone(stream, seconds=args.seconds)
    print(f"rule alone: {alone['changes/s']:,.0f} changes/s coalesced; "
          f"{alone['skus pushed']} SKU levels pushed in {alone['batches']} requests")  # fmt: skip
    db = database(stream, skus=args.skus, seconds=args.seconds)
    print(f"{db['database']}: {db['marks/s']:,.0f} marks/s (the subscriber's work per change); "
          f"{db['skus pushed']} SKU levels pushed in {db['batches']} requests over "
          f"{db['rounds']} rounds")  # fmt: skip
    naive = args.changes
    print(f"pushes without coalescing: {naive}; with: {db['skus pushed']} "
          f"({naive / max(db['skus pushed'], 1):.0f}x fewer)")  # fmt: skip


if __name__ == "__main__":
    main()
