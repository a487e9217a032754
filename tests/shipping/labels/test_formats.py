"""Every label's barcode decodes back to its tracking number, in PDF and in ZPL, one label per
parcel, in order (docs/shipping.md, "Labels"). No database: labels are plain values."""

from __future__ import annotations

from datetime import date

import pytest

from ordino.shipping.domain.labels import PackageFacts, ShipmentFacts, labels_of
from ordino.shipping.labels.pdf import labels_pdf
from ordino.shipping.labels.zpl import barcode_module, field_data, labels_zpl
from tests.shipping.labels.decode import (
    pdf_barcodes,
    pdf_pages,
    pdf_text,
    zpl_barcodes,
    zpl_fields,
    zpl_render,
)

DAY = date(2026, 12, 2)
SENDER = {"name": "Lager Ost", "line1": "Hafenstr. 1", "postal_code": "20457",
          "city": "Hamburg", "country": "DE"}  # fmt: skip
RECIPIENT = {"name": "Ada Lovelace", "line1": "Unter den Linden 1", "postal_code": "10117",
             "city": "Berlin", "country": "DE"}  # fmt: skip


def shipment(
    shipment_id: int = 1, tracking=("1Z999AA10123456784",), packages=(), **changes
) -> ShipmentFacts:
    values = {
        "shipment_id": shipment_id,
        "order_reference": "Order WEB-1001",
        "carrier": "DHL",
        "service": "Paket",
        "sender": SENDER,
        "recipient": RECIPIENT,
        "day": DAY,
        "tracking_numbers": tuple(tracking),
        "packages": tuple(packages),
    }
    return ShipmentFacts(**{**values, **changes})


AWKWARD = shipment(
    7,
    tracking=("X^~_\\>2 a", "9" * 40, "AB>0<C~^", "ABCDEFGHIJ" * 4),
    carrier="Póczta Polska ^FS~JR",
    service="Ekspres ~DG ^XZ " + "x" * 60,
    recipient={
        "name": "Zoë Ångström-Wiśniewska " * 3,
        "company": "",
        "line1": "Łódź, ul. Piotrkowska 1\ttab\nnew line",
        "line2": "",
        "postal_code": "90-001",
        "city": "Łódź 中文",
        "region": "",
        "country": "pl",
    },
)


def test_one_4x6_page_per_parcel_each_barcode_decodes_to_its_tracking_number():
    # given a shipment of three parcels
    labels = labels_of([shipment(tracking=("JD0001", "JD0002", "1Z999AA10123456784"))])
    # when printed as PDF
    pdf = labels_pdf(labels)
    # then three 288×432 pt pages, each with its own barcode, in order
    assert pdf_pages(pdf) == [(288.0, 432.0)] * 3
    assert pdf_barcodes(pdf) == [["JD0001"], ["JD0002"], ["1Z999AA10123456784"]]
    text = pdf_text(pdf)
    assert "Parcel 2 of 3" in text[1]
    for expected in ("Lager Ost", "20457 Hamburg", "Ada Lovelace", "10117 Berlin", "DHL",
                     "Paket", "Order WEB-1001 / shipment 1", "Shipped 2026-12-02"):  # fmt: skip
        assert expected in text[0]


def test_one_zpl_format_per_parcel_each_barcode_decodes_to_its_tracking_number():
    labels = labels_of([shipment(tracking=("JD0001", "JD0002", "1Z999AA10123456784"))])
    zpl = labels_zpl(labels)
    assert zpl.count(b"^XA") == zpl.count(b"^XZ") == 3
    assert zpl.startswith(b"^XA\n^CI28\n^PW812\n^LL1218\n")
    assert [image.size for image in zpl_render(zpl)] == [(812, 1218)] * 3
    assert zpl_barcodes(zpl) == [["JD0001"], ["JD0002"], ["1Z999AA10123456784"]]
    assert "Parcel 2 of 3" in zpl_fields(zpl)[1]


def test_awkward_text_prints_and_every_barcode_still_decodes():
    # given long names, non-ASCII, controls, ZPL's command characters in text and tracking
    labels = labels_of([AWKWARD])
    # when printed in both formats, then each barcode reads back exactly
    expected = [["X^~_\\>2 a"], ["9" * 40], ["AB>0<C~^"], ["ABCDEFGHIJ" * 4]]
    assert pdf_barcodes(labels_pdf(labels)) == expected
    zpl = labels_zpl(labels)
    assert zpl_barcodes(zpl) == expected
    # and the ZPL's text fields hold no raw ^ or ~ and read back as the label's text
    for raw in zpl.split(b"\n"):
        if b"^FD" in raw:
            data = raw.split(b"^FD", 1)[1].removesuffix(b"^FS")
            assert b"^" not in data and b"~" not in data
    fields = zpl_fields(zpl)[0]
    assert "Póczta Polska ^FS~JR" in fields
    assert "Zoë Ångström-Wisniewska Zoë Ång..." in fields
    assert "Lódz, ul. Piotrkowska 1 tab new..." in fields
    assert "90-001 Lódz ??" in fields
    assert "PL" in fields
    assert zpl.isascii()


