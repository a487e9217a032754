"""Box types (saved and audited) and a fulfillment order's packing proposal, through the use
cases, the API and `ordino shipping box|boxes|pack` (docs/shipping.md, "Parcels and packing")."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from ordino.audit.models import AuditEntry
from ordino.catalog.models import Sku
from ordino.core.domain.errors import DomainError
from ordino.shipping.commands import BoxTypeSettings
from ordino.shipping.models import BoxType
from ordino.shipping.selectors import boxes_of_location, fulfillment_packing_propose
from ordino.shipping.services import box_type_save
from tests.conftest import ApiClient
from tests.factories import auth, make_channel, make_token, order_body, stock

pytestmark = pytest.mark.django_db

SMALL = BoxTypeSettings("BOX-S", "Small", (250, 200, 100), (260, 210, 110), 150, 5000)
LARGE = BoxTypeSettings("BOX-L", "Large", (400, 300, 300), (410, 310, 310), 400, 20000)
BOX_BODY = {
    "name": "Small",
    "inner_length_mm": 250,
    "inner_width_mm": 200,
    "inner_height_mm": 100,
    "outer_length_mm": 260,
    "outer_width_mm": 210,
    "outer_height_mm": 110,
    "tare_g": 150,
    "max_weight_g": 5000,
}


def measure(code: str, sides: tuple[int, int, int], grams: int) -> None:
    Sku.objects.filter(code=code).update(
        length_mm=sides[0], width_mm=sides[1], height_mm=sides[2], weight_grams=grams
    )


@pytest.fixture
def web_order(api, shop):
    """The web order's fulfillment order at WH-A: TEE ×2, MUG ×1, measured; two box types."""
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    measure("TEE", (240, 200, 30), 250)
    measure("MUG", (120, 100, 100), 400)
    box_type_save(command=SMALL, actor="ops")
    box_type_save(command=LARGE, actor="ops")
    order = api.post("/orders", order_body("W-1")).json()
    return order["fulfillment_orders"][0]["id"]


def test_a_box_type_is_created_then_changed_and_both_are_audited(shop):
    # given no box types; when the small box is saved, then saved again heavier
    box_type_save(command=SMALL, actor="ops")
    heavier = BoxTypeSettings(**{**SMALL.__dict__, "max_weight_g": 6000, "reason": "new stock"})
    box_type_save(command=heavier, actor="ops")
    # then one box type, and two audit entries with before and after
    box = BoxType.objects.get()
    assert (box.code, box.location_id, box.max_weight_g) == ("BOX-S", None, 6000)
    entries = list(AuditEntry.objects.filter(object_type="box_type").order_by("id"))
    assert [e.action for e in entries] == ["created", "changed"]
    assert (entries[1].before["max_weight_g"], entries[1].after["max_weight_g"]) == (5000, 6000)
    assert entries[1].reason == "new stock"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"inner": (0, 200, 100)}, "inner"),
        ({"outer": (200, 200, 100)}, "outer"),
        ({"max_weight_g": 100}, "max_weight_g"),
        ({"code": "X" * 33}, "code"),
        ({"name": ""}, "name"),
    ],
)
def test_a_bad_box_type_is_refused_and_nothing_is_written(shop, change, field):
    with pytest.raises(DomainError) as refused:
        box_type_save(command=BoxTypeSettings(**{**SMALL.__dict__, **change}), actor="ops")
    assert refused.value.errors[0]["field"] == field
    assert BoxType.objects.count() == 0 and AuditEntry.objects.count() == 0


def test_a_location_own_box_stands_in_for_every_location_one_of_the_same_code(shop):
    # given a small box everywhere, and WH-A's own small box that is taller
    box_type_save(command=SMALL, actor="ops")
    taller = {"inner": (250, 200, 150), "outer": (260, 210, 160), "location": "WH-A"}
    own = BoxTypeSettings(**{**SMALL.__dict__, **taller})
    box_type_save(command=own, actor="ops")
    # then WH-A packs in its own, WH-B in every location's
    assert [b.inner for b in boxes_of_location(location_id=shop["wh_a"].pk)] == [(250, 200, 150)]
    assert [b.inner for b in boxes_of_location(location_id=shop["wh_b"].pk)] == [(250, 200, 100)]


def test_the_open_items_are_proposed_in_boxes_explained(web_order):
    # given TEE ×2 (1.44 l, 250 g) and MUG ×1 (1.2 l, 400 g) open at WH-A
    # when packing is proposed
    proposal = fulfillment_packing_propose(fo_id=web_order)
    # then one small box: 4.08 of 4.5 l, 150 + 900 = 1.05 kg; rated by its outer sides
    assert proposal["units"] == 3
    assert proposal["why"] == [
        "TEE ×2, MUG ×1 in BOX-S: 4.1 of 4.5 l, 1.05 of 5 kg "
        "(the smallest box that takes all that remained)"
    ]
    parcel = proposal["parcels"][0]
    assert parcel["items"] == [{"sku": "TEE", "quantity": 2}, {"sku": "MUG", "quantity": 1}]
    assert parcel["parcel"] == {
        "length_cm": "26",
        "width_cm": "21",
        "height_cm": "11",
        "weight_kg": "1.05",
    }


