"""What order capture decides before it writes: orders/domain/capture.py."""

from __future__ import annotations

import pytest

from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.orders.domain.capture import (
    OrderExists,
    captured_status,
    contact_usable,
    currency_accepted,
    line_skus_check,
    origin_location_of,
    pickup_store_check,
    pickup_store_named,
    repeat_check,
    shelves_location,
    shipping_address_check,
)


def refusal(call) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


def fields(exc: DomainError) -> list[str]:
    return [e["field"] for e in exc.errors]


# --- a repeat of an order captured before --------------------------------------------------


def test_a_repeat_saying_the_same_is_a_replay():
    assert repeat_check(order_id=7, external_id="W-1", stored="abc", fingerprint="abc") is None


def test_a_repeat_with_other_contents_names_the_existing_order():
    exc = refusal(
        lambda: repeat_check(order_id=7, external_id="W-1", stored="abc", fingerprint="xyz")
    )
    assert isinstance(exc, OrderExists)
    assert (exc.code, exc.status, fields(exc)) == ("order_exists", 409, ["external_id"])
    assert exc.extensions == {"existing": {"id": 7, "href": "/api/v1/orders/7"}}
    assert "POST /api/v1/orders/7/edit or /api/v1/orders/7/cancel" in exc.message


def test_an_order_captured_before_fingerprints_were_kept_replays_whatever_the_repeat_says():
    assert repeat_check(order_id=7, external_id="W-1", stored="", fingerprint="xyz") is None


# --- the till capturing the order ----------------------------------------------------------


def test_the_till_named_is_the_origin():
    assert origin_location_of(Scope(location_ids=frozenset({3, 4})), 4) == 4


def test_a_caller_limited_to_one_location_captures_there_without_naming_it():
    assert origin_location_of(Scope(location_ids=frozenset({3})), None) == 3


def test_an_unrestricted_caller_captures_at_no_till():
    assert origin_location_of(UNRESTRICTED, None) is None


def test_a_caller_limited_to_several_locations_must_name_the_till():
    exc = refusal(lambda: origin_location_of(Scope(location_ids=frozenset({3, 4})), None))
    assert (exc.code, exc.status, fields(exc)) == (
        "origin_location_required",
        422,
        ["origin_location"],
    )


# --- currency, delivery, pickup ------------------------------------------------------------


def test_the_channel_currency_is_accepted():
    assert currency_accepted("EUR", channel_code="web", channel_currency="EUR") is None


def test_another_currency_than_the_channel_sells_in_is_refused():
    exc = refusal(lambda: currency_accepted("USD", channel_code="web", channel_currency="EUR"))
    assert (exc.code, fields(exc)) == ("currency_mismatch", ["currency"])
    assert exc.message == "Channel web sells in EUR, not USD."


def test_an_unknown_currency_is_refused_before_it_is_compared():
    exc = refusal(lambda: currency_accepted("XYZ", channel_code="web", channel_currency="EUR"))
    assert exc.code == "unknown_currency"


@pytest.mark.parametrize(
    ("method", "store", "named"),
    [
        ("ship", None, False),
        ("ship", "", False),
        ("pickup", "S-1", True),
        ("ship_to_store", "S-1", True),
    ],
)
def test_a_store_is_named_for_pickup_and_ship_to_store_only(method, store, named):
    assert pickup_store_named(method, store) is named


def test_a_ship_order_naming_a_store_is_refused():
    exc = refusal(lambda: pickup_store_named("ship", "S-1"))
    assert (exc.code, fields(exc)) == ("pickup_location_unexpected", ["pickup_location"])


@pytest.mark.parametrize("method", ["pickup", "ship_to_store"])
@pytest.mark.parametrize("store", [None, ""])
def test_a_pickup_or_ship_to_store_order_without_a_store_is_refused(method, store):
    exc = refusal(lambda: pickup_store_named(method, store))
    assert (exc.code, fields(exc)) == ("pickup_location_required", ["pickup_location"])


def test_a_store_that_offers_no_pickup_is_refused():
    assert pickup_store_check("S-1", offers_pickup=True) is None
    exc = refusal(lambda: pickup_store_check("WH-A", offers_pickup=False))
    assert (exc.code, fields(exc)) == ("not_a_pickup_location", ["pickup_location"])
    assert exc.message == "Location WH-A does not offer pickup."


def test_only_a_pickup_is_served_from_the_stores_own_shelves():
    assert shelves_location("pickup", 9) == 9
    assert shelves_location("ship_to_store", 9) is None  # sourced like a shipment, to the store
    assert shelves_location("ship", None) is None


def test_a_ship_order_needs_a_shipping_address_the_others_do_not():
    assert shipping_address_check("ship", has_address=True) is None
    assert shipping_address_check("pickup", has_address=False) is None
    assert shipping_address_check("ship_to_store", has_address=False) is None
    exc = refusal(lambda: shipping_address_check("ship", has_address=False))
    assert (exc.code, fields(exc)) == ("address_required", ["shipping_address"])


# --- the lines' SKUs -----------------------------------------------------------------------


def test_lines_of_sellable_skus_pass():
    assert line_skus_check(["TEE", "BOX", "TEE"], {"TEE": {1: 1}, "BOX": {1: 2, 2: 1}}) is None


def test_every_line_naming_an_unknown_sku_is_named():
    exc = refusal(lambda: line_skus_check(["TEE", "NOPE", "ZAP", "NOPE"], {"TEE": {1: 1}}))
    assert exc.code == "sku_not_found"
    assert exc.message == "Unknown SKU(s): NOPE, ZAP."
    assert [e["field"] for e in exc.errors] == ["lines.1.sku", "lines.2.sku", "lines.3.sku"]


def test_a_kit_without_components_is_refused_naming_its_first_line():
    exc = refusal(lambda: line_skus_check(["TEE", "BOX", "BOX"], {"TEE": {1: 1}, "BOX": {}}))
    assert (exc.code, fields(exc)) == ("kit_empty", ["lines.1.sku"])
    assert exc.message == "Kit BOX has no components to sell."


# --- the buyer's contact -------------------------------------------------------------------


def test_a_usable_contact_is_normalised():
    assert contact_usable("Ada@Example.com", "030 123456", "DE") == (
        "ada@example.com",
        "+4930123456",
        [],
    )


def test_a_malformed_contact_is_dropped_with_a_warning_never_refused():
    email, phone, warnings = contact_usable("not-an-email", "12", None)
    assert (email, phone) == ("", "")
    assert len(warnings) == 2


def test_no_contact_is_no_warning():
    assert contact_usable("", "", None) == ("", "", [])


# --- the new order's status ----------------------------------------------------------------


def test_a_new_order_is_allocated_or_backordered():
    assert captured_status(backordered=False) == "allocated"
    assert captured_status(backordered=True) == "backordered"
