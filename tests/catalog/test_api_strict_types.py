"""Inputs take JSON types as documented: 0 is no boolean, "5" no integer (found by fuzzing)."""

import pytest

from ordino.catalog.models import Product

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "MUG", "name": "Mug", "is_active": 0}, "is_active"),
        ({"code": "MUG", "name": "Mug", "is_active": "yes"}, "is_active"),
        ({"code": "MUG", "name": "Mug", "tags": "kitchen"}, "tags"),
    ],
)
def test_a_product_with_a_coerced_type_is_refused(api, body, field):
    resp = api.post("/catalog/products", body)
    assert resp.status_code == 422, resp.content
    assert [e["field"] for e in resp.json()["errors"]] == [field]
    assert not Product.objects.exists()


def test_a_sku_weight_given_as_a_string_is_refused(api):
    api.post("/catalog/products", {"code": "P", "name": "P"})
    resp = api.post("/catalog/skus", {"product": "P", "code": "S", "weight_grams": "500"})
    assert resp.status_code == 422, resp.content
    assert [e["field"] for e in resp.json()["errors"]] == ["weight_grams"]


def test_a_weight_beyond_a_database_integer_is_refused_not_a_server_error(api):
    api.post("/catalog/products", {"code": "P", "name": "P"})
    resp = api.post("/catalog/skus", {"product": "P", "code": "S", "weight_grams": 2**31})
    assert resp.status_code == 422, resp.content
    assert [e["field"] for e in resp.json()["errors"]] == ["weight_grams"]


# --- issue 7: text and tags are bounded ----------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"tags": ["x" * 65]}, "tags.0"),
        ({"tags": ["t"] * 51}, "tags"),
        ({"description": "x" * 10_001}, "description"),
    ],
)
def test_overlong_text_or_too_many_tags_are_refused(api, extra, field):
    resp = api.post("/catalog/products", {"code": "P1", "name": "Tee", **extra})
    assert resp.status_code == 422, resp.content
    assert [e["field"] for e in resp.json()["errors"]] == [field]
    assert api.get("/catalog/products/P1").status_code == 404


def test_an_overlong_search_is_a_422(api):
    resp = api.get("/catalog/skus", q="x" * 256)
    assert resp.status_code == 422, resp.content
    assert [e["field"] for e in resp.json()["errors"]] == ["q"]
