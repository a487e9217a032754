"""Stock pushed to the channel (docs/connectors.md, "Stock pushed to the channel"): a channel's
feed goes to its Shopify or WooCommerce connection (respx, no network): the exact requests, an
unknown SKU refused and kept pending, a failed call keeping the batch pending, the SKU ids
learned once."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from ordino.audit.models import AuditEntry
from ordino.connectors.models import Connection, SkuId
from ordino.connectors.platforms.stock import UNMAPPED
from ordino.connectors.services import (
    ConnectionSettings,
    connection_create,
    connection_update,
    stock_pusher_for,
)
from ordino.connectors.services.stock import ShopifyStockPusher, WooCommerceStockPusher
from ordino.connectors.transport import TransportFailed
from ordino.feeds.models import FeedItem
from ordino.feeds.ports import RecordingPusher, pusher_for
from ordino.feeds.services import feed_push_full, feed_settings_set
from ordino.integrations.domain.themes import theme_fix
from ordino.integrations.models import IntegrationCall
from tests.connectors.shopify import SHOP_URL

pytestmark = pytest.mark.django_db
API = f"{SHOP_URL}/admin/api/2025-01"
LOCATION = 655441491
WOO_URL = "https://woo.example.com"


def _variants(*pairs: tuple[str, int]) -> httpx.Response:
    nodes = [
        {"sku": sku, "inventoryItem": {"id": f"gid://shopify/InventoryItem/{item}"}}
        for sku, item in pairs
    ]
    return httpx.Response(200, json={"data": {"productVariants": {"nodes": nodes}}})


def _shopify(router: respx.Router, *, set_status: int = 200) -> dict[str, respx.Route]:
    """The shop: one active location, TEE and MUG known (CAP is not), sets answered."""
    return {
        "locations": router.get(f"{API}/locations.json").mock(
            return_value=httpx.Response(
                200,
                json={
                    "locations": [
                        {"id": LOCATION, "active": True},
                        {"id": 1, "active": False},
                    ]
                },
            )
        ),
        "graphql": router.post(f"{API}/graphql.json").mock(
            return_value=_variants(("TEE", 808950810), ("TEE-XL", 5), ("MUG", 39072856))
        ),
        "set": router.post(f"{API}/inventory_levels/set.json").mock(
            return_value=httpx.Response(set_status, json={"inventory_level": {}})
        ),
    }


def _sent(route: respx.Route) -> list[dict]:
    return [json.loads(call.request.content) for call in route.calls]


@pytest.fixture
def feed(shop, connection):
    """The web channel's feed, its Shopify connection, 20 of each SKU at WH-A."""
    return feed_settings_set(
        channel=shop["channel"], enabled=True, min_interval_seconds=30, batch_size=100
    )


@pytest.fixture
def woo(shop):
    return connection_create(
        channel="web",
        values=ConnectionSettings(
            platform="woocommerce", base_url=WOO_URL, access_token="ck_1:cs_2",
            poll_interval_seconds=0,
        ),
    )  # fmt: skip


def test_a_channel_with_an_active_connection_is_pushed_by_its_platform(shop, connection):
    # given the web channel's Shopify connection: its pusher
    assert isinstance(pusher_for("web"), ShopifyStockPusher)
    # when the connection is switched off: the levels are only recorded again
    Connection.objects.filter(pk=connection.pk).update(is_active=False)
    assert stock_pusher_for("web") is None
    assert isinstance(pusher_for("web"), RecordingPusher)


def test_a_channel_without_a_connection_keeps_the_recording_pusher(shop):
    assert stock_pusher_for("web") is None
    assert isinstance(pusher_for("web"), RecordingPusher)


