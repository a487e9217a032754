"""bench/packing.py runs, its orders hold the units it says, and its baseline ships one box per
unit (figures are never asserted)."""

from __future__ import annotations

import sys

from bench import packing


def test_the_bench_orders_hold_their_units_and_the_bench_prints_its_figures(capsys, monkeypatch):
    orders = packing.orders_make(20, 50, 10)
    assert {sum(i.quantity for i in items) for items in orders} == {50}
    assert len(packing.one_box_per_unit(orders[0], packing.BOXES)) == 50
    monkeypatch.setattr(sys, "argv", ["bench.packing", "--orders", "20"])
    packing.main()
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "orders: 20 of 50 units over 1 to 10 SKUs, 5 box types"
    assert out[1].startswith("pack, explained: p50 ")
    assert out[2].startswith("baseline, one box per unit: p50 ") and out[2].endswith("total 1,000")
    assert out[3].startswith("pack/baseline time ratio (p50) ")
