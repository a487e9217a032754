"""A shipment rated by every loaded service and chosen by a policy, explained; and the same
through `ordino shipping quote`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ordino.core.domain.errors import DomainError
from ordino.shipping.domain.quote import Destination, Surcharge
from ordino.shipping.domain.weights import Parcel
from ordino.shipping.selectors import choice_serialize, shipment_rates
from ordino.shipping.services import service_rates_load, service_surcharge_set, service_zones_load
from tests.shipping.test_loading import RATES, ZONES, loaded, paket

pytestmark = pytest.mark.django_db
D = Decimal
FRIDAY = date(2026, 12, 4)
BOX = Parcel(D(30), D(20), D(10), D("1.2"))


def express() -> None:
    paket(code="express", name="DHL Express", transit_days=1, max_weight=D(5))
    service_zones_load(service_key="dhl:express", data=ZONES, actor="ops")
    rates = RATES.replace(b"4.90", b"9.90").replace(b"7.90", b"14.90")
    service_rates_load(service_key="dhl:express", data=rates, actor="ops")


def test_every_service_is_quoted_and_the_policy_chooses_with_its_runners_up():
    loaded()
    express()
    service_surcharge_set(
        service_key="dhl:paket", surcharge=Surcharge("fuel", percent=D(10)), actor="ops"
    )
    to = Destination("DE", postal_code="10115")
    cheapest = choice_serialize(
        shipment_rates(parcels=[BOX], destination=to, policy="cheapest", ship_day=FRIDAY)
    )
    assert (cheapest["chosen"]["service"], cheapest["chosen"]["total"]) == ("dhl:paket", "5.39")
    assert [o["service"] for o in cheapest["runners_up"]] == ["dhl:express"]
    assert cheapest["chosen"]["parcels"][0]["why"][-1] == "fuel: 0.49 EUR (10 % of the base 4.90)"
    fastest = shipment_rates(parcels=[BOX], destination=to, policy="fastest", ship_day=FRIDAY)
    assert (fastest.chosen.service.key, fastest.chosen.delivery) == (
        "dhl:express",
        date(2026, 12, 7),
    )


def test_a_parcel_one_service_cannot_carry_leaves_it_out_with_why():
    loaded()
    express()
    heavy = Parcel(D(30), D(20), D(10), D(8))
    choice = shipment_rates(
        parcels=[BOX, heavy],
        destination=Destination("AT", "", "1010"),
        policy="fastest",
        ship_day=FRIDAY,
    )
    assert choice.chosen.service.key == "dhl:paket"
    assert [(r.service.key, r.code) for r in choice.left_out] == [
        ("dhl:express", "parcel_too_heavy")
    ]


def test_services_in_two_currencies_are_not_compared():
    loaded()
    paket(carrier="ups", code="standard", name="UPS Standard", currency="GBP")
    service_zones_load(service_key="ups:standard", data=ZONES, actor="ops")
    service_rates_load(service_key="ups:standard", data=RATES, actor="ops")
    with pytest.raises(DomainError) as refused:
        shipment_rates(
            parcels=[BOX],
            destination=Destination("DE", "", "10115"),
            policy="cheapest",
            ship_day=FRIDAY,
        )
    assert refused.value.code == "mixed_currencies"
    choice = shipment_rates(
        parcels=[BOX],
        destination=Destination("DE", "", "10115"),
        policy="cheapest",
        ship_day=FRIDAY,
        keys=["ups:standard"],
    )
    assert choice.chosen.service.key == "ups:standard"


def test_the_command_line_quotes_and_explains(tmp_path):
    zones, rates = tmp_path / "zones.csv", tmp_path / "rates.csv"
    zones.write_bytes(ZONES)
    rates.write_bytes(RATES)
    out = StringIO()
    call_command(
        "shipping",
        "service",
        "dhl",
        "paket",
        "--name",
        "DHL Paket",
        "--currency",
        "EUR",
        "--max-weight",
        "31.5",
        stdout=out,
    )
    call_command("shipping", "zones", "dhl:paket", str(zones), stdout=out)
    call_command("shipping", "rates", "dhl:paket", str(rates), stdout=out)
    call_command("shipping", "quote", "--to", "DE/18565", "--parcel", "40x30x30@2", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[:3] == [
        "Saved dhl:paket.",
        "Loaded 3 zone rows into dhl:paket.",
        "Loaded 4 brackets into dhl:paket.",
    ]
    assert lines[3] == "Policy cheapest: the lowest total."
    assert lines[4].startswith("* dhl:paket  19.90 EUR  delivered ")
    assert lines[5] == (
        "    parcel 1: zone island: DE, postal codes 18565… (row 4); actual 2 kg, dimensional "
        "7.2 kg: billed on the dimensional weight, rounded up to 7.5 kg; bracket above 0 up to "
        "10 kg (row 5): 19.90 EUR"
    )


def test_the_command_line_refuses_a_bad_parcel_and_a_bad_file(tmp_path):
    loaded()
    with pytest.raises(CommandError, match="A parcel is LxWxH@KG"):
        call_command("shipping", "quote", "--to", "DE/10115", "--parcel", "30x20@1")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"zone,above,up_to,price\n1,0,2,-4\n")
    with pytest.raises(CommandError, match=r"Row 2, price: -4 is not between 0 and 1000000\."):
        call_command("shipping", "rates", "dhl:paket", str(bad))


def test_the_command_line_deactivates_a_service_and_quotes_leave_it_out():
    # given DHL Paket loaded
    loaded()
    out = StringIO()
    # when it is deactivated from the command line, then the listing says so
    call_command("shipping", "deactivate", "dhl:paket", "--reason", "strike", stdout=out)
    call_command("shipping", "services", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "dhl:paket is inactive."
    assert lines[1].endswith("(inactive)")
    # and no quote offers it, until it is activated again
    to = Destination("DE", postal_code="10115")

    def chosen():
        c = shipment_rates(parcels=[BOX], destination=to, policy="cheapest", ship_day=FRIDAY)
        return c.chosen.service.key if c.chosen else None

    assert chosen() is None
    call_command("shipping", "activate", "dhl:paket", stdout=out)
    assert chosen() == "dhl:paket"
    # and an unknown service is refused
    with pytest.raises(CommandError, match="No carrier service 'dhl:nope'"):
        call_command("shipping", "deactivate", "dhl:nope")
