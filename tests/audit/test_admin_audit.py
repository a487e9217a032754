"""Every console page's saves and bulk deletions are audited (docs/people.md, "Audit"): the test
walks the admin's registry, so a model registered tomorrow is covered without anyone adding it
here. Each page's change form is sent back as a browser would send it, and one row of each is
deleted with the "delete selected" action."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import reverse

from ordino.audit.admin import AuditedAdminMixin
from ordino.audit.models import AuditEntry
from tests.admin.test_admin_pages import registered, some_order, staff  # noqa: F401

pytestmark = pytest.mark.django_db


class FormFields(HTMLParser):
    """The fields a browser sends with the page's change form (`<model>_form`)."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, []
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or a.get("disabled") is not None:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            unset = "on" if a.get("type") == "checkbox" else ""  # a checkbox without a value
            self.data.append((name, a.get("value") or unset))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in a:
            self.data.append((self.select, a.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea = name
            self.data.append((name, ""))

    def handle_data(self, data) -> None:
        if self.textarea is not None:
            name, text = self.data.pop()
            self.data.append((name, text + data))

    def handle_endtag(self, tag) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def page_fields(html: str, model: str) -> dict[str, list[str]]:
    parser = FormFields(f"{model}_form")
    parser.feed(html)
    fields: dict[str, list[str]] = {}
    for name, value in parser.data:
        # a textarea's first newline is the HTML's, not the value's (the HTML spec)
        fields.setdefault(name, []).append(value[1:] if value.startswith("\n") else value)
    return fields


def audited(model_class, pk, action: str) -> list[AuditEntry]:
    kind = admin.site._registry[model_class].audit_object_type()
    return list(AuditEntry.objects.filter(object_type=kind, object_id=str(pk), action=action))


def test_every_registered_page_has_the_audit_mixin():
    # the console's site gives it at registration (console/site.py)
    missing = [m._meta.label for m, a in admin.site._registry.items()
               if not isinstance(a, AuditedAdminMixin)]  # fmt: skip
    assert missing == []


@pytest.mark.parametrize(("app", "model"), registered())
def test_a_console_save_of_every_model_is_audited(staff, some_order, app, model):  # noqa: F811
    # Given the change page of a row, opened by a superuser
    model_class = next(m for m in admin.site._registry if m._meta.model_name == model)
    obj = model_class.objects.order_by("pk").first()
    url = reverse(f"admin:{app}_{model}_change", args=[obj.pk])
    page = staff.get(url)
    if page.status_code == 302 or not page.context["has_change_permission"]:
        # a page that changes nothing (read-only, or the order's own console page): a save
        # sent anyway is refused, and nothing is recorded
        before = AuditEntry.objects.count()
        assert staff.post(url, {"_save": "Save"}).status_code in (302, 403)
        assert AuditEntry.objects.count() == before
        return
    # When the form is saved as the browser sends it
    fields = page_fields(page.content.decode(), model)
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = staff.post(url, {**fields, "_save": "Save"})
    # Then the save is in the audit once, under the user's name, with what it is now (and, for
    # a plain change, what it was); a use case may name the row by its code (`renamed`)
    assert response.status_code == 302, page_errors(response)
    kind = admin.site._registry[model_class].audit_object_type()
    (entry,) = AuditEntry.objects.filter(id__gt=last, object_type=kind)
    assert entry.actor == "user:boss"
    assert entry.object_id in (str(obj.pk), getattr(obj, "code", None))
    assert isinstance(entry.after, dict)
    if entry.action == "changed":
        assert isinstance(entry.before, dict)
    else:
        assert entry.action == "renamed"


def page_errors(response) -> str:
    context = response.context or {}
    form = context.get("adminform")
    formsets = context.get("inline_admin_formsets") or []
    return str([form.form.errors if form else None] + [f.formset.errors for f in formsets])


@pytest.mark.parametrize(("app", "model"), registered())
def test_a_bulk_delete_of_every_model_is_audited(staff, some_order, app, model):  # noqa: F811
    # Given the newest row of a console page, and its page's "delete selected" action
    model_class = next(m for m in admin.site._registry if m._meta.model_name == model)
    obj = model_class.objects.order_by("-pk").first()
    url = reverse(f"admin:{app}_{model}_changelist")
    entries_before = AuditEntry.objects.count()
    # When a superuser deletes it, confirmed
    response = staff.post(
        url, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    if model_class.objects.filter(pk=obj.pk).exists():
        # Then a page that may not delete it (no such action, or rows that protect it)
        # deleted nothing and recorded nothing
        assert AuditEntry.objects.count() == entries_before
        return
    # Then each deleted row is in the audit with what it was
    (entry,) = audited(model_class, obj.pk, "deleted")
    assert entry.actor == "user:boss"
    assert isinstance(entry.before, dict) and entry.before
    assert entry.after is None


def test_a_page_saving_through_a_use_case_keeps_its_own_audit_setting():
    # the tax rate page saves through tax/services.py, which records the entries itself
    from ordino.tax.models import TaxRate

    assert admin.site._registry[TaxRate].audit_by_use_case == {"add", "change", "delete"}


def test_console_access_set_on_the_user_page_is_audited_as_console_access(client, shop):
    # Given an administrator on a clerk's page, with the console access inline
    from django.contrib.auth.models import User

    boss = User.objects.create_superuser("boss", "b@example.com", "pw-long-enough")
    client.force_login(boss)
    clerk = User.objects.create_user("clerk", password="pw-long-enough", is_staff=True)
    url = reverse("admin:auth_user_change", args=[clerk.pk])
    fields = page_fields(client.get(url).content.decode(), "user")
    fields["staff_access-0-locations"] = [str(shop["store"].pk)]
    # When they limit the clerk to the store
    response = client.post(url, {**fields, "_save": "Save"})
    # Then the user's save and the new console access are both in the audit
    assert response.status_code == 302, page_errors(response)
    kinds = list(AuditEntry.objects.filter(actor="user:boss").order_by("id")
                 .values_list("object_type", "action"))  # fmt: skip
    assert kinds == [("user", "changed"), ("console_access", "created")]
    access = AuditEntry.objects.get(object_type="console_access")
    assert (access.after["user"], access.after["locations"]) == (clerk.pk, [shop["store"].pk])