def test_an_unmeasured_sku_is_refused_naming_it(web_order):
    Sku.objects.filter(code="MUG").update(height_mm=None)
    with pytest.raises(DomainError) as refused:
        fulfillment_packing_propose(fo_id=web_order)
    assert refused.value.code == "sku_not_measured"
    assert "SKU MUG" in refused.value.message


def test_the_api_answers_the_proposal_and_hides_other_channels_orders(client, api, web_order):
    # given the web order's FO; a marketplace order's FO at the same location
    make_channel("market")
    market = api.post("/orders", order_body("M-1", channel="market")).json()
    market_fo = market["fulfillment_orders"][0]["id"]
    web = ApiClient(client, make_token("fulfillment:read", name="web", channel_codes=["web"]))
    # when the web-limited token asks both proposals
    mine = web.get(f"/fulfillment/orders/{web_order}/packing")
    theirs = web.get(f"/fulfillment/orders/{market_fo}/packing")
    # then its own is answered, the other is 404 as if it did not exist
    assert mine.status_code == 200, mine.content
    assert [p["box"] for p in mine.json()["parcels"]] == ["BOX-S"]
    assert theirs.status_code == 404
    assert theirs.json()["code"] == "fulfillment_order_not_found"


def test_the_api_puts_and_reads_box_types_unrestricted_writers_only(client, api, shop):
    # when an unrestricted token puts a box type
    put = client.put(
        "/api/v1/shipping/boxes/BOX-S",
        data=json.dumps({**BOX_BODY, "location": "WH-A"}),
        content_type="application/json",
        **auth(make_token("shipping:write")),
    )
    # then it is saved and read back
    assert put.status_code == 200, put.content
    got = api.get("/shipping/boxes/BOX-S", location="WH-A").json()
    assert (got["location"], got["tare_g"], got["inner_length_mm"]) == ("WH-A", 150, 250)
    assert [b["code"] for b in api.get("/shipping/boxes").json()] == ["BOX-S"]
    # and a location-limited token may not write it (nothing changed)
    restricted = client.put(
        "/api/v1/shipping/boxes/BOX-S",
        data=json.dumps({**BOX_BODY, "tare_g": 1}),
        content_type="application/json",
        **auth(make_token("shipping", name="wh", location_codes=["WH-A"])),
    )
    assert restricted.status_code == 403
    assert restricted.json()["code"] == "token_restricted"
    assert BoxType.objects.get().tare_g == 150


def test_the_api_refuses_a_box_bigger_inside_than_outside(client, shop):
    response = client.put(
        "/api/v1/shipping/boxes/BOX-S",
        data=json.dumps({**BOX_BODY, "outer_length_mm": 100}),
        content_type="application/json",
        **auth(make_token("shipping")),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_box_type"
    assert BoxType.objects.count() == 0


def test_the_command_line_saves_lists_and_packs(web_order):
    out = StringIO()
    call_command(
        "shipping", "box", "BOX-M", "--inner", "300x250x200", "--outer", "310x260x210",
        "--tare", "250", "--max-weight", "10000", "--location", "WH-A", stdout=out,
    )  # fmt: skip
    call_command("shipping", "boxes", "--location", "WH-A", stdout=out)
    call_command("shipping", "pack", str(web_order), stdout=out)
    text = out.getvalue()
    assert "Saved box BOX-M (WH-A)." in text
    assert "BOX-M@WH-A  BOX-M  inner 300x250x200 mm, tare 250 g, up to 10000 g" in text
    assert f"Fulfillment order {web_order} at WH-A: 3 unit(s) in 1 parcel(s)." in text
    assert "1. TEE ×2, MUG ×1 in BOX-S: 4.1 of 4.5 l" in text
    assert "rated as 26x21x11 cm, 1.05 kg" in text


def test_the_command_line_names_the_sku_that_fits_no_box(web_order):
    measure("TEE", (1800, 100, 50), 250)
    with pytest.raises(CommandError, match=r"SKU TEE .* fits no box type"):
        call_command("shipping", "pack", str(web_order), stdout=StringIO())


def test_a_box_type_created_meanwhile_is_a_conflict_not_a_server_error(shop, monkeypatch):
    # given another request that creates BOX-S between this one's read and its write
    real_save = BoxType.save

    def racing_save(self, *args, **kwargs):
        if self.pk is None:
            BoxType.objects.bulk_create([BoxType(code=self.code, name="other", inner_length_mm=1,
                inner_width_mm=1, inner_height_mm=1, outer_length_mm=1, outer_width_mm=1,
                outer_height_mm=1, tare_g=0, max_weight_g=1)])  # fmt: skip
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(BoxType, "save", racing_save)
    # when this one saves (in its request's transaction): then 409, and nothing written
    with pytest.raises(DomainError) as refused, transaction.atomic():
        box_type_save(command=SMALL, actor="ops")
    assert (refused.value.code, refused.value.status) == ("box_type_conflict", 409)
    assert BoxType.objects.count() == 0
    assert AuditEntry.objects.filter(object_type="box_type").count() == 0
