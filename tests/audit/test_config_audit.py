"""Configuration changes made through the use cases are audited with actor, before and after
(docs/people.md, "Audit"): tax rates, the catalog, case types, hold rules, single sign-on's
group mappings, store credit given by staff, a location's groups."""

from __future__ import annotations

import getpass
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.urls import reverse

from ordino.audit.context import acting_as
from ordino.audit.models import AuditEntry
from ordino.cases.models import Team
from ordino.cases.services import case_type_update
from ordino.catalog.models import Sku
from ordino.catalog.services import kit_components_set, sku_update
from ordino.core.domain.errors import DomainError
from ordino.customers.models import Customer
from ordino.holds.services import rule_create, rule_retire, rule_version_activate
from ordino.locations.models import LocationGroup
from ordino.locations.services import location_groups_set
from ordino.payments.services import IssueCredit, credit_issue
from ordino.sso.services import idp_group_map, idp_group_unmap
from ordino.tax.services import tax_rate_create, tax_rate_delete, tax_rate_update, tax_rates_import
from tests.factories import make_kit

pytestmark = pytest.mark.django_db


def trail(object_type: str) -> list[tuple]:
    return list(AuditEntry.objects.filter(object_type=object_type).order_by("id")
                .values_list("actor", "object_id", "action"))  # fmt: skip


def test_a_tax_rate_is_audited_from_creation_to_deletion():
    # Given an administrator at the command line
    with acting_as("cli:root"):
        rate = tax_rate_create(country="DE", rate=Decimal("19"), name="DE VAT",
                               valid_from=date(2020, 1, 1))  # fmt: skip
        pk = str(rate.pk)
        tax_rate_update(tax_rate=rate, rate=Decimal("16"))
        tax_rate_delete(tax_rate=rate)
    assert trail("tax_rate") == [("cli:root", pk, "created"), ("cli:root", pk, "changed"),
                                 ("cli:root", pk, "deleted")]  # fmt: skip
    created, changed, deleted = AuditEntry.objects.filter(object_type="tax_rate").order_by("id")
    assert (created.before, created.after["rate"]) == (None, "19.000")
    assert (changed.before["rate"], changed.after["rate"]) == ("19.000", "16.000")
    assert (deleted.before["name"], deleted.after) == ("DE VAT", None)


def test_a_refused_tax_rate_change_records_nothing():
    rate = tax_rate_create(country="DE", rate=Decimal("19"), name="DE VAT",
                           valid_from=date(2020, 1, 1))  # fmt: skip
    with pytest.raises(DomainError), transaction.atomic():
        tax_rate_update(tax_rate=rate, rate=Decimal("-1"))
    assert trail("tax_rate") == [("system", str(rate.pk), "created")]


def test_a_tax_import_records_each_rate_or_nothing():
    good = "country,rate,name,valid_from\nDE,19,DE VAT,2020-01-01\nFR,20,FR TVA,2020-01-01\n"
    with acting_as("cli:root"):
        rates = tax_rates_import(text=good)
    assert [a for _, _, a in trail("tax_rate")] == ["created", "created"]
    assert [e for _, e, _ in trail("tax_rate")] == [str(r.pk) for r in rates]
    AuditEntry.objects.all().delete()
    with pytest.raises(DomainError), transaction.atomic():  # line 3 is refused: nothing at all
        tax_rates_import(text="country,rate,name,valid_from\nAT,20,AT,2020-01-01\nIT,x,IT,2020")
    assert trail("tax_rate") == []


def test_sku_changes_and_a_kits_components_are_audited(shop):
    tee = shop["TEE"]
    with acting_as("token:pim"):
        sku_update(sku=tee, name="Tee shirt", tax_class="reduced")
        kit = make_kit("GIFT", [(tee, 1)])
        kit_components_set(kit=kit, components=[("TEE", 2), ("MUG", 1)])
    entries = list(AuditEntry.objects.filter(object_type="sku", actor="token:pim").order_by("id"))
    assert [(e.object_id, e.action) for e in entries] == [
        (str(tee.pk), "changed"), (str(kit.pk), "components_set")]  # fmt: skip
    changed = entries[0]
    assert (changed.before["tax_class"], changed.after["tax_class"]) == ("standard", "reduced")
    assert changed.after["name"] == "Tee shirt"
    assert entries[-1].before == {"components": [["TEE", 1]]}
    assert entries[-1].after == {"components": [["TEE", 2], ["MUG", 1]]}


def test_a_case_types_sla_change_is_audited():
    with acting_as("user:ops"):
        case_type_update(code="inquiry", sla_hours=8)
    (entry,) = AuditEntry.objects.filter(object_type="case_type")
    assert (entry.actor, entry.object_id, entry.action) == ("user:ops", "inquiry", "changed")
    assert entry.after["sla_hours"] == 8 and entry.before["sla_hours"] != 8


def test_hold_rules_are_in_the_central_audit_with_their_reason():
    condition = {"fact": "order.value", "op": "gt", "value": "1000"}
    rule = rule_create(code="big", name="Big", reason="big order", condition=condition,
                       actor="user:ops")  # fmt: skip
    rule_version_activate(rule=rule, number=1, actor="user:boss", reason="approved in the meeting")
    rule_retire(rule=rule, actor="user:boss", reason="season over")
    assert trail("hold_rule") == [
        ("user:ops", "big", "created"), ("user:ops", "big", "version_created"),
        ("user:boss", "big", "activated"), ("user:boss", "big", "retired"),
    ]  # fmt: skip
    activated, retired = AuditEntry.objects.filter(object_type="hold_rule").order_by("id")[2:]
    assert (activated.reason, activated.before, activated.after["version"]) == (
        "approved in the meeting", {"active": []}, 1)  # fmt: skip
    assert (retired.reason, retired.before) == ("season over", {"active": [1]})


