"""Rate and ship on the store screen: the parcels rated and the choice shown, "Ship with …"
ships with it; refusals are shown and change nothing; others' orders are 404."""

from __future__ import annotations

from decimal import Decimal
from html import unescape

import pytest

from ordino.fulfillment.models import Shipment
from ordino.shipping.models import FulfillmentRating, ShipmentCost
from ordino.shipping.selectors import fulfillment_packing_propose
from ordino.shipping.services import box_type_save
from tests.console.test_store_steps import page, post
from tests.shipping.test_api import paket  # noqa: F401 (a fixture)
from tests.shipping.test_packing import LARGE, SMALL, measure

pytestmark = pytest.mark.django_db
TWO = {"parcels": "30x20x10@1.2\n 40x30x20 @ 8 \n", "policy": "cheapest"}


def test_a_clerk_rates_two_boxes_and_ships_with_the_choice(clerk, ship_fo, paket):  # noqa: F811
    # when the clerk rates two boxes
    response, said = post(clerk, ship_fo, "rate", TWO)
    # then DHL Paket is chosen for both, and the screen offers to ship with it
    assert (response.status_code, response.url) == (302, page(ship_fo))
    rating = FulfillmentRating.objects.get()
    assert said == [f"DHL Paket: 12.80 EUR, delivery {rating.delivery}."]
    html = clerk.get(page(ship_fo)).content.decode()
    assert "<b>DHL Paket</b>: 12.80 EUR" in html
    assert "Tracking numbers, one per parcel (2)" in html
    assert "Ship with DHL Paket</button>" in html
    # when it ships with two tracking numbers
    response, said = post(clerk, ship_fo, "ship-rated", {"tracking_numbers": "JD1, JD2"})
    # then the shipment is DHL's, its cost kept, the actor the clerk
    assert said == ["Shipped with DHL Paket, 2 parcel(s), 12.80 EUR."]
    shipment = Shipment.objects.get()
    assert (shipment.carrier, shipment.service, shipment.tracking_numbers) == (
        "dhl",
        "paket",
        ["JD1", "JD2"],
    )
    assert (shipment.actor, ShipmentCost.objects.get().amount) == ("user:clerk", Decimal("12.8"))


def test_a_badly_typed_parcel_is_said_and_nothing_is_kept(clerk, ship_fo, paket):  # noqa: F811
    response, said = post(clerk, ship_fo, "rate", {"parcels": "30x20@1", "policy": "cheapest"})
    assert response.status_code == 302
    assert said == ["A parcel is LxWxH@KG in cm and kg, e.g. 30x20x10@1.2: '30x20@1'."]
    assert FulfillmentRating.objects.count() == 0


def test_one_tracking_number_for_two_parcels_ships_nothing(clerk, ship_fo, paket):  # noqa: F811
    post(clerk, ship_fo, "rate", TWO)
    _response, said = post(clerk, ship_fo, "ship-rated", {"tracking_numbers": "JD1"})
    assert said == ["The rating has 2 parcel(s): give one tracking number each (1 given)."]
    assert (Shipment.objects.count(), ShipmentCost.objects.count()) == (0, 0)


def test_another_locations_order_is_404(clerk, warehouse_fo, paket):  # noqa: F811
    response, _ = post(clerk, warehouse_fo, "rate", TWO)
    assert response.status_code == 404
    assert FulfillmentRating.objects.count() == 0


def test_a_watcher_may_not_rate(watcher, ship_fo, paket):  # noqa: F811
    response, _ = post(watcher, ship_fo, "rate", TWO)
    assert response.status_code == 403
    assert FulfillmentRating.objects.count() == 0


def test_before_the_first_rating_the_boxes_packing_proposes_fill_the_parcels(clerk, ship_fo):
    # given measured SKUs and the network's two box types
    measure("TEE", (240, 200, 30), 250)
    measure("MUG", (120, 100, 100), 400)
    box_type_save(command=SMALL, actor="ops")
    box_type_save(command=LARGE, actor="ops")
    # when the clerk opens the order to ship
    html = clerk.get(page(ship_fo)).content.decode()
    # then the parcels' field holds the proposed box (outer cm, gross kg) and what it holds,
    # with why
    proposal = fulfillment_packing_propose(fo_id=ship_fo.pk)
    assert [p["items"] for p in proposal["parcels"]] == [
        [{"sku": "TEE", "quantity": 2}, {"sku": "MUG", "quantity": 1}]
    ]
    assert 'placeholder="30x20x10@1.2: TEE*2">26x21x11@1.05: TEE*2, MUG*1</textarea>' in html
    assert "Boxes proposed: " + proposal["why"][0] in unescape(html)


def test_the_proposed_contents_are_rated_and_shown_again(clerk, ship_fo, paket):  # noqa: F811
    # given the parcels' field as packing proposed it, contents included
    form = {"parcels": "26x21x11@1.05: TEE*2, MUG*1", "policy": "cheapest"}
    response, _ = post(clerk, ship_fo, "rate", form)
    assert response.status_code == 302
    # when the clerk opens the order again
    html = clerk.get(page(ship_fo)).content.decode()
    # then the rating kept what the parcel holds, and the field shows it to rate again
    rating = FulfillmentRating.objects.get()
    assert rating.parcels[0]["contents"] == [
        {"sku": "TEE", "quantity": 2},
        {"sku": "MUG", "quantity": 1},
    ]
    assert ">26x21x11@1.05: TEE*2, MUG*1</textarea>" in html


def test_contents_over_the_open_units_are_refused_and_nothing_is_rated(clerk, ship_fo, paket):  # noqa: F811
    # when the clerk says the parcel holds 3 TEEs, 2 being open
    form = {"parcels": "26x21x11@1.05: TEE*3, MUG", "policy": "cheapest"}
    response, said = post(clerk, ship_fo, "rate", form)
    # then the screen says why, and nothing is rated
    assert response.status_code == 302
    assert said == ["The parcels hold 3 of TEE; 2 are open."]
    assert FulfillmentRating.objects.count() == 0


def test_without_box_types_nothing_is_proposed(clerk, ship_fo):
    html = clerk.get(page(ship_fo)).content.decode()
    assert 'placeholder="30x20x10@1.2: TEE*2"></textarea>' in html
    assert "data-packing" not in html
