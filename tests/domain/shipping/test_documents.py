"""The pure content of the shipping paper (docs/shipping.md, "Packing slips", "A day's
manifest", "Return labels"): a manifest's rows each parcel once in shipment order with its
totals, the carriers matched as tracking matches them; a packing slip's lines and parcels; a
return's label."""

from __future__ import annotations

from datetime import date

import pytest

from ordino.core.domain.errors import DomainError
from ordino.shipping.domain.labels import PackageFacts, ShipmentFacts, return_label_make
from ordino.shipping.domain.manifests import carrier_matches, manifest_make
from ordino.shipping.domain.slips import packing_slip_make, parcel_text

DAY = date(2026, 12, 2)
TO = {"name": "Ada", "line1": "Unter den Linden 1", "postal_code": "10117", "city": "Berlin",
      "country": "de"}  # fmt: skip


def facts(sid: int, *parcels: tuple[str, int | None], tracking=()) -> ShipmentFacts:
    return ShipmentFacts(
        shipment_id=sid, order_reference=f"Order W-{sid}", carrier="DHL", service="Paket",
        sender={}, recipient=TO, day=DAY, tracking_numbers=tuple(tracking),
        packages=tuple(PackageFacts(g, t) for t, g in parcels),
    )  # fmt: skip


def test_a_manifest_lists_each_parcel_once_by_shipment_then_parcel_with_its_totals():
    # given shipments listed out of order, one twice, one without packages
    shipments = [facts(9, ("B", 800)), facts(3, ("A1", 1250), ("A2", None)), facts(9, ("B", 800)),
                 facts(5, tracking=["C"])]  # fmt: skip
    m = manifest_make(location="WH-A", location_name="A", carrier="dhl", day=DAY,
                      shipments=shipments)  # fmt: skip
    assert [(r.shipment_id, r.tracking_number, r.parcel_text, r.weight_grams) for r in m.rows] == [
        (3, "A1", "1 of 2", 1250), (3, "A2", "2 of 2", None), (5, "C", "1 of 1", None),
        (9, "B", "1 of 1", 800),
    ]  # fmt: skip
    assert (m.shipments, m.parcels, m.weight_grams, m.unweighed) == (3, 4, 2050, 2)
    assert (m.rows[0].city, m.rows[0].country, m.carrier) == ("Berlin", "DE", "DHL")


def test_a_manifest_refuses_a_package_without_a_tracking_number_naming_it():
    with pytest.raises(DomainError) as refused:
        manifest_make(location="WH-A", location_name="A", carrier="dhl", day=DAY,
                      shipments=[facts(3, ("A1", 1), ("", 2))])  # fmt: skip
    assert refused.value.code == "package_without_tracking"
    assert refused.value.errors[0]["field"] == "packages.1.tracking_number"


@pytest.mark.parametrize(
    ("recorded", "asked", "same"),
    [("DHL", "dhl", True), ("DHL Express", "dhl_express", True), ("DHL", "DHL Express", False),
     ("UPS", "---", False)],
)  # fmt: skip
def test_carriers_match_as_tracking_matches_them(recorded, asked, same):
    assert carrier_matches(recorded, asked) is same


def test_a_slip_keeps_every_line_and_lists_parcels_only_with_their_source():
    lines = [{"sku": f"S{n}", "name": "x" * 80, "quantity_open": n, "quantity_shipped": 1}
             for n in range(3)]  # fmt: skip
    slip = packing_slip_make(fo_id=17, order_number="W-1", location={"name": "A"}, ship_to=TO,
                             lines=lines, parcels=[parcel_text("40", "30", "30", 2500)],
                             day=DAY)  # fmt: skip
    assert [line.sku for line in slip.lines] == ["S0", "S1", "S2"]
    assert slip.lines[0].name.endswith("...") and len(slip.lines[0].name) == 52
    assert (slip.reference, slip.to_pack, slip.shipped) == ("FO-17", 3, 3)
    assert (slip.parcels, slip.parcels_from) == ((), "")  # no source named: none listed
    assert slip.ship_to == ("Ada", "Unter den Linden 1", "10117 Berlin", "DE")
    assert parcel_text("40", "30", "30", 2500, "BOX-L").text == "40 × 30 × 30 cm, 2.5 kg: BOX-L"


def test_a_return_label_goes_from_the_customer_to_the_location_with_the_banner():
    label = return_label_make(reference="R12-1", order_reference="W-1", customer=TO,
                              location={"name": "Retouren", "city": "Bremen", "country": "DE"},
                              carrier="DHL", day=DAY)  # fmt: skip
    assert (label.tracking_number, label.banner, label.dated) == ("R12-1", "RETURN", "Issued")
    assert label.sender[0] == "Ada" and label.recipient == ("Retouren", "Bremen", "DE")
    assert label.reference == "Return R12-1 / order W-1"
    with pytest.raises(DomainError) as refused:
        return_label_make(reference="R" * 41, order_reference="W-1", customer=TO, location={},
                          carrier="", day=DAY)  # fmt: skip
    assert (refused.value.code, refused.value.errors[0]["field"]) == (
        "tracking_not_printable",
        "reference",
    )