@respx.mock
def test_shopify_levels_are_set_at_the_shops_location_and_an_unknown_sku_is_refused(shop, feed):
    routes = _shopify(respx.mock)
    # when the feed pushes every SKU
    run = feed_push_full(channel=shop["channel"], actor="test")
    # then each known SKU is set, absolute, at the shop's one active location
    assert sorted(_sent(routes["set"]), key=lambda b: b["inventory_item_id"]) == [
        {"location_id": LOCATION, "inventory_item_id": 39072856, "available": 20},
        {"location_id": LOCATION, "inventory_item_id": 808950810, "available": 20},
    ]
    assert routes["set"].calls.last.request.headers["X-Shopify-Access-Token"]
    # the SKUs were asked about in one query; the look-alike TEE-XL is not taken for TEE
    (lookup,) = _sent(routes["graphql"])
    assert lookup["variables"]["q"] == 'sku:"TEE" OR sku:"MUG" OR sku:"CAP"'
    assert dict(SkuId.objects.values_list("sku", "external_id")) == {
        "TEE": 808950810,
        "MUG": 39072856,
    }
    assert Connection.objects.get().inventory_location_id == LOCATION
    # CAP, which no variant has, is refused, not a crash: it stays pending, named
    assert (run.skus_pushed, run.skus_failed, run.batches) == (2, 1, 1)
    cap = FeedItem.objects.get(sku="CAP")
    assert (cap.failures, cap.last_error, cap.pending_since is not None) == (1, UNMAPPED, True)
    assert run.error == f"1 SKU(s) refused, first 'CAP': {UNMAPPED}"
    # the batch is in the log under Shopify's operation, and its theme says how to fix it
    batch = IntegrationCall.objects.get(system="shopify", object_type="feed_run")
    assert (batch.operation, batch.ok) == ("inventory_levels/set", False)
    fix = theme_fix(system="shopify", status_code=None, error=run.error)
    assert fix is not None and fix.code == "channel_products"


@respx.mock
def test_the_sku_ids_and_the_location_are_learned_once(shop, feed):
    routes = _shopify(respx.mock)
    feed_push_full(channel=shop["channel"], actor="test")
    # when the feed pushes again
    feed_push_full(channel=shop["channel"], actor="test")
    # then only the SKU still unknown is asked about; the location is not asked again
    assert routes["locations"].call_count == 1
    assert routes["graphql"].call_count == 2
    assert _sent(routes["graphql"])[1]["variables"]["q"] == 'sku:"CAP"'
    assert routes["set"].call_count == 4


@respx.mock
def test_a_5xx_raises_and_the_feed_keeps_the_batch_pending(shop, feed):
    routes = _shopify(respx.mock, set_status=503)
    # given the pusher alone: the failed write raises (not retried: it may have been applied)
    with pytest.raises(TransportFailed, match="HTTP 503"):
        ShopifyStockPusher(Connection.objects.get()).push("web", [("TEE", 3)])
    assert routes["set"].call_count == 1
    # when the feed pushes: the whole batch stays pending, to be retried after the backoff
    run = feed_push_full(channel=shop["channel"], actor="test")
    assert (run.skus_pushed, run.skus_failed) == (0, 3)
    assert run.error.startswith("TransportFailed: HTTP 503")
    items = FeedItem.objects.order_by("sku").values_list("sku", "failures", "pushed_quantity")
    assert list(items) == [("CAP", 1, None), ("MUG", 1, None), ("TEE", 1, None)]
    assert not FeedItem.objects.filter(pending_since__isnull=True).exists()


@respx.mock
def test_an_id_shopify_no_longer_knows_is_forgotten_and_the_sku_refused(shop, connection):
    # given TEE's kept inventory item, deleted on Shopify since
    SkuId.objects.create(connection=connection, sku="TEE", external_id=808950810)
    Connection.objects.filter(pk=connection.pk).update(inventory_location_id=LOCATION)
    respx.post(f"{API}/inventory_levels/set.json").mock(return_value=httpx.Response(404))
    # when it is pushed
    refused = ShopifyStockPusher(Connection.objects.get()).push("web", [("TEE", 3)])
    # then it is refused as unknown and asked about again next time
    assert refused == [("TEE", f"{UNMAPPED} (its id answered 404)")]
    assert not SkuId.objects.exists()


@respx.mock
def test_a_shop_with_several_locations_is_not_guessed(shop, connection):
    respx.get(f"{API}/locations.json").mock(
        return_value=httpx.Response(200, json={"locations": [{"id": 1}, {"id": 2}]})
    )
    sets = respx.post(f"{API}/inventory_levels/set.json")
    with pytest.raises(TransportFailed, match="several active locations"):
        ShopifyStockPusher(Connection.objects.get()).push("web", [("TEE", 3)])
    assert not sets.called
    assert Connection.objects.get().inventory_location_id is None


