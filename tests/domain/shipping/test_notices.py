"""The customer e-mails' pure parts: each carrier's public tracking link, the fixed context,
the limits of a template (docs/shipping.md, "Customer e-mails")."""

from __future__ import annotations

from ordino.shipping.domain.notices import (
    DEFAULTS,
    KINDS,
    VARIABLES,
    Parcel,
    notice_context,
    sample_context,
    template_limits,
    tracking_url,
)


def test_tracking_links_per_carrier_else_none():
    assert tracking_url("UPS", "1Z 9") == "https://www.ups.com/track?tracknum=1Z%209"
    assert tracking_url("DHL Express", "JD1").endswith("tracking-id=JD1")
    assert tracking_url("FedEx Ground", "7") == "https://www.fedex.com/fedextrack/?trknbr=7"
    assert tracking_url("usps", "94") == "https://tools.usps.com/go/TrackConfirmAction?tLabels=94"
    assert tracking_url("GLS", "1") == "https://gls-group.com/track/1"
    assert tracking_url("Acme Couriers", "1") == ""
    assert tracking_url("DHL", "") == ""


def test_the_context_has_every_variable_and_a_link_per_parcel():
    context = notice_context(
        order_number="W-1", customer_name="Ada", carrier="UPS", service="",
        parcels=[Parcel("A1", "delivered", "Delivered"), Parcel("A2")], status="delivered",
        status_label="Delivered",
    )  # fmt: skip
    assert set(context) == set(VARIABLES)
    assert context["tracking_numbers"] == ["A1", "A2"]
    assert context["tracking_url"] == "https://www.ups.com/track?tracknum=A1"
    ups = "https://www.ups.com/track?tracknum="
    assert [p["tracking_url"] for p in context["parcels"]] == [f"{ups}A1", f"{ups}A2"]
    assert all(set(sample_context(k)) == set(VARIABLES) for k in KINDS)
    assert set(DEFAULTS) == set(KINDS)


def test_limits_name_each_field():
    assert template_limits(kind="shipped", subject="s", body="b", reason="") == []
    assert template_limits(kind="x", subject="s" * 201, body="", reason="r" * 256) == [
        ("kind", "kind is one of shipped, out_for_delivery, delivered, exception."),
        ("subject", "subject is required, at most 200 characters."),
        ("body", "body is required, at most 10000 characters."),
        ("reason", "reason: at most 255 characters."),
    ]
