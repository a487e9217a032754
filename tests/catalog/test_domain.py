"""Kit and code rules, without a database."""

import pytest

from ordino.catalog.domain.kits import ComponentLine, kit_components_check
from ordino.core.domain.codes import code_check, tags_normalise
from ordino.core.domain.errors import DomainError


def line(code, qty=1, kind="simple"):
    return ComponentLine(code=code, kind=kind, quantity=qty)


def test_a_kit_of_simple_skus_is_accepted():
    # given a kit of two simple SKUs / when checked / then no error
    kit_components_check(kit_code="GIFT", kit_kind="kit", lines=[line("MUG", 2), line("TEA")])


def test_a_kit_cannot_contain_itself():
    with pytest.raises(DomainError) as err:
        kit_components_check(kit_code="GIFT", kit_kind="kit", lines=[line("GIFT", kind="kit")])
    assert err.value.code == "kit_contains_itself"
    assert err.value.errors[0]["field"] == "components.0.sku"


def test_a_kit_cannot_contain_another_kit():
    with pytest.raises(DomainError) as err:
        kit_components_check(
            kit_code="GIFT", kit_kind="kit", lines=[line("MUG"), line("BOX", kind="kit")]
        )
    assert err.value.code == "component_not_simple"
    assert err.value.errors[0]["field"] == "components.1.sku"


@pytest.mark.parametrize("qty", [0, -1])
def test_component_quantity_must_be_positive(qty):
    with pytest.raises(DomainError) as err:
        kit_components_check(kit_code="GIFT", kit_kind="kit", lines=[line("MUG", qty)])
    assert err.value.code == "quantity_not_positive"
    assert err.value.errors[0]["field"] == "components.0.quantity"


def test_a_component_is_listed_once():
    with pytest.raises(DomainError) as err:
        kit_components_check(kit_code="GIFT", kit_kind="kit", lines=[line("MUG"), line("MUG")])
    assert err.value.code == "component_duplicate"


def test_a_simple_sku_has_no_components():
    with pytest.raises(DomainError) as err:
        kit_components_check(kit_code="MUG", kit_kind="simple", lines=[line("TEA")])
    assert err.value.code == "not_a_kit"


def test_a_kit_needs_a_component():
    with pytest.raises(DomainError) as err:
        kit_components_check(kit_code="GIFT", kit_kind="kit", lines=[])
    assert err.value.code == "kit_empty"


def test_every_fault_is_reported_at_once():
    with pytest.raises(DomainError) as err:
        kit_components_check(
            kit_code="GIFT",
            kit_kind="kit",
            lines=[line("GIFT", 0, kind="kit"), line("BOX", kind="kit")],
        )
    assert [e["field"] for e in err.value.errors] == [
        "components.0.sku",
        "components.0.quantity",
        "components.1.sku",
    ]


@pytest.mark.parametrize("code", ["MUG-1", " mug.blue_xl ", "A:1"])
def test_url_safe_codes_are_accepted(code):
    assert code_check(code) == code.strip()


@pytest.mark.parametrize("code", ["", "a b", "a/b", "-x", "x" * 65, "ü"])
def test_codes_that_break_urls_are_refused(code):
    with pytest.raises(DomainError) as err:
        code_check(code, field="code")
    assert err.value.code == "invalid_code"
    assert err.value.errors[0]["field"] == "code"


def test_tags_are_normalised():
    assert tags_normalise([" Gift", "gift", "", "Summer "]) == ["gift", "summer"]
