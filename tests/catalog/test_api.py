"""The catalog over HTTP: products, SKUs, kits."""

import pytest

from ordino.catalog.models import KitComponent, Product, Sku
from tests.factories import auth, make_kit, make_sku, make_token

pytestmark = pytest.mark.django_db


def assert_problem(resp, status, code, field=None):
    assert resp.status_code == status, resp.content
    assert resp["Content-Type"] == "application/problem+json"
    body = resp.json()
    assert body["code"] == code
    if field is not None:
        assert field in [e["field"] for e in body["errors"]], body
    return body


# products


def test_create_product(api):
    # when a product is created
    resp = api.post("/catalog/products", {"code": "MUG", "name": " Mug ", "tags": ["Kitchen"]})
    # then it is stored normalised and returned
    assert resp.status_code == 201
    body = resp.json()
    assert body["code"] == "MUG"
    assert body["name"] == "Mug"
    assert body["tags"] == ["kitchen"]
    assert body["is_active"] is True
    assert body["created_at"].endswith("Z")
    assert Product.objects.get(code="MUG").name == "Mug"


def test_duplicate_product_code_is_a_conflict(api):
    # given a product MUG
    api.post("/catalog/products", {"code": "MUG", "name": "Mug"})
    # when another product MUG is created
    resp = api.post("/catalog/products", {"code": "MUG", "name": "Other"})
    # then 409 and still one product, unchanged
    assert_problem(resp, 409, "product_exists", "code")
    assert list(Product.objects.values_list("name", flat=True)) == ["Mug"]


def test_unknown_field_is_refused(api):
    resp = api.post("/catalog/products", {"code": "MUG", "name": "Mug", "colour": "red"})
    assert_problem(resp, 422, "validation_error", "colour")
    assert Product.objects.count() == 0


def test_read_only_field_is_refused(api):
    resp = api.post("/catalog/products", {"code": "MUG", "name": "Mug", "created_at": "2020-01-01"})
    assert_problem(resp, 422, "validation_error", "created_at")
    assert Product.objects.count() == 0


def test_invalid_code_is_refused(api):
    resp = api.post("/catalog/products", {"code": "a/b", "name": "Mug"})
    assert_problem(resp, 422, "invalid_code", "code")
    assert Product.objects.count() == 0


def test_missing_token_is_unauthorized(client):
    resp = client.post(
        "/api/v1/catalog/products", {"code": "MUG", "name": "Mug"}, content_type="application/json"
    )
    assert_problem(resp, 401, "unauthenticated")
    assert Product.objects.count() == 0


def test_read_scope_cannot_write(client):
    # given a token with only catalog:read
    headers = auth(make_token("catalog:read"))
    # when it creates a product / then 403 and nothing written
    resp = client.post(
        "/api/v1/catalog/products",
        {"code": "MUG", "name": "Mug"},
        content_type="application/json",
        **headers,
    )
    assert_problem(resp, 403, "insufficient_scope")
    assert Product.objects.count() == 0
    # and it may read
    assert client.get("/api/v1/catalog/products", **headers).status_code == 200


def test_other_area_scope_cannot_read(client):
    resp = client.get("/api/v1/catalog/skus", **auth(make_token("orders:read")))
    assert_problem(resp, 403, "insufficient_scope")


def test_get_and_patch_product(api):
    api.post("/catalog/products", {"code": "MUG", "name": "Mug"})
    # when patched / then only the given fields change
    resp = api.patch("/catalog/products/MUG", {"description": "Blue", "is_active": False})
    assert resp.status_code == 200
    assert resp.json()["description"] == "Blue"
    assert resp.json()["is_active"] is False
    assert resp.json()["name"] == "Mug"
    assert api.get("/catalog/products/MUG").json()["description"] == "Blue"


def test_patch_cannot_change_the_code(api):
    api.post("/catalog/products", {"code": "MUG", "name": "Mug"})
    resp = api.patch("/catalog/products/MUG", {"code": "CUP"})
    assert_problem(resp, 422, "validation_error", "code")
    assert list(Product.objects.values_list("code", flat=True)) == ["MUG"]


