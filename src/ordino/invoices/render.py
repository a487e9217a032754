"""An invoice or credit note as a document: one plain dict (`document`) that both the HTML
(Django templates) and the PDF (reportlab) are drawn from, so the two never disagree."""

from __future__ import annotations

import io
from decimal import Decimal
from xml.sax.saxutils import escape

from django.template.loader import render_to_string
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ordino.core.domain.money import quantum
from ordino.invoices.domain.amounts import DocLine, tax_summary
from ordino.invoices.models import Invoice


def _m(amount: Decimal, currency: str) -> str:
    return f"{amount.quantize(quantum(currency)):,}"


def document(invoice: Invoice) -> dict:
    """Everything printed on the document, amounts as strings in the currency's decimals."""
    cur = invoice.currency
    rows = list(invoice.lines.all())
    lines = [
        DocLine(
            r.line_no, r.sku, r.name, r.quantity, r.unit_price, r.net, r.tax, r.total, r.tax_rate
        )
        for r in rows
    ]
    summary = tax_summary(lines, invoice.shipping_net, invoice.shipping_tax)
    credit = invoice.kind == "credit_note"
    return {
        "title": "Credit note" if credit else "Invoice",
        "number": invoice.number,
        "issued": invoice.issued_at.strftime("%Y-%m-%d"),
        "order": invoice.order_id,
        "reference": invoice.reference,
        "reason": invoice.reason,
        "currency": cur,
        "seller": invoice.seller,
        "seller_lines": [s for s in invoice.seller.get("address", "").splitlines() if s],
        "buyer": invoice.buyer,
        "buyer_lines": _address_lines(invoice.buyer),
        "lines": [
            {
                "line_no": line.line_no,
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": _m(line.unit_price, cur),
                "net": _m(line.net, cur),
                "tax": _m(line.tax, cur),
                "total": _m(line.total, cur),
            }
            for line in lines
        ],
        "shipping": bool(invoice.shipping_net or invoice.shipping_tax),
        "shipping_net": _m(invoice.shipping_net, cur),
        "shipping_tax": _m(invoice.shipping_tax, cur),
        "shipping_total": _m(invoice.shipping_net + invoice.shipping_tax, cur),
        "tax_summary": [
            {
                "rate": f"{rate}%" if rate is not None else "—",
                "net": _m(net, cur),
                "tax": _m(tax, cur),
            }
            for rate, net, tax in summary
        ],
        "net_total": _m(invoice.net_total, cur),
        "tax_total": _m(invoice.tax_total, cur),
        "total": _m(invoice.total, cur),
    }


def _address_lines(buyer: dict) -> list[str]:
    city = " ".join(p for p in (buyer.get("postal_code"), buyer.get("city")) if p)
    parts = [
        buyer.get("name")
        or " ".join(p for p in (buyer.get("first_name"), buyer.get("last_name")) if p),
        buyer.get("company"),
        buyer.get("line1"),
        buyer.get("line2"),
        city,
        buyer.get("region"),
        buyer.get("country"),
    ]
    return [str(p) for p in parts if p]


def invoice_html(invoice: Invoice) -> str:
    return render_to_string("invoices/document.html", {"doc": document(invoice)})


def invoice_text(invoice: Invoice) -> str:
    return render_to_string("invoices/email.txt", {"doc": document(invoice)})


def invoice_pdf(invoice: Invoice) -> bytes:
    """The same document as a PDF (A4), drawn with reportlab's platypus."""
    doc = document(invoice)
    styles = getSampleStyleSheet()
    out = io.BytesIO()
    pdf = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=f"{doc['title']} {doc['number']}",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
    )
    p = lambda text, style="Normal": Paragraph(escape(str(text)), styles[style])  # noqa: E731
    seller = [doc["seller"].get("name", ""), *doc["seller_lines"]]
    if doc["seller"].get("vat_id"):
        seller.append(f"VAT ID {doc['seller']['vat_id']}")
    story = [
        p(f"{doc['title']} {doc['number']}", "Title"),
        p(f"Date {doc['issued']} · order {doc['order']} · {doc['currency']}"),
        Spacer(1, 6 * mm),
        Table(
            [[_block(seller, styles), _block(doc["buyer_lines"], styles)]],
            colWidths=[87 * mm, 87 * mm],
        ),
        Spacer(1, 6 * mm),
    ]
    if doc["reason"]:
        story += [p(f"Reason: {doc['reason']}"), Spacer(1, 3 * mm)]
    story += [_table(doc), Spacer(1, 6 * mm), _summary(doc)]
    pdf.build(story)
    return out.getvalue()


def _block(lines: list[str], styles) -> Paragraph:
    return Paragraph("<br/>".join(escape(s) for s in lines), styles["Normal"])


def _grid(rows: list[list[str]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
            ]
        )
    )
    return table


def _table(doc: dict) -> Table:
    rows = [["#", "Item", "Qty", "Unit price", "Net", "Tax", "Total"]]
    for line in doc["lines"]:
        rows.append(
            [
                str(line["line_no"]),
                f"{line['sku']} {line['name']}"[:40],
                str(line["quantity"]),
                line["unit_price"],
                line["net"],
                line["tax"],
                line["total"],
            ]
        )
    if doc["shipping"]:
        rows.append(
            [
                "",
                "Shipping",
                "",
                "",
                doc["shipping_net"],
                doc["shipping_tax"],
                doc["shipping_total"],
            ]
        )
    return _grid(rows, [8, 62, 12, 22, 22, 20, 28])


def _summary(doc: dict) -> Table:
    rows = [["Tax rate", "Net", "Tax"]]
    rows += [[t["rate"], t["net"], t["tax"]] for t in doc["tax_summary"]]
    rows += [
        ["Net total", doc["net_total"], ""],
        ["Tax total", "", doc["tax_total"]],
        [f"Total {doc['currency']}", "", doc["total"]],
    ]
    return _grid(rows, [60, 40, 40])
