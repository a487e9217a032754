"""`ordino shipping account|accounts|buy|purchases|void|ship-labels|poll`: the same use cases
as the API, the API key read from an environment variable, recorded answers replayed."""

from __future__ import annotations

from io import StringIO

import pytest
import responses
from django.core.management import CommandError, call_command

from ordino.shipping.models import CarrierAccount, LabelPurchase, Tracker
from tests.shipping.carriers.recorded import EASYPOST, answer
from tests.shipping.test_rating import fo  # noqa: F401 (a fixture)
from tests.shipping.tracked import shipped

pytestmark = pytest.mark.django_db
SHP = "shp_5c1f0a9e2b7d4e0c9a1b3d5f7e9a2c4b"


def run(*args: str) -> str:
    out = StringIO()
    call_command("shipping", *args, stdout=out)
    return out.getvalue()


def test_an_account_takes_its_key_from_the_environment(monkeypatch):
    monkeypatch.setenv("EP_KEY", "EZTK-from-env")
    assert run("account", "ep", "--name", "EasyPost", "--adapter", "easypost",
               "--api-key-env", "EP_KEY") == "Created ep (easypost).\n"  # fmt: skip
    assert "EZTK" not in CarrierAccount.objects.get().api_key_encrypted
    assert run("accounts").split() == ["ep", "easypost", "key", "kept", "active", "EasyPost"]
    with pytest.raises(CommandError, match="NOPE is empty"):
        run("account", "ep", "--api-key-env", "NOPE")


def test_buy_list_and_void_a_label(monkeypatch, fo):  # noqa: F811
    monkeypatch.setenv("EP_KEY", "EZTK")
    run("account", "ep", "--name", "EasyPost", "--adapter", "easypost", "--api-key-env", "EP_KEY")
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_shipment_bought")
        bought = run("buy", str(fo["id"]), "--account", "ep", "--parcel", "30x20x10@1.2")
    pk = LabelPurchase.objects.get().pk
    assert bought == f"Bought: #{pk} parcel 1 ep bought 9400100105442285876350 5.93 USD\n"
    assert run("purchases", str(fo["id"])) == bought.removeprefix("Bought: ")
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/refund", "easypost_shipment_refunded")
        assert run("void", str(fo["id"]), str(pk)).startswith(f"Voided: #{pk} parcel 1 ep voided")


def test_ship_labels_ships_with_the_label_bought(monkeypatch, fo):  # noqa: F811
    monkeypatch.setenv("EP_KEY", "EZTK")
    run("account", "ep", "--name", "EasyPost", "--adapter", "easypost", "--api-key-env", "EP_KEY")
    with pytest.raises(CommandError, match="Buy a label for each parcel first"):
        run("ship-labels", str(fo["id"]))
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_shipment_bought")
        run("buy", str(fo["id"]), "--account", "ep", "--parcel", "30x20x10@1.2")
    out = run("ship-labels", str(fo["id"]))
    assert out.startswith("Shipped with USPS GroundAdvantage, 1 parcel(s), 5.93 USD (shipment ")


def test_poll_records_the_trackers_events(api, shop, monkeypatch):
    shipped(api, shop, numbers=("EZ4000000004",), carrier="USPS")
    monkeypatch.setenv("EP_KEY", "EZTK")
    run("account", "ep", "--name", "EasyPost", "--adapter", "easypost", "--api-key-env", "EP_KEY")
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/trackers", "easypost_tracker", status=201)
        said = run("poll", "ep", "USPS", "EZ4000000004")
    assert said == "usps EZ4000000004: unknown -> delivered, 3 event(s) added, 0 known.\n"
    assert Tracker.objects.get().status == "delivered"


def test_a_live_choice_is_rated_bought_and_shipped(monkeypatch, fo):  # noqa: F811
    monkeypatch.setenv("EP_KEY", "EZTK")
    run("account", "ep", "--name", "EasyPost", "--adapter", "easypost", "--api-key-env", "EP_KEY")
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        rated = run("rate", str(fo["id"]), "--parcel", "30x20x10@1.2")
    assert "* ep:USPS/GroundAdvantage  5.93 USD" in rated
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_shipment_bought")
        bought = run("buy-chosen", str(fo["id"]))
    pk = LabelPurchase.objects.get().pk
    assert bought == f"#{pk} parcel 1 ep bought 9400100105442285876350 5.93 USD\n"
    assert run("ship-labels", str(fo["id"])).startswith("Shipped with USPS GroundAdvantage")


def test_rating_without_live_calls_no_provider(monkeypatch, fo):  # noqa: F811
    monkeypatch.setenv("EP_KEY", "EZTK")
    run("account", "ep", "--name", "EasyPost", "--adapter", "easypost", "--api-key-env", "EP_KEY")
    with responses.RequestsMock() as rsps:
        rated = run("rate", str(fo["id"]), "--parcel", "30x20x10@1.2", "--no-live")
        assert len(rsps.calls) == 0
    assert "no service carries this shipment" in rated