def test_patch_null_active_is_refused(api):
    api.post("/catalog/products", {"code": "MUG", "name": "Mug"})
    resp = api.patch("/catalog/products/MUG", {"is_active": None})
    assert_problem(resp, 422, "required", "is_active")
    assert Product.objects.get().is_active is True


def test_unknown_product_is_404(api):
    assert_problem(api.get("/catalog/products/NOPE"), 404, "product_not_found")
    assert_problem(api.patch("/catalog/products/NOPE", {"name": "x"}), 404, "product_not_found")


def test_list_products_filters(api):
    api.post("/catalog/products", {"code": "MUG", "name": "Mug", "tags": ["kitchen"]})
    api.post("/catalog/products", {"code": "TEE", "name": "T-shirt", "tags": ["apparel"]})
    assert [p["code"] for p in api.get("/catalog/products").json()["items"]] == ["MUG", "TEE"]
    assert [p["code"] for p in api.get("/catalog/products", tag="apparel").json()["items"]] == [
        "TEE"
    ]
    assert [p["code"] for p in api.get("/catalog/products", q="shirt").json()["items"]] == ["TEE"]


# SKUs


def test_create_sku(api):
    api.post("/catalog/products", {"code": "MUG", "name": "Mug"})
    resp = api.post(
        "/catalog/skus",
        {
            "product": "MUG",
            "code": "MUG-BLUE",
            "name": "Blue mug",
            "barcode": "4006381333931",
            "weight_grams": 350,
            "tags": ["Blue"],
        },
    )
    assert resp.status_code == 201
    assert resp.json() == {
        "code": "MUG-BLUE",
        "product": "MUG",
        "name": "Blue mug",
        "kind": "simple",
        "barcode": "4006381333931",
        "weight_grams": 350,
        "tax_class": "standard",
        "hs_code": "",
        "origin_country": "",
        "customs_description": "",
        "length_mm": None,
        "width_mm": None,
        "height_mm": None,
        "tags": ["blue"],
        "is_active": True,
        "components": [],
        "created_at": resp.json()["created_at"],
    }


def test_duplicate_sku_code_is_a_conflict(api):
    make_sku("MUG-BLUE")
    resp = api.post("/catalog/skus", {"product": "P-MUG-BLUE", "code": "MUG-BLUE"})
    assert_problem(resp, 409, "sku_exists", "code")
    assert Sku.objects.count() == 1


def test_sku_of_unknown_product_is_refused(api):
    resp = api.post("/catalog/skus", {"product": "NOPE", "code": "X"})
    assert_problem(resp, 404, "product_not_found", "product")
    assert Sku.objects.count() == 0


def test_sku_negative_weight_is_refused(api):
    api.post("/catalog/products", {"code": "MUG", "name": "Mug"})
    resp = api.post("/catalog/skus", {"product": "MUG", "code": "X", "weight_grams": -1})
    assert_problem(resp, 422, "validation_error", "weight_grams")
    assert Sku.objects.count() == 0


def test_create_kit_with_components(api):
    make_sku("MUG")
    make_sku("TEA")
    api.post("/catalog/products", {"code": "GIFTS", "name": "Gift sets"})
    resp = api.post(
        "/catalog/skus",
        {
            "product": "GIFTS",
            "code": "GIFT",
            "kind": "kit",
            "components": [{"sku": "MUG", "quantity": 2}, {"sku": "TEA", "quantity": 1}],
        },
    )
    assert resp.status_code == 201
    assert resp.json()["components"] == [
        {"sku": "MUG", "quantity": 2},
        {"sku": "TEA", "quantity": 1},
    ]


def test_kit_with_bad_component_is_not_created(api):
    make_kit("BOX", [(make_sku("MUG"), 1)])
    api.post("/catalog/products", {"code": "GIFTS", "name": "Gift sets"})
    resp = api.post(
        "/catalog/skus",
        {
            "product": "GIFTS",
            "code": "GIFT",
            "kind": "kit",
            "components": [{"sku": "BOX", "quantity": 1}],
        },
    )
    assert_problem(resp, 422, "component_not_simple", "components.0.sku")
    assert not Sku.objects.filter(code="GIFT").exists()


