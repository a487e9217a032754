"""Rate shopping (docs/shipping.md): how fast a rate sheet is checked and parcels are quoted,
explained, on sheets of karrio's 3,000-cell target and larger.

    PYTHONPATH=src python -m bench.shipping [--zones 30] [--brackets 100] [--parcels 20000]

Pure (`shipping/domain/`, in memory; the database adds one read of the services per shipment).
Printed, never pass/fail:
- checking the sheet (`rate_sheet_check`: every row's money, gaps and overlaps);
- quoting every parcel through `parcel_quote` (zone, billable weight, bracket, surcharges and
  the explanation), against a fair baseline in the same run: the bracket found by scanning the
  sheet's rows, as a flat table read would, with the same weights computed — what quoting would
  cost without the per-zone index, and without explanations.
"""

from __future__ import annotations

import argparse
import random
import time
from decimal import Decimal

from ordino.shipping.domain.quote import Destination, Service, Surcharge, parcel_quote
from ordino.shipping.domain.sheets import Bracket, rate_sheet_check
from ordino.shipping.domain.weights import DimRule, Parcel, billable_weight
from ordino.shipping.domain.zones import ZoneRule, zone_match, zone_rules_check

D = Decimal


def sheet_rows(zones: int, brackets: int) -> list[Bracket]:
    """Per zone, `brackets` half-kilo brackets from 0, prices rising with weight and zone."""
    rows, n = [], 2
    for z in range(zones):
        for i in range(brackets):
            above, up_to = D(i) / 2, D(i + 1) / 2
            price = (D("4.90") + D(z) * D("0.35") + D(i) * D("0.18")).quantize(D("0.01"))
            rows.append(Bracket(f"Z{z:02d}", above, up_to, price, n))
            n += 1
    return rows


def zone_table(zones: int) -> list[ZoneRule]:
    return zone_rules_check(
        [ZoneRule(f"Z{z:02d}", "DE", postal_prefix=f"{z:02d}", row=z + 2) for z in range(zones)]
    )


def parcels_make(n: int, zones: int, max_kg: float, seed: int = 5) -> list[tuple]:
    rng = random.Random(seed)
    side = max(10, min(60, int((max_kg * 0.9 * 5000) ** (1 / 3))))  # priced by the sheet
    out = []
    for _ in range(n):
        size = [D(rng.randint(5, side)) for _ in range(3)]
        kg = D(str(round(rng.uniform(0.1, max_kg * 0.5), 2)))
        postal = f"{rng.randrange(zones):02d}{rng.randint(100, 999)}"
        out.append((Parcel(*size, kg), Destination("DE", postal_code=postal)))
    return out


def baseline(rows, zones, service, parcels) -> float:
    started = time.perf_counter()
    for parcel, to in parcels:
        zone = zone_match(zones, country=to.country, postal_code=to.postal_code).zone
        weight = billable_weight(parcel, service.dim).billable
        next((b for b in rows if b.zone == zone and b.above < weight <= b.up_to), None)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zones", type=int, default=30)
    parser.add_argument("--brackets", type=int, default=100)
    parser.add_argument("--parcels", type=int, default=20000)
    args = parser.parse_args()
    rows, zones = sheet_rows(args.zones, args.brackets), zone_table(args.zones)
    max_kg = args.brackets / 2
    service = Service(
        "bench", "standard", "Bench Standard", DimRule("kg", D(5000), D(0), D("0.5")),
        transit_days=2, max_weight=D(max_kg),
        surcharges=(Surcharge("fuel", percent=D("12.5")),
                    Surcharge("remote_area", amount=D(5), prefixes=("07",))),
    )  # fmt: skip
    started = time.perf_counter()
    sheet = rate_sheet_check("EUR", "kg", rows)
    checked = time.perf_counter() - started
    parcels = parcels_make(args.parcels, args.zones, max_kg)
    started = time.perf_counter()
    quoted = [parcel_quote(service, sheet, zones, p, to) for p, to in parcels]
    quoting = time.perf_counter() - started
    scan = baseline(rows, zones, service, parcels)
    refused = sum(1 for q in quoted if not hasattr(q, "total"))
    cells = len(rows)
    print(f"sheet: {args.zones} zones × {args.brackets} brackets = {cells} cells, "
          f"checked in {checked * 1000:.1f} ms")  # fmt: skip
    print(f"quotes, explained: {args.parcels / quoting:,.0f} parcels/s "
          f"({quoting / args.parcels * 1e6:.1f} µs each; {refused} refused)")  # fmt: skip
    print(f"baseline, rows scanned, no explanation: {args.parcels / scan:,.0f} parcels/s "
          f"(quotes/baseline speed ratio {scan / quoting:.2f})")  # fmt: skip


if __name__ == "__main__":
    main()
