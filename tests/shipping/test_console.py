"""The console's carriers' services (docs/shipping.md, "In the console"): the pages open; a
service added and changed through its form is audited under the user's name; an upload replaces
the table, a refused one lists every bad row and changes nothing; surcharges are set and removed;
a user who may only view sees no form and is refused (403) with nothing changed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from ordino.accounts.models import StaffAccess
from ordino.audit.models import AuditEntry
from ordino.core.domain.display import status_word
from ordino.shipping.admin_forms import SurchargeForm
from ordino.shipping.domain.quote import Surcharge
from ordino.shipping.models import (
    Carrier,
    CarrierService,
    RateBracket,
    ServiceSurcharge,
    ServiceZone,
)
from ordino.shipping.services import service_surcharge_set
from tests.console.test_labels import CODE, rows_text
from tests.factories import make_channel
from tests.shipping.test_loading import RATES, ZONES, paket
from tests.shipping.test_loading import service_rates_load as rates_load
from tests.shipping.test_loading import service_zones_load as zones_load

pytestmark = pytest.mark.django_db
D = Decimal
FORM = {
    "name": "DHL Paket",
    "currency": "EUR",
    "unit": "kg",
    "divisor": "5000",
    "min_volume": "0",
    "increment": "0.5",
    "transit_days": "2",
    "max_weight": "31.5",
    "max_longest": "120",
    "max_length_plus_girth": "300",
    "reason": "",
}
BAD_RATES = b"zone,above,up_to,price\n1,0,2,4.90\n1,3,10,7.90\n2,0,ten,12.50\n"


@pytest.fixture
def boss(client):
    client.force_login(User.objects.create_superuser("boss", "b@example.com", "pw-long-enough"))
    return client


@pytest.fixture
def loaded() -> CarrierService:
    """dhl:paket with its zones (3 rows), its rates (4 brackets) and a fuel surcharge."""
    service = paket()
    zones_load(service_key="dhl:paket", data=ZONES, actor="ops")
    rates_load(service_key="dhl:paket", data=RATES, actor="ops")
    service_surcharge_set(
        service_key="dhl:paket", surcharge=Surcharge("fuel", percent=D("12.5")), actor="ops"
    )
    return service


def url(name: str, service: CarrierService | None = None) -> str:
    args = [service.pk] if service else []
    return reverse(f"admin:shipping_carrierservice_{name}", args=args)


def tables(service: CarrierService) -> tuple:
    """Everything a service's pages can change, to prove a refusal changed nothing."""
    return (
        list(CarrierService.objects.filter(pk=service.pk).values()),
        list(ServiceZone.objects.filter(service=service).values()),
        list(RateBracket.objects.filter(service=service).values()),
        list(ServiceSurcharge.objects.filter(service=service).values()),
        AuditEntry.objects.count(),
    )


