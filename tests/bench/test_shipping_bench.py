"""bench/shipping.py runs, and its sheet is the size it says (figures are never asserted)."""

from __future__ import annotations

import sys

from bench import shipping
from ordino.shipping.domain.sheets import rate_sheet_check


def test_the_bench_sheet_is_sound_and_the_bench_prints_its_figures(capsys, monkeypatch):
    sheet = rate_sheet_check("EUR", "kg", shipping.sheet_rows(3, 10))
    assert (len(sheet.brackets), sheet.max_weight("Z02")) == (30, 5)
    monkeypatch.setattr(sys, "argv", ["bench.shipping", "--zones", "3", "--brackets", "10",
                                      "--parcels", "40"])  # fmt: skip
    shipping.main()
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("sheet: 3 zones × 10 brackets = 30 cells, checked in ")
    assert "(quotes/baseline speed ratio " in out[2]