def test_sso_group_mappings_are_audited_once():
    assert Group.objects.filter(name="finance").exists()  # a default role
    with acting_as("cli:root"):
        idp_group_map(idp_group="acct", role_name="finance")
        idp_group_map(idp_group="acct", role_name="finance")  # no change: no entry
        idp_group_unmap(idp_group="acct")
    assert trail("idp_group") == [("cli:root", "acct", "mapped"), ("cli:root", "acct", "unmapped")]
    mapped, unmapped = AuditEntry.objects.filter(object_type="idp_group").order_by("id")
    assert (mapped.before, mapped.after) == (None, {"role": "finance"})
    assert (unmapped.before, unmapped.after) == ({"role": "finance"}, None)


def test_store_credit_given_by_staff_is_audited_with_the_balance_and_reason():
    customer = Customer.objects.create(email="ada@example.com", first_name="Ada")
    command = IssueCredit(customer_id=customer.pk, currency="EUR", amount=Decimal("15"),
                          reason="late parcel", actor="user:agent")  # fmt: skip
    credit_issue(command=command)
    (entry,) = AuditEntry.objects.filter(object_type="store_credit")
    assert (entry.actor, entry.object_id, entry.action, entry.reason) == (
        "user:agent", str(customer.pk), "goodwill", "late parcel")  # fmt: skip
    assert entry.before == {"currency": "EUR", "balance": "0.000"}
    assert (entry.after["balance"], entry.after["amount"]) == ("15.000", "15.00")


def test_a_refused_credit_grant_records_nothing():
    customer = Customer.objects.create(email="ada@example.com", first_name="Ada")
    command = IssueCredit(customer_id=customer.pk, currency="EUR", amount=Decimal("0"),
                          reason="late parcel", actor="user:agent")  # fmt: skip
    with pytest.raises(DomainError), transaction.atomic():
        credit_issue(command=command)
    assert not AuditEntry.objects.filter(object_type="store_credit").exists()


def test_a_locations_groups_are_audited(shop):
    group = LocationGroup.objects.create(code="EU", name="Europe")
    with acting_as("token:erp"):
        location_groups_set(location=shop["wh_a"], group_codes=["EU"])
    (entry,) = AuditEntry.objects.filter(object_type="location", action="groups_set")
    assert (entry.actor, entry.before["groups"], entry.after["groups"]) == (
        "token:erp", [], [group.pk])  # fmt: skip


def test_a_teams_calendar_changed_in_the_console_is_audited(client):
    # Given a team working Monday to Friday, and an administrator
    boss = User.objects.create_superuser("boss", "b@example.com", "pw-long-enough")
    client.force_login(boss)
    team = Team.objects.create(name="Care")
    url = reverse("admin:cases_team_change", args=[team.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update({"weekdays": "0123", "holiday_country": "DE", "extra_holidays": '["2026-12-24"]',
                 "members": [], "_save": "Save"})  # fmt: skip
    # When they take Friday off and add the German holidays and Christmas Eve
    response = client.post(url, data)
    # Then the change is audited with the calendar before and after
    assert response.status_code == 302, response.context["adminform"].form.errors
    (entry,) = AuditEntry.objects.filter(object_type="team")
    assert (entry.actor, entry.object_id, entry.action) == ("user:boss", str(team.pk), "changed")
    assert (entry.before["weekdays"], entry.after["weekdays"]) == ("01234", "0123")
    assert (entry.before["holiday_country"], entry.after["holiday_country"]) == ("", "DE")
    assert entry.after["extra_holidays"] == ["2026-12-24"]


def test_a_bulk_delete_of_skus_in_the_console_records_each_sku(client, shop):
    boss = User.objects.create_superuser("boss", "b@example.com", "pw-long-enough")
    client.force_login(boss)
    doomed = [shop["MUG"].pk, shop["CAP"].pk]
    response = client.post(reverse("admin:catalog_sku_changelist"),
                           {"action": "delete_selected", "_selected_action": doomed,
                            "post": "yes"})  # fmt: skip
    assert response.status_code == 302
    assert not Sku.objects.filter(pk__in=doomed).exists()
    deleted = AuditEntry.objects.filter(object_type="sku", action="deleted").order_by("id")
    assert sorted((e.actor, e.object_id, e.before["code"]) for e in deleted) == sorted(
        [("user:boss", str(shop["MUG"].pk), "MUG"), ("user:boss", str(shop["CAP"].pk), "CAP")]
    )


def test_ordino_users_roles_audits_the_permissions_it_gives_back():
    # Given the finance role missing one of its permissions
    from django.core.management import call_command

    from ordino.accounts.roles import roles_install

    roles_install(Group, Permission)
    finance = Group.objects.get(name="finance")
    full = sorted(finance.permissions.values_list("pk", flat=True))
    finance.permissions.remove(full[0])
    # When `ordino users roles` runs
    call_command("users", "roles", stdout=StringIO())
    # Then the role's permissions before and after are in the audit, under the command's actor
    (entry,) = AuditEntry.objects.filter(object_type="role")
    assert (entry.object_id, entry.action, entry.actor) == (str(finance.pk), "changed",
                                                            f"cli:{getpass.getuser()}")  # fmt: skip
    assert (entry.before, entry.after) == ({"permissions": full[1:]}, {"permissions": full})
    call_command("users", "roles", stdout=StringIO())  # nothing left to add: nothing recorded
    assert AuditEntry.objects.filter(object_type="role").count() == 1