@respx.mock
def test_woocommerce_products_and_variations_are_updated_in_batches(shop, woo):
    lookup = respx.get(f"{WOO_URL}/wp-json/wc/v3/products").mock(
        return_value=httpx.Response(200, json=[
            {"id": 10, "sku": "TEE", "parent_id": 0},
            {"id": 77, "sku": "MUG", "parent_id": 70},
        ])
    )  # fmt: skip
    products = respx.post(f"{WOO_URL}/wp-json/wc/v3/products/batch").mock(
        return_value=httpx.Response(200, json={"update": [{"id": 10, "stock_quantity": 4}]})
    )
    variations = respx.post(f"{WOO_URL}/wp-json/wc/v3/products/70/variations/batch").mock(
        return_value=httpx.Response(200, json={"update": [{"id": 77, "error": {
            "code": "woocommerce_rest_invalid_id", "message": "Invalid ID."}}]})
    )  # fmt: skip
    pusher = stock_pusher_for("web")
    assert isinstance(pusher, WooCommerceStockPusher)
    # when three levels are pushed
    refused = pusher.push("web", [("TEE", 4), ("MUG", 2), ("CAP", 0)])
    # then one lookup asked for the three; the product and the variation got their requests
    assert lookup.calls.last.request.url.params["sku"] == "TEE,MUG,CAP"
    assert lookup.calls.last.request.headers["Authorization"].startswith("Basic ")
    assert _sent(products) == [{"update": [{"id": 10, "stock_quantity": 4, "manage_stock": True}]}]
    assert _sent(variations) == [
        {"update": [{"id": 77, "stock_quantity": 2, "manage_stock": True}]}
    ]
    # the item Woo refused and the SKU it does not have are refused, with why
    assert dict(refused) == {"CAP": UNMAPPED, "MUG": "Invalid ID."}
    # and a second push looks up only the unknown SKU
    stock_pusher_for("web").push("web", [("TEE", 5), ("CAP", 1)])
    assert lookup.call_count == 2
    assert lookup.calls.last.request.url.params["sku"] == "CAP"


@respx.mock
def test_a_woocommerce_batch_that_fails_raises(shop, woo):
    SkuId.objects.create(connection=woo, sku="TEE", external_id=10)
    respx.post(f"{WOO_URL}/wp-json/wc/v3/products/batch").mock(return_value=httpx.Response(502))
    with pytest.raises(TransportFailed, match="HTTP 502"):
        stock_pusher_for("web").push("web", [("TEE", 4)])
    assert IntegrationCall.objects.get(operation="products/batch").status_code == 502


def test_the_shopify_location_is_set_through_the_api_audited(api, shop):
    # given a connection to a shop with several locations
    created = api.post("/connectors/connections", {
        "channel": "web", "platform": "shopify", "base_url": SHOP_URL, "access_token": "shpat_x",
    })  # fmt: skip
    assert created.json()["inventory_location_id"] is None
    # when a person names the location the feed sets stock at
    changed = api.patch(
        f"/connectors/connections/{created.json()['id']}", {"inventory_location_id": LOCATION}
    )
    # then it is kept, and the audit says what it was and is
    assert changed.status_code == 200
    assert changed.json()["inventory_location_id"] == LOCATION
    entry = AuditEntry.objects.get(object_type="connection", action="changed")
    assert (entry.before["inventory_location_id"], entry.after["inventory_location_id"]) == (
        None,
        LOCATION,
    )
    # and 0 clears it: learned again at the next push
    api.patch(f"/connectors/connections/{created.json()['id']}", {"inventory_location_id": 0})
    assert Connection.objects.get().inventory_location_id is None


def test_another_shop_address_forgets_what_was_learned_at_the_old_one(shop, connection):
    # given ids and a location learned at the old shop
    SkuId.objects.create(connection=connection, sku="TEE", external_id=808950810)
    connection.inventory_location_id = LOCATION
    connection.save()
    # when the connection points at another shop
    connection_update(
        connection=connection, values=ConnectionSettings(base_url="https://other.myshopify.com")
    )
    # then nothing learned there is kept
    assert not SkuId.objects.exists()
    assert Connection.objects.get().inventory_location_id is None


def test_a_changed_token_keeps_what_was_learned(shop, connection):
    SkuId.objects.create(connection=connection, sku="TEE", external_id=808950810)
    connection_update(connection=connection, values=ConnectionSettings(access_token="shpat_new"))
    assert SkuId.objects.count() == 1


def test_credentials_the_key_cannot_read_fail_the_batch_not_the_round(shop, feed):
    # given a token encrypted with a key this installation no longer has
    Connection.objects.update(credentials_encrypted="gAAAAABnot-a-token-this-key-reads")
    # when the feed pushes: no call, the run finishes and says why, every SKU stays pending
    run = feed_push_full(channel=shop["channel"], actor="test")
    assert run.finished_at is not None
    assert (run.skus_pushed, run.skus_failed) == (0, 3)
    assert "cannot be decrypted with the current key" in run.error
    assert FeedItem.objects.filter(pending_since__isnull=False).count() == 3