def csv_file(data: bytes, name: str = "table.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def user_with(client, *codenames: str) -> User:
    user = User.objects.create_user("clerk", password="pw-long-enough", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return user


def test_the_pages_open_and_the_list_counts_each_service_rows(boss, loaded):
    # Given a loaded service, when a superuser opens the list
    page = boss.get(url("changelist"))
    # Then it shows the service with its zone rows and brackets
    assert page.status_code == 200
    row = page.context["cl"].result_list[0]
    assert (row.zone_rows, row.bracket_rows) == (3, 4)
    # and the service's page shows its surcharges, zones and brackets, with its two forms
    change = boss.get(url("change", loaded))
    assert change.status_code == 200
    html = change.content.decode()
    assert "Zones (3 rows)" in html and "Rate sheet (4 brackets" in html and "Fuel" in html
    assert url("upload", loaded) in html and url("surcharge", loaded) in html
    for page_url in (url("add"), url("upload", loaded), url("surcharge", loaded)):
        assert boss.get(page_url).status_code == 200
    for model in ("carrier", "servicezone", "ratebracket", "servicesurcharge"):
        assert boss.get(reverse(f"admin:shipping_{model}_changelist")).status_code == 200


def test_a_service_added_through_the_form_is_audited_with_the_user_as_actor(boss):
    # When a superuser adds a service of a new carrier
    form = {**FORM, "carrier_code": "dhl", "carrier_name": "DHL", "code": "paket",
            "reason": "new contract"}  # fmt: skip
    response = boss.post(url("add"), form)
    # Then the service and its carrier exist, and the use case's entry names the user
    assert response.status_code == 302, response.context["adminform"].form.errors
    service = CarrierService.objects.get(carrier__code="dhl", code="paket")
    assert (service.carrier.name, service.max_weight, service.divisor) == ("DHL", D("31.5"), 5000)
    (entry,) = AuditEntry.objects.filter(object_type="carrier_service")
    assert (entry.action, entry.actor, entry.reason) == ("created", "user:boss", "new contract")
    assert entry.object_id == str(service.pk)


def test_the_form_shows_the_use_case_refusals_on_their_fields_and_writes_nothing(boss):
    # When the settings break the use case's bounds
    form = {**FORM, "carrier_code": "dhl", "code": "pa:ket", "transit_days": "61"}
    response = boss.post(url("add"), form)
    # Then each refusal is on its field, and nothing was written
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["transit_days"] == ["transit_days is between 0 and 60."]
    assert errors["code"] == ["A carrier or service code cannot hold ':'."]
    assert (Carrier.objects.count(), CarrierService.objects.count()) == (0, 0)
    assert AuditEntry.objects.count() == 0


def test_adding_a_service_that_exists_is_refused(boss, loaded):
    before = tables(loaded)
    form = {**FORM, "carrier_code": "dhl", "code": "paket", "name": "Renamed"}
    response = boss.post(url("add"), form)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["code"] == [
        "dhl:paket exists already: change it on its page."
    ]
    assert tables(loaded) == before


def test_a_change_through_the_form_is_audited_with_before_and_after(boss, loaded):
    # When a superuser changes the transit days and the maximum weight
    form = {**FORM, "transit_days": "3", "max_weight": "40", "reason": "new terms"}
    response = boss.post(url("change", loaded), form)
    # Then the service holds them and the entry says what they were
    assert response.status_code == 302
    loaded.refresh_from_db()
    assert (loaded.transit_days, loaded.max_weight) == (3, D(40))
    entry = AuditEntry.objects.get(object_type="carrier_service", action="changed")
    assert (entry.actor, entry.reason) == ("user:boss", "new terms")
    assert (entry.before["transit_days"], entry.after["transit_days"]) == (2, 3)


def test_an_uploaded_rate_sheet_replaces_the_table(boss, loaded):
    # When a sheet of two brackets is uploaded
    sheet = b"zone,above,up_to,price\n1,0,5,5.50\n1,5,20,9.90\n"
    response = boss.post(url("upload", loaded), {"kind": "rates", "file": csv_file(sheet)})
    # Then the service's sheet is those two brackets, audited under the user's name
    assert response.status_code == 302
    assert response["Location"] == url("change", loaded)
    got = list(RateBracket.objects.filter(service=loaded).values_list("zone", "up_to", "price"))
    assert got == [("1", D(5), D("5.5")), ("1", D(20), D("9.9"))]
    entry = AuditEntry.objects.get(action="rates_loaded", actor="user:boss")
    assert (entry.before, entry.after) == ({"rows": 4}, {"rows": 2})


def test_an_uploaded_zone_table_replaces_the_table(boss, loaded):
    table = b"zone,country,region,postal_prefix\n1,DE,,\n"
    response = boss.post(url("upload", loaded), {"kind": "zones", "file": csv_file(table)})
    assert response.status_code == 302
    got = list(ServiceZone.objects.filter(service=loaded).values_list("zone", "country", "row"))
    assert got == [("1", "DE", 2)]
    assert AuditEntry.objects.filter(action="zones_loaded", actor="user:boss").count() == 1


def test_a_refused_file_lists_every_bad_row_and_changes_nothing(boss, loaded):
    # Given the loaded service, when a sheet with a bad cell is uploaded
    before = tables(loaded)
    response = boss.post(url("upload", loaded), {"kind": "rates", "file": csv_file(BAD_RATES)})
    # Then the page names the bad row, and the sheet before stands
    assert response.status_code == 200
    assert "Row 4, up_to: &#x27;ten&#x27; is not a number." in response.content.decode()
    assert tables(loaded) == before
    # When the cells are sound but the brackets leave a gap, the row is named too
    gap = b"zone,above,up_to,price\n1,0,2,4.90\n1,3,10,7.90\n2,0,10,12.50\n"
    response = boss.post(url("upload", loaded), {"kind": "rates", "file": csv_file(gap)})
    assert [e["message"] for e in response.context["refused"].errors] == [
        "Row 3: zone 1: starts above 3, after 2 (row 2)."
    ]
    assert tables(loaded) == before


def test_a_file_over_5_mb_is_refused_before_it_is_read(boss, loaded):
    before = tables(loaded)
    big = csv_file(b"zone,above,up_to,price\n" + b"x" * 5_000_000)
    response = boss.post(url("upload", loaded), {"kind": "rates", "file": big})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["At most 5000000 bytes."]
    assert tables(loaded) == before


def test_a_surcharge_is_set_and_removed_through_the_use_case(boss, loaded):
    # When a remote-area surcharge is set from the service's page
    form = {"kind": "remote_area", "amount": "5", "prefixes": "18565, 27498\n 25", "_set": "1"}
    assert boss.post(url("surcharge", loaded), form).status_code == 302
    row = ServiceSurcharge.objects.get(service=loaded, kind="remote_area")
    assert (row.amount, row.prefixes) == (D(5), ["18565", "27498", "25"])
    # Then its page shows it as it is, and removing it removes it
    page = boss.get(url("surcharge", loaded), {"kind": "remote_area"})
    assert page.context["form"].initial["prefixes"] == "18565, 27498, 25"
    assert boss.post(url("surcharge", loaded), {"kind": "fuel", "_remove": "1"}).status_code == 302
    assert list(loaded.surcharges.values_list("kind", flat=True)) == ["remote_area"]
    actions = AuditEntry.objects.filter(actor="user:boss").values_list("action", flat=True)
    assert list(actions.order_by("id")) == ["surcharge_set", "surcharge_removed"]


def test_a_service_is_deactivated_and_activated_again_from_its_page(boss, loaded):
    # When the service is deactivated from its page, with a reason
    page = boss.get(url("switch", loaded))
    assert page.status_code == 200 and b'name="_deactivate"' in page.content
    assert (
        boss.post(url("switch", loaded), {"reason": "strike", "_deactivate": "1"}).status_code
        == 302
    )
    # Then it is inactive, and its page offers to activate it
    assert CarrierService.objects.get(pk=loaded.pk).is_active is False
    assert b'name="_activate"' in boss.get(url("switch", loaded)).content
    assert boss.post(url("switch", loaded), {"reason": "", "_activate": "1"}).status_code == 302
    assert CarrierService.objects.get(pk=loaded.pk).is_active is True
    entries = AuditEntry.objects.filter(actor="user:boss").order_by("id")
    assert list(entries.values_list("action", "reason")) == [
        ("deactivated", "strike"), ("activated", ""),
    ]  # fmt: skip


def test_a_refused_surcharge_shows_why_on_its_field_and_changes_nothing(boss, loaded):
    before = tables(loaded)
    form = {"kind": "remote_area", "amount": "5", "prefixes": "", "_set": "1"}
    response = boss.post(url("surcharge", loaded), form)
    assert response.status_code == 200
    assert response.context["form"].errors["prefixes"] == [
        "A remote-area surcharge needs its postal prefixes."
    ]
    removing = boss.post(url("surcharge", loaded), {"kind": "oversize", "_remove": "1"})
    assert removing.context["form"].errors["kind"] == ["No oversize surcharge is set."]
    assert tables(loaded) == before


def test_a_user_who_may_only_view_sees_no_form_and_is_refused(client, loaded):
    # Given a staff user with the services' view permission only
    user_with(client, "view_carrierservice")
    before = tables(loaded)
    # When they open the service's page, then it shows the tables but no form or Save
    page = client.get(url("change", loaded))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Zones (3 rows)" in html
    assert url("upload", loaded) not in html and url("surcharge", loaded) not in html
    assert 'name="_save"' not in html
    # and every write sent anyway is refused, changing nothing
    sent = [
        client.post(url("change", loaded), {**FORM, "transit_days": "5"}),
        client.post(url("add"), {**FORM, "carrier_code": "ups", "code": "ground"}),
        client.get(url("upload", loaded)),
        client.post(url("upload", loaded), {"kind": "rates", "file": csv_file(RATES)}),
        client.post(url("surcharge", loaded), {"kind": "fuel", "_remove": "1"}),
        client.post(url("switch", loaded), {"reason": "", "_deactivate": "1"}),
    ]
    assert [r.status_code for r in sent] == [403] * 6
    assert CarrierService.objects.get(pk=loaded.pk).is_active is True
    assert tables(loaded) == before


def test_the_change_permission_lets_a_user_upload(client, loaded):
    user_with(client, "view_carrierservice", "change_carrierservice")
    response = client.post(url("upload", loaded), {"kind": "zones", "file": csv_file(ZONES)})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="zones_loaded", actor="user:clerk").count() == 1


def test_a_user_limited_to_a_channel_changes_no_service(client, loaded):
    # Services rate every location's parcels: shared configuration, as the API's rule
    user = user_with(client, "view_carrierservice", "change_carrierservice")
    StaffAccess.objects.create(user=user).channels.add(make_channel("web"))
    before = tables(loaded)
    response = client.post(url("upload", loaded), {"kind": "rates", "file": csv_file(RATES)})
    assert response.status_code == 403
    assert client.post(url("change", loaded), FORM).status_code == 403
    assert tables(loaded) == before


@pytest.mark.parametrize("model", ["carrierservice", "carrier", "servicezone", "ratebracket",
                                   "servicesurcharge"])  # fmt: skip
def test_every_shipping_list_reads_in_words_and_each_page_is_titled(boss, loaded, model):
    # Given a loaded service with a remote-area surcharge (a code with an underscore)
    remote = Surcharge("remote_area", amount=D(5), prefixes=("18565",))
    service_surcharge_set(service_key="dhl:paket", surcharge=remote, actor="ops")
    # When its lists and pages are opened, then no code shows and no "object (n)" title
    page = boss.get(reverse(f"admin:shipping_{model}_changelist"))
    assert page.status_code == 200
    text = rows_text(page.content.decode())
    assert [c for c in CODE.findall(text) if status_word(c) != c] == []
    for obj in page.context["cl"].result_list:
        shown = boss.get(reverse(f"admin:shipping_{model}_change", args=[obj.pk]))
        assert shown.status_code == 200
        assert b"object (" not in shown.content


def test_the_list_costs_the_same_statements_for_one_service_or_many(boss, loaded):
    # Given the list's statements with one service
    with CaptureQueriesContext(connection) as one:
        assert boss.get(url("changelist")).status_code == 200
    # When four more services of another carrier exist, then the list costs the same
    for code in ("a", "b", "c", "d"):
        paket(carrier="ups", code=code)
    with CaptureQueriesContext(connection) as five:
        page = boss.get(url("changelist"))
    assert len(page.context["cl"].result_list) == 5
    assert len(five) == len(one)


@settings(max_examples=50, deadline=None)
@given(
    prefixes=st.lists(st.from_regex(r"[0-9A-Z]{1,8}", fullmatch=True), max_size=20),
    separators=st.lists(st.sampled_from([",", " ", ", ", "\n", " ;", "\t"]), min_size=20,
                        max_size=20),
)  # fmt: skip
def test_prefixes_typed_with_any_separators_read_back_in_order(prefixes, separators):
    # Given prefixes typed with commas, spaces, semicolons or new lines between them
    typed = "".join(p + separators[i] for i, p in enumerate(prefixes))
    form = SurchargeForm({"kind": "remote_area", "amount": "5", "prefixes": typed})
    # Then the surcharge holds exactly those prefixes, in their order
    assert form.is_valid(), form.errors
    assert form.surcharge().prefixes == tuple(prefixes)
