"""A SKU's customs data (docs/catalog-and-customers.md, "Customs data"): checked by the
catalog's domain, set through the SKU's API and console page, audited, read by shipping's
selectors."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from ordino.audit.models import AuditEntry
from ordino.catalog.domain.customs import (
    customs_description_check,
    hs_code_check,
    origin_country_check,
)
from ordino.catalog.models import Sku
from ordino.catalog.selectors import SkuCustoms, skus_customs
from ordino.core.domain.errors import DomainError
from tests.factories import make_sku

pytestmark = pytest.mark.django_db


def test_the_catalogs_checks():
    assert hs_code_check(" 6109.10 00 ") == "61091000"
    assert hs_code_check("") == hs_code_check(None) == ""
    for bad in ("61091", "61091000001", "6109A0", "６１０９１０"):
        with pytest.raises(DomainError) as refused:
            hs_code_check(bad)
        assert (refused.value.code, refused.value.errors[0]["field"]) == (
            "invalid_hs_code",
            "hs_code",
        )
    assert origin_country_check("pt") == "PT"
    assert origin_country_check("") == ""
    with pytest.raises(DomainError) as refused:
        origin_country_check("XX")
    assert (refused.value.code, refused.value.errors[0]["field"]) == (
        "invalid_country",
        "origin_country",
    )
    assert customs_description_check("  Cotton   T-shirt ") == "Cotton T-shirt"
    with pytest.raises(DomainError) as refused:
        customs_description_check("x" * 101)
    assert refused.value.code == "invalid_customs_description"


# the SKU's API


def test_customs_data_is_set_checked_and_audited_through_the_sku(api):
    # given a SKU without customs data
    sku = make_sku("TEE")
    # when its customs data is set, as printed
    r = api.patch("/catalog/skus/TEE", {"hs_code": "6109.10.00", "origin_country": "pt",
                                       "customs_description": " Cotton  T-shirt "})  # fmt: skip
    # then it is kept checked and normalised, and audited
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["hs_code"], body["origin_country"], body["customs_description"]) == (
        "61091000",
        "PT",
        "Cotton T-shirt",
    )
    entry = AuditEntry.objects.filter(object_type="sku", object_id=str(sku.pk)).latest("id")
    assert (entry.action, entry.before["hs_code"], entry.after["hs_code"]) == (
        "changed",
        "",
        "61091000",
    )
    assert entry.after["origin_country"] == "PT"
    # and shipping reads it through the catalog's selector
    assert skus_customs(codes=["TEE", "NOPE"]) == {
        "TEE": SkuCustoms("TEE", "Item TEE", "61091000", "PT", "Cotton T-shirt", 500)
    }
    # and null clears it
    r = api.patch("/catalog/skus/TEE", {"hs_code": None})
    assert (r.status_code, r.json()["hs_code"]) == (200, "")


def test_a_sku_is_created_with_its_customs_data(api):
    api.post("/catalog/products", {"code": "MUG", "name": "Mug"})
    r = api.post("/catalog/skus", {"product": "MUG", "code": "MUG-1", "hs_code": "691200",
                                   "origin_country": "CN"})  # fmt: skip
    assert r.status_code == 201, r.content
    assert (r.json()["hs_code"], r.json()["origin_country"], r.json()["customs_description"]) == (
        "691200",
        "CN",
        "",
    )


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"hs_code": "12345"}, "invalid_hs_code", "hs_code"),
        ({"hs_code": "61091A"}, "invalid_hs_code", "hs_code"),
        ({"origin_country": "XX"}, "invalid_country", "origin_country"),
        ({"origin_country": "PRT"}, "validation_error", None),
        ({"customs_description": "x" * 101}, "validation_error", None),
        ({"hs_code": 610910}, "validation_error", None),
    ],
)
def test_bad_customs_data_is_refused_and_nothing_changes(api, body, code, field):
    make_sku("TEE")
    audited = AuditEntry.objects.count()
    r = api.patch("/catalog/skus/TEE", {"name": "Renamed", **body})
    assert (r.status_code, r.json()["code"]) == (422, code)
    if field:
        assert r.json()["errors"][0]["field"] == field
    stored = Sku.objects.get(code="TEE")
    assert (stored.name, stored.hs_code, stored.origin_country) == ("Item TEE", "", "")
    assert AuditEntry.objects.count() == audited


# the console's SKU page


def sku_form(sku: Sku, **changes) -> dict:
    form = {
        "product": sku.product_id, "code": sku.code, "name": sku.name, "kind": sku.kind,
        "barcode": "", "weight_grams": sku.weight_grams or "", "length_mm": "", "width_mm": "",
        "height_mm": "", "tags": "[]", "tax_class": "standard", "is_active": "on",
        "hs_code": "", "origin_country": "", "customs_description": "",
        "components-TOTAL_FORMS": "0", "components-INITIAL_FORMS": "0",
        "components-MIN_NUM_FORMS": "0", "components-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    form.update(changes)
    return form


def test_the_console_sku_page_sets_customs_data_checked(client):
    user = User.objects.create_superuser("admin", "admin@example.com", "pw-123456")
    client.force_login(user)
    sku = make_sku("TEE")
    page = f"/admin/catalog/sku/{sku.pk}/change/"
    assert b"HS tariff number" in client.get(page).content
    # a bad HS code: the page answers with the reason, nothing is saved
    r = client.post(page, sku_form(sku, hs_code="61A910", origin_country="PT"))
    assert r.status_code == 200
    assert b"must be 6 to 10 digits" in r.content
    assert Sku.objects.get(pk=sku.pk).origin_country == ""
    # a good one is saved normalised, and audited
    r = client.post(page, sku_form(sku, hs_code="6109.10", origin_country="pt"))
    assert r.status_code == 302, r.content[:2000]
    stored = Sku.objects.get(pk=sku.pk)
    assert (stored.hs_code, stored.origin_country) == ("610910", "PT")
    assert AuditEntry.objects.filter(object_type="sku", object_id=str(sku.pk)).exists()