def test_awkward_text_in_the_pdf_reads_back_without_black_boxes():
    text = pdf_text(labels_pdf(labels_of([AWKWARD])))[0]
    assert "Zoë Ångström-Wisniewska Zoë Ång..." in text
    assert "90-001 Lódz ??" in text
    assert "Póczta Polska ^FS~JR" in text
    assert "\u25a0" not in text  # the box a font without the glyph would draw


def test_empty_optional_fields_leave_no_empty_lines_and_no_weight():
    facts = shipment(service="", recipient={"line1": "Hauptstr. 5", "city": "Köln",
                                             "country": "DE"})  # fmt: skip
    labels = labels_of([facts])
    assert labels[0].recipient == ("Hauptstr. 5", "Köln", "DE")
    assert labels[0].weight == ""
    zpl = labels_zpl(labels)
    assert b"^FD^FS" not in zpl
    assert zpl_barcodes(zpl) == [["1Z999AA10123456784"]]
    assert pdf_barcodes(labels_pdf(labels)) == [["1Z999AA10123456784"]]


def test_the_barcode_module_is_as_wide_as_the_label_allows():
    assert barcode_module("JD0001") == 4
    assert barcode_module("1Z999AA10123456784") == 3
    assert barcode_module("A" * 40) == 1


@pytest.mark.parametrize("dpi", [300, 600])
def test_a_carriers_usual_tracking_number_reads_on_a_finer_printer_too(dpi):
    # 18 characters (UPS), 22 digits (USPS), 10 digits (DHL): modules of 2 dots or more
    labels = labels_of([shipment(tracking=("1Z999AA10123456784", "9" * 22, "1234567890"))])
    expected = [["1Z999AA10123456784"], ["9" * 22], ["1234567890"]]
    assert pdf_barcodes(labels_pdf(labels), dpi=dpi) == expected


def test_field_data_escapes_commands_underscores_and_non_ascii_as_utf8_hex():
    assert field_data("a^b~c_d\\e") == "a_5Eb_7Ec_5Fd_5Ce"
    assert field_data("Zoë") == "Zo_C3_AB"


@pytest.mark.parametrize("render", [labels_pdf, labels_zpl])
def test_a_line_of_the_widest_letters_stays_inside_the_label(render):
    # the recipient's line at its limit, all W: the widest letter of the font
    facts = shipment(recipient={"name": "W" * 34, "line1": "W" * 34, "city": "W", "country": "DE"})
    document = render(labels_of([facts]))
    if render is labels_zpl:
        image = zpl_render(document, font_a=False)[0]
        inked = [
            x for x in range(image.width) if image.crop((x, 270, x + 1, 420)).getextrema()[0] < 128
        ]
        assert min(inked) >= 40 and max(inked) <= 812 - 40
    else:
        assert pdf_barcodes(document) == [["1Z999AA10123456784"]]


def test_bulk_500_labels_in_one_pdf_and_one_zpl_stream_decode_once_each_in_order():
    # given 200 shipments of 1 to 4 parcels, 500 parcels, listed out of order and one twice
    shipments, n = [], 0
    for sid in range(1, 201):
        count = 1 + sid % 4 if n + 1 + sid % 4 <= 500 - (200 - sid) else 1
        count = min(count, 500 - n - (200 - sid))
        tracking = [f"TRK{sid:04d}P{i}" for i in range(1, count + 1)]
        packages = [PackageFacts(500 + i, t) for i, t in enumerate(tracking)]
        shipments.append(shipment(sid, tracking=tracking, packages=packages))
        n += count
    assert n == 500
    listed = list(reversed(shipments)) + shipments[:3]
    labels = labels_of(listed)
    expected = [
        [f"TRK{s.shipment_id:04d}P{i}"] for s in shipments for i in range(1, len(s.packages) + 1)
    ]
    # when printed in one PDF and one ZPL stream
    pdf_codes = pdf_barcodes(labels_pdf(labels))
    zpl_codes = zpl_barcodes(labels_zpl(labels))
    # then each page and each format decodes to one barcode: all 500, none twice, in order
    for codes in (pdf_codes, zpl_codes):
        assert len(codes) == 500
        flat = [c for page in codes for c in page]
        assert len(flat) == len(set(flat)) == 500
        assert codes == expected
