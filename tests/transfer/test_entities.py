"""What the export holds: every table exported or excluded with a reason; the import's text
bounds are those of the tables."""

from __future__ import annotations

from django.apps import apps

from ordino.transfer.domain.fields import KIND_FIELDS
from ordino.transfer.entities import EXCLUDED, PEOPLE, entities


def test_every_table_of_ordino_is_exported_or_excluded_with_a_reason():
    exported = {e.label for e in entities()}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        owner = model._meta.auto_created
        if model.__module__.startswith("ordino.") or label in PEOPLE:
            assert (
                label in exported or label in EXCLUDED or (owner and owner._meta.label in EXCLUDED)
            ), label
    assert not exported & set(EXCLUDED)


def test_tables_come_after_the_tables_they_point_to():
    order = [e.label for e in entities()]
    assert order.index("orders.Order") > order.index("channels.Channel")
    assert order.index("orders.OrderLine") > order.index("catalog.Sku")
    assert order.index("payments.PaymentTransaction") > order.index("payments.Payment")


def test_import_text_bounds_are_the_stored_lengths():
    stored = {
        ("orders", "external_id"): ("orders", "Order", "external_id"),
        ("orders", "email"): ("customers", "Customer", "email"),
        ("orders", "ship_city"): ("customers", "CustomerAddress", "city"),
        ("products", "sku"): ("catalog", "Sku", "code"),
        ("products", "product_name"): ("catalog", "Product", "name"),
        ("products", "barcode"): ("catalog", "Sku", "barcode"),
        ("customers", "first_name"): ("customers", "Customer", "first_name"),
        ("customers", "address_postal_code"): ("customers", "CustomerAddress", "postal_code"),
        ("stock", "location"): ("locations", "Location", "code"),
    }
    for (kind, name), (app, model, column) in stored.items():
        field = next(f for f in KIND_FIELDS[kind] if f.name == name)
        length = apps.get_model(app, model)._meta.get_field(column).max_length
        assert field.max_length == length, (kind, name)
