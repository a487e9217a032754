"""Services, zone tables and rate sheets loaded whole: a refused file changes nothing and
names every bad row; every change is audited."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordino.audit.models import AuditEntry
from ordino.core.domain.errors import DomainError
from ordino.shipping.commands import ServiceSettings
from ordino.shipping.domain.quote import Surcharge
from ordino.shipping.models import CarrierService, RateBracket, ServiceSurcharge, ServiceZone
from ordino.shipping.services import (
    carrier_service_save,
    service_rates_load,
    service_surcharge_set,
    service_zones_load,
)

pytestmark = pytest.mark.django_db
D = Decimal
ZONES = b"zone,country,region,postal_prefix\n1,DE,,\n2,AT,,\nisland,DE,,18565\n"
RATES = b"zone,above,up_to,price\n1,0,2,4.90\n1,2,10,7.90\n2,0,10,12.50\nisland,0,10,19.90\n"


def paket(**changes) -> CarrierService:
    settings = {
        "carrier": "dhl",
        "code": "paket",
        "name": "DHL Paket",
        "currency": "EUR",
        "max_weight": D("31.5"),
        "max_longest": D(120),
        "max_length_plus_girth": D(300),
    }
    return carrier_service_save(command=ServiceSettings(**{**settings, **changes}), actor="ops")


def loaded() -> CarrierService:
    service = paket()
    service_zones_load(service_key="dhl:paket", data=ZONES, actor="ops")
    service_rates_load(service_key="dhl:paket", data=RATES, actor="ops")
    return service


def test_a_service_is_created_then_changed_and_both_are_audited():
    service = paket()
    paket(transit_days=3, reason="new network")
    service.refresh_from_db()
    assert (service.carrier.code, service.transit_days) == ("dhl", 3)
    entries = AuditEntry.objects.filter(object_type="carrier_service").order_by("id")
    assert [(e.action, e.reason) for e in entries] == [("created", ""), ("changed", "new network")]
    assert entries[1].before["transit_days"] == 2 and entries[1].after["transit_days"] == 3


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"currency": "EURO"}, None),
        ({"unit": "st"}, "unit"),
        ({"max_weight": D(1001)}, "max_weight"),
        ({"transit_days": 61}, "transit_days"),
        ({"code": "a" * 33}, "code"),
        ({"code": "x:y"}, "code"),
        ({"divisor": D(0)}, "divisor"),
    ],
)
def test_a_service_out_of_bounds_is_refused_and_nothing_is_saved(changes, field):
    with pytest.raises(DomainError) as refused:
        paket(**changes)
    if field:
        assert field in [e["field"] for e in refused.value.errors]
    assert CarrierService.objects.count() == 0 and AuditEntry.objects.count() == 0


def test_zones_and_rates_load_whole_and_are_audited():
    service = loaded()
    assert ServiceZone.objects.filter(service=service).count() == 3
    assert [(b.zone, b.up_to, b.price) for b in RateBracket.objects.filter(service=service)] == [
        ("1", D(2), D("4.90")),
        ("1", D(10), D("7.90")),
        ("2", D(10), D("12.50")),
        ("island", D(10), D("19.90")),
    ]
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["created", "zones_loaded", "rates_loaded"]


def test_a_sheet_with_a_gap_and_a_bad_cell_changes_nothing_and_names_the_rows():
    service = loaded()
    bad = b"zone,above,up_to,price\n1,0,2,4.90\n1,3,10,7.90\n2,0,ten,12.50\n"
    with pytest.raises(DomainError) as refused:
        service_rates_load(service_key="dhl:paket", data=bad, actor="ops")
    assert [e["message"] for e in refused.value.errors] == ["Row 4, up_to: 'ten' is not a number."]
    bad = b"zone,above,up_to,price\n1,0,2,4.90\n1,3,10,7.90\n"
    with pytest.raises(DomainError) as refused:
        service_rates_load(service_key="dhl:paket", data=bad, actor="ops")
    assert [e["field"] for e in refused.value.errors] == ["row 3"]
    # nothing changed: the four brackets loaded before stand
    assert RateBracket.objects.filter(service=service).count() == 4
    assert AuditEntry.objects.filter(action="rates_loaded").count() == 1


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"zone,country,shoe\n1,DE,9\n", "invalid_header"),
        (b"zone,country\n", "empty_file"),
        (b"zone,country\n1,DE\n9,DE\n", "invalid_zones"),  # the same addresses, two zones
        (b"\xff\xfe", "invalid_encoding"),
        (b"zone,country\n" + b"z" * 33 + b",DE\n", "invalid_zones"),
    ],
)
def test_a_bad_zone_file_is_refused_and_nothing_changes(data, code):
    loaded()
    with pytest.raises(DomainError) as refused:
        service_zones_load(service_key="dhl:paket", data=data, actor="ops")
    assert refused.value.code == code
    assert ServiceZone.objects.count() == 3


def test_loading_into_an_unknown_service_is_a_404():
    with pytest.raises(DomainError) as refused:
        service_zones_load(service_key="ups:ground", data=ZONES, actor="ops")
    assert (refused.value.status, refused.value.code) == (404, "carrier_service_not_found")


def test_a_surcharge_is_set_checked_and_removed():
    loaded()
    fuel = Surcharge("fuel", percent=D("12.5"))
    service_surcharge_set(service_key="dhl:paket", surcharge=fuel, actor="ops")
    assert ServiceSurcharge.objects.get().percent == D("12.5")
    with pytest.raises(DomainError) as refused:
        service_surcharge_set(
            service_key="dhl:paket", surcharge=Surcharge("remote_area", D(5)), actor="ops"
        )
    assert refused.value.errors[0]["field"] == "prefixes"
    service_surcharge_set(service_key="dhl:paket", surcharge=fuel, actor="ops", remove=True)
    assert ServiceSurcharge.objects.count() == 0
    actions = AuditEntry.objects.filter(action__startswith="surcharge").values_list("action")
    assert [a for (a,) in actions] == ["surcharge_set", "surcharge_removed"]
