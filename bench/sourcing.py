"""Sourcing engine benchmark: decision time by lines × candidate locations, and back-test
throughput over the Olist sample. Figures, never a pass/fail.

    .venv/bin/python -m bench.sourcing [--olist DIR] [--budget SECONDS] [--orders N]
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import random
import statistics
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from ordino.sourcing.domain import (
    BacktestCase,
    Criterion,
    Destination,
    Fallback,
    HasStock,
    IsOpen,
    LocationFacts,
    OrderFacts,
    OrderLine,
    Profile,
    Ranking,
    SplitLimit,
    Strategy,
    WithinDistance,
    backtest,
    backtest_compare,
    decide,
    weekly,
)
from ordino.sourcing.domain.profile import CapacityLeft, KindIn

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
DEFAULT_OLIST = ROOT.parent.parent / "shared" / "datasets" / "olist"
LINES = (1, 10, 50)
LOCATIONS = (10, 100, 1000)
NOW = datetime(2025, 10, 6, 10, 0, tzinfo=UTC)  # a Monday, 12:00 in Berlin

# --- synthetic network -----------------------------------------------------------------------

PROFILE = Profile(
    "bench",
    (
        Strategy(
            "nearby",
            filters=(HasStock("any"), IsOpen(), CapacityLeft(), WithinDistance(300)),
            ranking=Ranking((Criterion("distance"), Criterion("priority"))),
            split=SplitLimit(3),
            fallback=Fallback("next"),
        ),
        Strategy(
            "everywhere",
            filters=(HasStock("any"),),
            ranking=Ranking(
                (Criterion("priority"), Criterion("distance", 2.0), Criterion("stock_depth")),
                mode="weighted",
            ),
            split=SplitLimit(None),
            fallback=Fallback("backorder"),
        ),
    ),
)


def network(count: int, skus: int, rng: random.Random) -> list[LocationFacts]:
    hours = weekly("Mon-Sat", "09:00", "20:00", cutoff="16:00", timezone="Europe/Berlin")
    out = []
    for i in range(count):
        store = i % 4 != 0
        carried = rng.sample(range(1, skus + 1), k=max(1, skus // 3))
        out.append(
            LocationFacts(
                id=i + 1,
                code=f"{'ST' if store else 'WH'}-{i + 1:04d}",
                kind="store" if store else "warehouse",
                available={sku: rng.randint(0, 20) for sku in carried},
                groups=frozenset({"stores" if store else "central"}),
                priority=rng.randint(1, 100),
                latitude=rng.uniform(47.5, 54.5),
                longitude=rng.uniform(6.5, 14.5),
                calendar=hours if store else None,
                daily_capacity=rng.choice([None, 50, 200]),
                assigned_today=rng.randint(0, 60),
                cost_per_shipment=Decimal(rng.randint(300, 900)) / 100,
            )
        )
    return out


def cart(lines: int, skus: int, rng: random.Random, n: int) -> OrderFacts:
    picked = rng.sample(range(1, skus + 1), k=lines)
    return OrderFacts(
        order_id=f"B-{n}",
        channel="web",
        destination=Destination("DE", latitude=rng.uniform(47.5, 54.5), longitude=10.0),
        lines=tuple(OrderLine(k, sku, rng.randint(1, 3)) for k, sku in enumerate(picked)),
        value=Decimal("99.00"),
    )


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def decision_times(budget: float) -> list[dict[str, object]]:
    rows = []
    for n_loc in LOCATIONS:
        rng = random.Random(n_loc)
        skus = 400
        locs = network(n_loc, skus, rng)
        for n_lines in LINES:
            orders = [cart(n_lines, skus, rng, i) for i in range(50)]
            samples: list[float] = []
            outcomes: dict[str, int] = defaultdict(int)
            shipments = 0
            start = time.perf_counter()
            i = 0
            while (time.perf_counter() - start < budget and len(samples) < 2000) or len(
                samples
            ) < 20:
                order = orders[i % len(orders)]
                t0 = time.perf_counter()
                decision = decide(order, locs, PROFILE, NOW)
                samples.append((time.perf_counter() - t0) * 1000)
                if i < len(orders):
                    outcomes[decision.outcome] += 1
                    shipments += len(decision.location_ids)
                i += 1
            row = {
                "lines": n_lines,
                "locations": n_loc,
                "runs": len(samples),
                "p50_ms": round(percentile(samples, 0.50), 3),
                "p99_ms": round(percentile(samples, 0.99), 3),
                "mean_ms": round(statistics.fmean(samples), 3),
                "us_per_line_location": round(
                    percentile(samples, 0.50) * 1000 / (n_lines * n_loc), 3
                ),
                "outcomes": dict(outcomes),
                "shipments_per_order": round(shipments / min(i, len(orders)), 2),
            }
            rows.append(row)
            print(
                f"  {n_lines:>3} lines × {n_loc:>5} locations: p50 {row['p50_ms']:>8.3f} ms  "
                f"p99 {row['p99_ms']:>8.3f} ms  ({row['runs']} runs, "
                f"{row['us_per_line_location']} µs per line×location)",
                flush=True,
            )
    return rows


# --- Olist back-test -------------------------------------------------------------------------

# Approximate coordinates of each Brazilian state's capital.
STATES = {
    "AC": (-9.97, -67.81), "AL": (-9.67, -35.74), "AM": (-3.12, -60.02), "AP": (0.03, -51.07),
    "BA": (-12.97, -38.50), "CE": (-3.73, -38.52), "DF": (-15.79, -47.88), "ES": (-20.32, -40.34),
    "GO": (-16.68, -49.25), "MA": (-2.53, -44.30), "MG": (-19.92, -43.94), "MS": (-20.44, -54.65),
    "MT": (-15.60, -56.10), "PA": (-1.46, -48.50), "PB": (-7.12, -34.86), "PE": (-8.05, -34.88),
    "PI": (-5.09, -42.80), "PR": (-25.43, -49.27), "RJ": (-22.91, -43.17), "RN": (-5.79, -35.21),
    "RO": (-8.76, -63.90), "RR": (2.82, -60.67), "RS": (-30.03, -51.23), "SC": (-27.60, -48.55),
    "SE": (-10.91, -37.07), "SP": (-23.55, -46.63), "TO": (-10.18, -48.33),
}  # fmt: skip


def _where(state: str, zip_prefix: str) -> tuple[float | None, float | None]:
    if state not in STATES:
        return None, None
    lat, lon = STATES[state]
    jitter = (int(zip_prefix or 0) % 97) / 97 - 0.5  # spread a state's places a little
    return lat + jitter, lon - jitter


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def olist_cases(directory: Path, limit: int) -> tuple[list[BacktestCase], dict[str, int]]:
    orders = {r["order_id"]: r for r in _read(directory / "olist_orders_dataset.csv")}
    customers = {r["customer_id"]: r for r in _read(directory / "olist_customers_dataset.csv")}
    sellers = _read(directory / "olist_sellers_dataset.csv")
    items = _read(directory / "olist_order_items_dataset.csv")
    sku_ids: dict[str, int] = {}
    by_order: dict[str, dict[int, tuple[int, Decimal]]] = defaultdict(dict)
    sold: dict[tuple[str, int], int] = defaultdict(int)
    for item in items:
        sku = sku_ids.setdefault(item["product_id"], len(sku_ids) + 1)
        qty, value = by_order[item["order_id"]].get(sku, (0, Decimal(0)))
        by_order[item["order_id"]][sku] = (qty + 1, value + Decimal(item["price"]))
        sold[(item["seller_id"], sku)] += 1
    rng = random.Random(7)
    seller_stock: dict[str, dict[int, int]] = defaultdict(dict)
    for (seller, sku), qty in sold.items():
        seller_stock[seller][sku] = qty + rng.randint(0, 2)
    locations: list[LocationFacts] = []
    for i, s in enumerate(sorted(sellers, key=lambda r: r["seller_id"])):
        lat, lon = _where(s["seller_state"], s["seller_zip_code_prefix"])
        locations.append(
            LocationFacts(
                id=i + 1,
                code=f"S-{s['seller_id'][:8]}",
                kind="store",
                available=seller_stock.get(s["seller_id"], {}),
                groups=frozenset({"sellers"}),
                priority=5,
                country="BR",
                region=s["seller_state"],
                latitude=lat,
                longitude=lon,
                daily_capacity=20,
            )
        )
    # two central warehouses carrying half the catalogue, a few units each
    for j, (code, state) in enumerate((("WH-SP", "SP"), ("WH-PE", "PE"))):
        lat, lon = STATES[state]
        stock = {sku: rng.randint(0, 4) for sku in sku_ids.values() if rng.random() < 0.5}
        locations.append(
            LocationFacts(
                id=100_000 + j, code=code, kind="warehouse", available=stock,
                groups=frozenset({"central"}), priority=10, country="BR", region=state,
                latitude=lat, longitude=lon, daily_capacity=500,
            )
        )  # fmt: skip
    holding: dict[int, list[LocationFacts]] = defaultdict(list)
    for loc in locations:
        for sku, qty in loc.available.items():
            if qty > 0:
                holding[sku].append(loc)
    cases = []
    candidates_seen = []
    for order_id, lines in list(by_order.items())[:limit]:
        head = orders.get(order_id)
        customer = customers.get(head["customer_id"]) if head else None
        if customer is None:
            continue
        lat, lon = _where(customer["customer_state"], customer["customer_zip_code_prefix"])
        when = datetime.fromisoformat(head["order_purchase_timestamp"]).replace(tzinfo=UTC)
        order = OrderFacts(
            order_id=order_id,
            channel="olist",
            destination=Destination(
                "BR", customer["customer_state"], customer["customer_zip_code_prefix"], lat, lon
            ),
            lines=tuple(OrderLine(k, sku, q) for k, (sku, (q, _)) in enumerate(lines.items())),
            value=sum((v for _, v in lines.values()), Decimal(0)),
            currency="BRL",
        )
        # like the service will: candidates are the locations holding any of the order's SKUs
        cands = {loc.id: loc for sku in lines for loc in holding[sku]}
        candidates_seen.append(len(cands))
        cases.append(BacktestCase(order, list(cands.values()), when))
    stats = {
        "orders": len(cases),
        "locations": len(locations),
        "skus": len(sku_ids),
        "mean_candidates": round(statistics.fmean(candidates_seen), 2) if cases else 0,
        "max_candidates": max(candidates_seen, default=0),
    }
    return cases, stats


SELLERS_FIRST = Profile(
    "olist-sellers-first",
    (Strategy("sellers", ranking=Ranking((Criterion("priority", 1.0),)), split=SplitLimit(3)),),
)
NEAREST = Profile(
    "olist-warehouse-nearest-first",
    (
        Strategy(
            "warehouses",
            filters=(KindIn(("warehouse",)), HasStock("all_lines")),
            ranking=Ranking((Criterion("distance"),)),
            split=SplitLimit(1),
            fallback=Fallback("next"),
        ),
        Strategy(
            "nearest",
            filters=(CapacityLeft(),),
            ranking=Ranking((Criterion("distance"), Criterion("priority"))),
            split=SplitLimit(3),
        ),
    ),
)


def olist_backtest(directory: Path, limit: int) -> dict[str, object] | None:
    if not (directory / "olist_orders_dataset.csv").exists():
        print(f"  Olist sample not found in {directory}: back-test skipped (use --olist DIR)")
        return None
    t0 = time.perf_counter()
    cases, stats = olist_cases(directory, limit)
    load_s = time.perf_counter() - t0
    print(
        f"  loaded {stats['orders']} orders, {stats['locations']} locations, {stats['skus']} SKUs "
        f"in {load_s:.2f} s; candidates per order: mean {stats['mean_candidates']}, "
        f"max {stats['max_candidates']}"
    )
    throughput = {}
    for profile in (SELLERS_FIRST, NEAREST):
        t0 = time.perf_counter()
        backtest(cases, profile)
        elapsed = time.perf_counter() - t0
        throughput[profile.code] = round(len(cases) / elapsed, 1)
        print(f"  {profile.code}: {throughput[profile.code]:,.0f} orders/s", flush=True)
    t0 = time.perf_counter()
    comparison = backtest_compare(cases, SELLERS_FIRST, NEAREST)
    compare_s = time.perf_counter() - t0
    result = comparison.to_dict()
    result.pop("changed")
    print(
        f"  compare (2 profiles): {len(cases) / compare_s:,.0f} orders/s; "
        f"{result['changed_orders']} of {len(cases)} orders decided differently"
    )
    for side in ("baseline", "candidate"):
        m = result[side]
        print(
            f"    {side:9}: split rate {m['split_rate']:.3f}, average {m['average_km']} km, "
            f"store share {m['store_share']:.3f}, unfillable lines {m['unfillable_lines']}, "
            f"over capacity {len(m['over_capacity'])}"
        )
    for side in ("baseline", "candidate"):
        result[side]["over_capacity"] = len(result[side]["over_capacity"])  # type: ignore[index]
    return {
        "dataset": stats,
        "load_s": round(load_s, 2),
        "orders_per_s": throughput,
        "compare_orders_per_s": round(len(cases) / compare_s, 1),
        "comparison": result,
    }


def markdown(report: dict[str, object]) -> str:
    out = [
        "# Sourcing benchmark",
        "",
        f"{report['when']} · Python {report['python']} · {report['machine']}",
        "",
        "| lines | locations | p50 ms | p99 ms | mean ms | µs per line×location | runs |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in report["decisions"]:  # type: ignore[attr-defined]
        out.append(
            f"| {r['lines']} | {r['locations']} | {r['p50_ms']} | {r['p99_ms']} | "
            f"{r['mean_ms']} | {r['us_per_line_location']} | {r['runs']} |"
        )
    back = report.get("olist")
    if back:
        out += ["", "## Olist back-test", "", "```json", json.dumps(back, indent=2), "```"]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sourcing")
    parser.add_argument("--olist", type=Path, default=DEFAULT_OLIST)
    parser.add_argument("--budget", type=float, default=2.0, help="seconds per cell")
    parser.add_argument("--orders", type=int, default=10_000, help="Olist orders to back-test")
    args = parser.parse_args(argv)
    print("Decision time (two strategies: nearby within 300 km, then everywhere weighted):")
    decisions = decision_times(args.budget)
    print("Olist back-test:")
    back = olist_backtest(args.olist, args.orders)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    report = {
        "when": stamp,
        "python": sys.version.split()[0],
        "machine": f"{platform.system()} {platform.machine()}",
        "decisions": decisions,
        "olist": back,
    }
    RESULTS.mkdir(exist_ok=True)
    for path in (RESULTS / f"sourcing-{stamp}.json", RESULTS / "sourcing-latest.json"):
        path.write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / f"sourcing-{stamp}.md").write_text(markdown(report))
    print(f"Results: {RESULTS / f'sourcing-{stamp}.json'} and .md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
