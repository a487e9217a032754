"""Packing (docs/shipping.md, "Parcels and packing"): how long proposing boxes for a 50-item
fulfillment order takes, and how many parcels it proposes.

    PYTHONPATH=src python -m bench.packing [--orders 2000] [--units 50] [--skus 10]

Pure (`shipping/domain/packing.py`, in memory; the database adds the reads of the order's lines,
its SKUs and the location's box types). Random orders of `--units` units over 1 to `--skus`
SKUs of random sizes and weights, packed into five box types. Printed, never pass/fail:
- `pack`: p50/p99 per order and the parcels it proposes (p50, and the total);
- a fair baseline in the same run on the same orders: one box per unit, the smallest box type
  that takes it (the same fit checks, no filling) — what a packer without a bin packing ships.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from ordino.shipping.domain.packing import BoxType, Item, Unit, pack

BOXES = [
    BoxType("XS", (200, 150, 80), (210, 160, 90), 80, 2000),
    BoxType("S", (300, 200, 150), (310, 210, 160), 150, 5000),
    BoxType("M", (400, 300, 200), (410, 310, 210), 300, 10000),
    BoxType("L", (500, 400, 300), (510, 410, 310), 500, 20000),
    BoxType("XL", (600, 500, 400), (620, 520, 420), 900, 30000),
]


def orders_make(n: int, units: int, skus: int, seed: int = 13) -> list[list[Item]]:
    """Each order: `units` units over 1 to `skus` SKUs, each small enough for the XL box."""
    rng = random.Random(seed)
    orders = []
    for _ in range(n):
        kinds = rng.randint(1, min(skus, units))
        cuts = sorted(rng.sample(range(1, units), kinds - 1)) if kinds > 1 else []
        quantities = [b - a for a, b in zip([0, *cuts], [*cuts, units], strict=True)]
        orders.append(
            [
                Item(f"SKU-{k}", rng.randint(20, 400), rng.randint(20, 300), rng.randint(10, 200),
                     rng.randint(50, 3000), q)
                for k, q in enumerate(quantities)
            ]
        )  # fmt: skip
    return orders


def one_box_per_unit(items: list[Item], boxes: list[BoxType]) -> list[tuple[BoxType, Unit]]:
    types = sorted(boxes, key=lambda b: (b.volume, b.code))
    return [
        (next(b for b in types if b.takes(unit)), unit) for item in items for unit in item.units()
    ]


def timed(run, orders) -> tuple[list[float], list[int]]:
    times, parcels = [], []
    for items in orders:
        started = time.perf_counter()
        answer = run(items, BOXES)
        times.append(time.perf_counter() - started)
        parcels.append(len(answer))
    return times, parcels


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def line(name: str, times: list[float], parcels: list[int]) -> str:
    return (
        f"{name}: p50 {percentile(times, 0.5) * 1000:.2f} ms, p99 "
        f"{percentile(times, 0.99) * 1000:.2f} ms per order; parcels p50 "
        f"{statistics.median(parcels):g}, total {sum(parcels):,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--skus", type=int, default=10)
    args = parser.parse_args()
    orders = orders_make(args.orders, args.units, args.skus)
    packed = timed(pack, orders)
    baseline = timed(one_box_per_unit, orders)
    print(f"orders: {args.orders} of {args.units} units over 1 to {args.skus} SKUs, "
          f"{len(BOXES)} box types")  # fmt: skip
    print(line("pack, explained", *packed))
    print(line("baseline, one box per unit", *baseline))
    ratio = statistics.median(packed[0]) / statistics.median(baseline[0])
    saved = 1 - sum(packed[1]) / sum(baseline[1])
    print(f"pack/baseline time ratio (p50) {ratio:.1f}; parcels saved {saved:.0%}")


if __name__ == "__main__":
    main()
