"""The platforms' requests for a batch of levels (docs/feeds.md, "Platforms"), as the published
APIs take them: Shopify's `inventory_levels/set`, WooCommerce's `products/batch`."""

from __future__ import annotations

from ordino.feeds.domain.requests import (
    UNMAPPED,
    WooId,
    shopify_inventory_set,
    woocommerce_batch_refused,
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
