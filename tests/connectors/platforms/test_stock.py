"""The platforms' requests for a batch of levels (docs/connectors.md, "Stock pushed to the
channel"), as the published APIs take them: Shopify's `inventory_levels/set`, WooCommerce's
`products/batch`; and the lookups that learn a SKU's id there."""

from __future__ import annotations

import pytest

from ordino.connectors.platforms.stock import (
    UNMAPPED,
    WooId,
    shopify_inventory_set,
    shopify_location,
    shopify_sku_ids,
    shopify_sku_query,
    woocommerce_batch_refused,
    woocommerce_sku_ids,
    woocommerce_sku_params,
    woocommerce_stock_batch,
)


def test_shopify_sets_each_inventory_item_at_the_channels_location():
    built = shopify_inventory_set(
        [("TEE", 7), ("MUG", 0), ("NEW", 3)],
        location_id=655441491,
        inventory_item_ids={"TEE": 808950810, "MUG": 39072856},
    )
    assert [(r.method, r.path, r.body, r.skus) for r in built.requests] == [
        (
            "POST",
            "/admin/api/2025-01/inventory_levels/set.json",
            {"location_id": 655441491, "inventory_item_id": 808950810, "available": 7},
            ("TEE",),
        ),
        (
            "POST",
            "/admin/api/2025-01/inventory_levels/set.json",
            {"location_id": 655441491, "inventory_item_id": 39072856, "available": 0},
            ("MUG",),
        ),
    ]
    assert built.refused == {"NEW": UNMAPPED}  # never guessed: stays pending, named


def test_woocommerce_updates_products_and_variations_in_batches_of_100():
    ids = {f"S{i}": WooId(1000 + i) for i in range(150)} | {"V": WooId(77, parent_id=70)}
    levels = [(f"S{i}", i) for i in range(150)] + [("V", 4), ("GONE", 1)]
    built = woocommerce_stock_batch(levels, ids=ids)
    assert [(r.path, len(r.body["update"])) for r in built.requests] == [
        ("/wp-json/wc/v3/products/batch", 100),
        ("/wp-json/wc/v3/products/batch", 50),
        ("/wp-json/wc/v3/products/70/variations/batch", 1),
    ]
    assert built.requests[0].body["update"][1] == {
        "id": 1001,
        "stock_quantity": 1,
        "manage_stock": True,
    }
    assert built.requests[2].body == {
        "update": [{"id": 77, "stock_quantity": 4, "manage_stock": True}]
    }
    assert built.requests[1].skus[0] == "S100"
    assert built.refused == {"GONE": UNMAPPED}


def test_a_woocommerce_batch_answer_names_the_items_it_refused():
    request = woocommerce_stock_batch(
        [("TEE", 1), ("MUG", 2)], ids={"TEE": WooId(10), "MUG": WooId(11)}
    ).requests[0]
    answer = {
        "update": [
            {"id": 10, "stock_quantity": 1},
            {"id": 11, "error": {"code": "woocommerce_rest_product_invalid_id",
                                 "message": "Invalid ID.", "data": {"status": 400}}},
        ]
    }  # fmt: skip
    assert woocommerce_batch_refused(request, answer) == {"MUG": "Invalid ID."}


def test_shopify_asks_for_the_missing_skus_variants_in_one_graphql_query():
    # given two SKUs, one with a quote in it
    body = shopify_sku_query(["TEE", 'A"B'])
    # then one query names both, quoted, with room for look-alike answers
    assert body["variables"] == {"q": 'sku:"TEE" OR sku:"A\\"B"', "n": 4}
    assert "productVariants(first: $n, query: $q)" in body["query"]
    assert "inventoryItem { id }" in body["query"]


def test_shopify_lookup_keeps_exact_skus_only_and_leaves_a_sku_on_two_variants_out():
    answer = {"data": {"productVariants": {"nodes": [
        {"sku": "TEE", "inventoryItem": {"id": "gid://shopify/InventoryItem/808950810"}},
        {"sku": "TEE-XL", "inventoryItem": {"id": "gid://shopify/InventoryItem/1"}},
        {"sku": "MUG", "inventoryItem": {"id": "gid://shopify/InventoryItem/2"}},
        {"sku": "MUG", "inventoryItem": {"id": "gid://shopify/InventoryItem/3"}},
    ]}}}  # fmt: skip
    assert shopify_sku_ids(["TEE", "MUG", "CAP"], answer) == {"TEE": 808950810}


def test_a_shopify_graphql_error_is_an_error_not_an_empty_answer():
    with pytest.raises(ValueError, match="Throttled"):
        shopify_sku_ids(["TEE"], {"errors": [{"message": "Throttled"}]})


def test_the_shopify_location_is_the_shops_only_active_one():
    one = {"locations": [{"id": 655441491, "active": True}, {"id": 9, "active": False}]}
    two = {"locations": [{"id": 655441491, "active": True}, {"id": 9, "active": True}]}
    assert shopify_location(one) == 655441491
    assert shopify_location(two) is None  # the merchant says which


def test_woocommerce_lookup_finds_products_and_variations_by_exact_sku():
    assert woocommerce_sku_params(["TEE", "MUG"]) == {"sku": "TEE,MUG", "per_page": 100}
    answer = [
        {"id": 10, "sku": "TEE", "parent_id": 0, "type": "simple"},
        {"id": 77, "sku": "MUG", "parent_id": 70, "type": "variation"},
        {"id": 78, "sku": "MUG-2", "parent_id": 70, "type": "variation"},
    ]
    assert woocommerce_sku_ids(["TEE", "MUG", "CAP"], answer) == {
        "TEE": WooId(10),
        "MUG": WooId(77, parent_id=70),
    }
