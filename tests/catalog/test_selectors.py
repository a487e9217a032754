"""What one item of a SKU consumes: catalog.selectors.skus_consumption."""

from __future__ import annotations

import pytest

from ordino.catalog.models import Sku
from ordino.catalog.selectors import SkuConsumption, skus_consumption
from tests.factories import make_kit, make_sku

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    tee, mug = make_sku("TEE"), make_sku("MUG")
    box = make_kit("BOX", [(tee, 2), (mug, 1)])
    empty = make_kit("EMPTY", [])
    return {"TEE": tee, "MUG": mug, "BOX": box, "EMPTY": empty}


def by_code(found: list[SkuConsumption]) -> dict[str, dict[int, int]]:
    return {sku.code: sku.consumes for sku in found}


def test_a_simple_sku_consumes_itself_and_a_kit_its_components(catalog, django_assert_num_queries):
    tee, mug, box = catalog["TEE"], catalog["MUG"], catalog["BOX"]
    # when the lines' SKUs are read by code: one statement, one more for the kits
    with django_assert_num_queries(2):
        found = skus_consumption(codes={"TEE", "BOX", "EMPTY"}, active_only=True)
    # then
    assert by_code(found) == {"TEE": {tee.pk: 1}, "BOX": {tee.pk: 2, mug.pk: 1}, "EMPTY": {}}
    assert {sku.code: (sku.id, sku.name) for sku in found}["BOX"] == (box.pk, "")


def test_simple_skus_cost_one_statement(catalog, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = skus_consumption(ids={catalog["TEE"].pk, catalog["MUG"].pk}, active_only=False)
    assert by_code(found) == {"TEE": {catalog["TEE"].pk: 1}, "MUG": {catalog["MUG"].pk: 1}}


def test_an_inactive_sku_is_left_out_only_of_what_may_be_sold(catalog):
    Sku.objects.filter(pk=catalog["BOX"].pk).update(is_active=False)
    assert by_code(skus_consumption(codes={"BOX", "NOPE"}, active_only=True)) == {}
    sold = skus_consumption(ids={catalog["BOX"].pk}, active_only=False)
    assert by_code(sold) == {"BOX": {catalog["TEE"].pk: 2, catalog["MUG"].pk: 1}}


def test_nothing_asked_is_no_statement(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert skus_consumption(codes=(), active_only=True) == []


def test_skus_are_named_by_code_or_by_id_not_both(catalog):
    with pytest.raises(ValueError):
        skus_consumption(codes={"TEE"}, ids={catalog["TEE"].pk}, active_only=True)
