"""The CN23 drawn (docs/shipping.md, "Customs"): many items run on as many pages as they take,
each item once and in order, the totals on the last page; text folded to what it prints."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ordino.shipping.customs import CustomsPaper
from ordino.shipping.documents.customs_pdf import customs_pdf
from ordino.shipping.domain.customs import LineToDeclare, declaration_make
from tests.shipping.labels.decode import pdf_text


def paper(count: int) -> CustomsPaper:
    lines = [
        LineToDeclare(f"SKU-{i:03}", f"Item {i}", 1, 1, Decimal("1.25"), "610910", "PT",
                      f"Łódź wool scarf {i}", 100)
        for i in range(count)
    ]  # fmt: skip
    declaration = declaration_make(lines=lines, currency="EUR", signer="Lager Ost",
                                   sender_country="DE", recipient_country="GB")  # fmt: skip
    return CustomsPaper(shipment_id=7, order_number="W-9", tracking_numbers=("JD1",),
                        sender=("Lager Ost", "DE"), recipient=("Ada", "London", "GB"),
                        day=date(2026, 12, 2), declaration=declaration)  # fmt: skip


def test_a_cn23_of_many_items_runs_on_every_page_each_item_once():
    pages = pdf_text(customs_pdf(paper(80), "letter"))
    assert len(pages) > 2
    assert "CN23 Customs declaration" in pages[0]
    assert "(continued)" in pages[1]
    text = "\n".join(pages)
    found = [text.index(f"SKU-{i:03}") for i in range(80)]
    assert found == sorted(found)
    assert all(text.count(f"SKU-{i:03}") == 1 for i in range(80))
    assert "Lódz wool scarf 0" in pages[0]  # Ł folded to L, ó kept: what Helvetica prints
    assert "100.00 EUR" in pages[-1] and "8 kg" in pages[-1]
    assert "Signed: Lager Ost · 2026-12-02" in pages[-1]
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))
