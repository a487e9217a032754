"""The console's admin site: unfold's, with every registered page audited (docs/people.md,
"Audit"). `register` gives each page `AuditedAdminMixin` unless it has it already, so a model
registered tomorrow is audited without anyone remembering to (tests/audit/test_admin_audit.py
proves it for every registered model)."""

from __future__ import annotations

from django.contrib import admin
from unfold.sites import UnfoldAdminSite

from ordino.audit.admin_mixin import AuditedAdminMixin

AUDIT_SETTINGS = ("audit_type", "audit_exclude", "audit_by_use_case")


class ConsoleAdminSite(UnfoldAdminSite):
    def register(self, model_or_iterable, admin_class=None, **options) -> None:
        admin_class = audited(admin_class or admin.ModelAdmin)
        super().register(model_or_iterable, admin_class, **options)


def audited(admin_class: type) -> type:
    if issubclass(admin_class, AuditedAdminMixin):
        return admin_class
    names = {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__}
    # the page's own settings win over the mixin's defaults, which come first in the MRO
    names.update({a: getattr(admin_class, a) for a in AUDIT_SETTINGS if hasattr(admin_class, a)})
    return type(admin_class.__name__, (AuditedAdminMixin, admin_class), names)
