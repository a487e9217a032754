"""The console's box types (docs/shipping.md, "Parcels and packing"): added and changed through
`box_type_save` under the user's name; a refusal shows on its field and writes nothing; a user
who may only view, or one limited to some locations, changes none."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from ordino.accounts.models import StaffAccess
from ordino.audit.models import AuditEntry
from ordino.shipping.models import BoxType
from tests.factories import make_location

pytestmark = pytest.mark.django_db
FORM = {
    "location": "", "code": "M", "name": "Medium", "inner_length_mm": "400",
    "inner_width_mm": "300", "inner_height_mm": "200", "outer_length_mm": "410",
    "outer_width_mm": "310", "outer_height_mm": "210", "tare_g": "300", "max_weight_g": "20000",
    "is_active": "on", "reason": "new supplier",
}  # fmt: skip


def url(name: str, *args) -> str:
    return reverse(f"admin:shipping_boxtype_{name}", args=args)


def user_with(client, *codenames: str) -> User:
    user = User.objects.create_user("clerk", password="pw-long-enough", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return user


@pytest.fixture
def boss(client):
    client.force_login(User.objects.create_superuser("boss", "b@example.com", "pw-long-enough"))
    return client


def test_a_box_type_is_added_then_changed_and_both_are_audited(boss):
    # when a box type is added for every location, then its tare changed
    assert boss.post(url("add"), FORM).status_code == 302
    box = BoxType.objects.get()
    changed = {**FORM, "tare_g": "350", "reason": "heavier board"}
    assert boss.post(url("change", box.pk), changed).status_code == 302
    # then it is stored as typed, and both saves are audited under the user's name
    box.refresh_from_db()
    assert (box.location, box.code, box.inner_length_mm, box.tare_g) == (None, "M", 400, 350)
    entries = AuditEntry.objects.filter(object_type="box_type").order_by("id")
    assert [(e.action, e.actor, e.reason) for e in entries] == [
        ("created", "user:boss", "new supplier"), ("changed", "user:boss", "heavier board"),
    ]  # fmt: skip
    # and the list shows its sides
    assert "400×300×200" in boss.get(url("changelist")).content.decode()


def test_a_refused_box_shows_why_on_its_field_and_writes_nothing(boss):
    # given outer sides smaller than the inner ones
    bad = {**FORM, "outer_length_mm": "390"}
    response = boss.post(url("add"), bad)
    # then the form shows the use case's reason on the outer sides, and nothing is written
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["outer_length_mm"] == [
        "Box M: its outer sides cannot be smaller than its inner sides."
    ]
    assert (BoxType.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_a_viewer_and_a_location_limited_user_change_nothing(client, boss):
    assert boss.post(url("add"), FORM).status_code == 302
    box = BoxType.objects.get()
    client.logout()
    # a user who may only view sees it and is refused a change
    user_with(client, "view_boxtype")
    assert client.get(url("change", box.pk)).status_code == 200
    assert client.post(url("change", box.pk), {**FORM, "tare_g": "1"}).status_code == 403
    # a user limited to a location is refused too (box types are shared configuration)
    user = User.objects.get(username="clerk")
    user.user_permissions.add(Permission.objects.get(codename="change_boxtype"))
    StaffAccess.objects.create(user=user).locations.add(make_location("S1"))
    assert client.post(url("change", box.pk), {**FORM, "tare_g": "1"}).status_code == 403
    assert BoxType.objects.get().tare_g == 300
