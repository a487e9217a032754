"""The mixin that audits a console page's saves and deletions (docs/people.md, "Audit"). Apart
from admin.py, which registers a page when imported: the console's site imports this before it
is `admin.site` (console/admin_config.py)."""

from __future__ import annotations

import re

from django.db import models, transaction

from ordino.audit.services import audit_record, snapshot


class AuditedAdminMixin:
    """Audits every save and deletion a console page makes (docs/people.md, "Audit"): the object
    before and after (many-to-many included: recorded after the form's relations), its inlines'
    rows, and each row of a bulk "delete selected". The console's site (console/site.py) gives
    every registered page this mixin, so a new page cannot slip through; a page whose saves go
    through a use case that records its own entry names it in `audit_by_use_case`."""

    audit_type = ""  # the audit's object_type; by default the model's name in snake case
    audit_exclude: tuple[str, ...] = ("last_login",)
    # "add", "change", "delete": what this page does through a use case that records its entry
    audit_by_use_case: frozenset[str] = frozenset()

    def audit_object_type(self) -> str:
        return self.audit_type or object_type_of(self.model)  # type: ignore[attr-defined]

    def _kind_of(self, model) -> str:
        """An inline's rows under the name their own page gives them (console_access, ...)."""
        page = self.admin_site._registry.get(model)  # type: ignore[attr-defined]
        return page.audit_object_type() if page is not None else object_type_of(model)

    def save_model(self, request, obj, form, change) -> None:
        before = None
        if change and obj.pk is not None:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(stored, self.audit_exclude) if stored is not None else None
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        request._audit_before = before  # type: ignore[attr-defined]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        if ("change" if change else "add") in self.audit_by_use_case:
            return
        obj = form.instance
        audit_record(object_type=self.audit_object_type(), object_id=obj.pk,
                     action="changed" if change else "created", label=str(obj),
                     before=getattr(request, "_audit_before", None),
                     after=snapshot(obj, self.audit_exclude))  # fmt: skip
        for formset in formsets:
            _inline_record(formset, self._kind_of(formset.model))

    def save_formset(self, request, form, formset, change) -> None:
        # the rows an inline deletes, as they were: once deleted, they have lost their pk
        going = [f.instance for f in formset.deleted_forms if f.instance.pk is not None]
        formset.audit_deleted = [(row.pk, str(row), snapshot(row)) for row in going]
        super().save_formset(request, form, formset, change)  # type: ignore[misc]

    def delete_model(self, request, obj) -> None:
        if "delete" in self.audit_by_use_case:
            super().delete_model(request, obj)  # type: ignore[misc]
            return
        before, pk, label = snapshot(obj, self.audit_exclude), obj.pk, str(obj)
        with transaction.atomic():
            super().delete_model(request, obj)  # type: ignore[misc]
            audit_record(object_type=self.audit_object_type(), object_id=pk, action="deleted",
                         label=label, before=before)  # fmt: skip

    def delete_queryset(self, request, queryset) -> None:
        """The "delete selected" action: one entry per row, all or nothing with the deletion."""
        if "delete" in self.audit_by_use_case:
            super().delete_queryset(request, queryset)  # type: ignore[misc]
            return
        rows = [(obj.pk, str(obj), snapshot(obj, self.audit_exclude)) for obj in queryset]
        with transaction.atomic():
            super().delete_queryset(request, queryset)  # type: ignore[misc]
            for pk, label, before in rows:
                audit_record(object_type=self.audit_object_type(), object_id=pk,
                             action="deleted", label=label, before=before)  # fmt: skip


def object_type_of(model) -> str:
    """`TaxRate` → `tax_rate`: the audit's name of a model's rows."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()[:40]


def _inline_record(formset, kind: str) -> None:
    """An inline's rows added, changed (with the changed fields' values before) and deleted."""
    for obj in getattr(formset, "new_objects", ()):
        audit_record(object_type=kind, object_id=obj.pk, action="created", label=str(obj),
                     after=snapshot(obj))  # fmt: skip
    initial = {form.instance.pk: form.initial for form in getattr(formset, "initial_forms", ())}
    for obj, fields in getattr(formset, "changed_objects", ()):
        was = initial.get(obj.pk, {})
        audit_record(object_type=kind, object_id=obj.pk, action="changed", label=str(obj),
                     before=_plain({f: was.get(f) for f in fields}),
                     after=snapshot(obj))  # fmt: skip
    for pk, label, before in getattr(formset, "audit_deleted", ()):
        audit_record(object_type=kind, object_id=pk, action="deleted", label=label,
                     before=before)  # fmt: skip


def _plain(data: dict) -> dict:
    """A form's values with related rows as their ids."""

    def one(value):
        if isinstance(value, models.Model):
            return value.pk
        if isinstance(value, list | tuple):  # many-to-many: sorted ids, as `snapshot` gives
            items = [one(v) for v in value]
            return sorted(items) if all(isinstance(v, models.Model) for v in value) else items
        return value

    return {key: one(value) for key, value in data.items()}