def test_get_and_patch_sku(api):
    make_sku("MUG")
    resp = api.patch("/catalog/skus/MUG", {"barcode": " 123 ", "height_mm": 120, "tags": []})
    assert resp.status_code == 200
    assert (resp.json()["barcode"], resp.json()["height_mm"]) == ("123", 120)
    assert api.get("/catalog/skus/MUG").json()["barcode"] == "123"


def test_patch_sku_kind_is_read_only(api):
    make_sku("MUG")
    resp = api.patch("/catalog/skus/MUG", {"kind": "kit"})
    assert_problem(resp, 422, "validation_error", "kind")
    assert Sku.objects.get(code="MUG").kind == "simple"


def test_unknown_sku_is_404(api):
    assert_problem(api.get("/catalog/skus/NOPE"), 404, "sku_not_found")


def test_list_skus_filters(api):
    mug = make_sku("MUG", tags=["kitchen"])
    mug.barcode = "111"
    mug.save()
    make_sku("TEE", tags=["apparel"])
    make_kit("GIFT", [(mug, 1)])

    def codes(**params):
        resp = api.get("/catalog/skus", **params)
        assert resp.status_code == 200, resp.content
        return [s["code"] for s in resp.json()["items"]]

    assert codes() == ["MUG", "TEE", "GIFT"]
    assert codes(kind="kit") == ["GIFT"]
    assert codes(tag="kitchen") == ["MUG"]
    assert codes(tag="Apparel") == ["TEE"]
    assert codes(barcode="111") == ["MUG"]
    assert codes(product="P-TEE") == ["TEE"]
    assert codes(q="gif") == ["GIFT"]
    assert api.get("/catalog/skus", kind="bundle").status_code == 422


# kits


def test_set_kit_components_replaces_them(api):
    mug, tea, spoon = make_sku("MUG"), make_sku("TEA"), make_sku("SPOON")
    make_kit("GIFT", [(mug, 1), (tea, 1)])
    resp = api.client.put(
        "/api/v1/catalog/skus/GIFT/components",
        data={"components": [{"sku": "SPOON", "quantity": 3}]},
        content_type="application/json",
        **api.headers,
    )
    assert resp.status_code == 200, resp.content
    assert resp.json()["components"] == [{"sku": "SPOON", "quantity": 3}]
    assert list(KitComponent.objects.values_list("component__code", "quantity")) == [("SPOON", 3)]
    assert spoon.used_in_kits.count() == 1


@pytest.mark.parametrize(
    ("components", "code", "field"),
    [
        ([{"sku": "GIFT", "quantity": 1}], "kit_contains_itself", "components.0.sku"),
        ([{"sku": "BOX", "quantity": 1}], "component_not_simple", "components.0.sku"),
        ([{"sku": "TEA", "quantity": 0}], "quantity_not_positive", "components.0.quantity"),
        ([{"sku": "NOPE", "quantity": 1}], "sku_not_found", "components.0.sku"),
        ([], "kit_empty", "components"),
    ],
)
def test_bad_kit_components_change_nothing(api, components, code, field):
    mug, tea = make_sku("MUG"), make_sku("TEA")
    make_kit("BOX", [(mug, 1)])
    make_kit("GIFT", [(mug, 2)])
    resp = api.client.put(
        "/api/v1/catalog/skus/GIFT/components",
        data={"components": components},
        content_type="application/json",
        **api.headers,
    )
    assert_problem(resp, 422, code, field)
    assert list(
        KitComponent.objects.filter(kit__code="GIFT").values_list("component__code", "quantity")
    ) == [("MUG", 2)]
    assert tea.used_in_kits.count() == 0


def test_simple_sku_has_no_components(api):
    make_sku("MUG")
    make_sku("TEA")
    resp = api.client.put(
        "/api/v1/catalog/skus/MUG/components",
        data={"components": [{"sku": "TEA", "quantity": 1}]},
        content_type="application/json",
        **api.headers,
    )
    assert_problem(resp, 422, "not_a_kit", "components")
    assert KitComponent.objects.count() == 0
