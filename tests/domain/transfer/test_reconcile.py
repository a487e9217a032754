"""Reconciliation: counts, totals per currency, and each kind of difference."""

from __future__ import annotations

from decimal import Decimal

from ordino.transfer.domain.reconcile import OrderFacts, reconcile


def _o(ext: str, total: str, currency: str = "EUR", status=None, lines=None, row=None):
    return OrderFacts("web", ext, Decimal(total), currency, None, status, lines, row)


def test_every_kind_of_difference_is_reported_and_totals_add_up_per_currency():
    legacy = [
        _o("1", "10.00", status="Completed", lines=2, row=2),
        _o("2", "5.00", row=3),
        _o("3", "7.00", row=4),
        _o("3", "7.00", row=5),
        _o("5", "100", "JPY", row=6),
    ]
    ordino = [
        _o("1", "10.00", status="delivered", lines=1),
        _o("2", "6.00"),
        _o("4", "1.00"),
        _o("5", "100", "JPY"),
    ]
    report = reconcile(legacy, ordino, {"completed": "delivered"})
    assert (report.legacy_orders, report.ordino_orders, report.matched) == (4, 4, 3)
    assert report.counts == {
        "duplicate_in_legacy": 1, "line_count_differs": 1, "missing_in_legacy": 1,
        "missing_in_ordino": 1, "total_differs": 1,
    }  # fmt: skip
    assert report.totals["EUR"] == {
        "legacy": Decimal("22.00"), "ordino": Decimal("17.00"), "difference": Decimal("-5.00"),
    }  # fmt: skip
    assert report.totals["JPY"]["difference"] == 0


def test_a_status_not_in_the_map_is_compared_as_it_is():
    report = reconcile([_o("1", "1", status="Open")], [_o("1", "1", status="open")], {})
    assert report.differences == []
    report = reconcile([_o("1", "1", status="Paid")], [_o("1", "1", status="open")], {})
    assert [d.kind for d in report.differences] == ["status_differs"]
