"""Console users and groups (roles) on unfold's styled pages (its forms, so every input has its
box), with the user's console access (the channels and locations they are limited to) on their
page. Adding, changing and deleting them needs the action permission `manage_users`
(accounts/roles.py, docs/people.md), not Django's model permissions."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group, User
from unfold.admin import ModelAdmin, StackedInline
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from ordino.accounts.models import StaffAccess
from ordino.accounts.roles import may
from ordino.audit.admin import AuditedAdminMixin
from ordino.core.admin import console_restricted
from ordino.core.console_export import ConsoleExportMixin


def may_manage_users(request) -> bool:
    """`manage_users`, and no limits: a user limited to a store could otherwise lift their own."""
    return not console_restricted(request) and may(request.user, "manage_users")


class ManageUsersMixin:
    """Users, roles and console access are changed by whoever may `manage_users`."""

    def has_add_permission(self, request, *args) -> bool:
        return may_manage_users(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return may_manage_users(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return may_manage_users(request)

    def has_view_permission(self, request, obj=None) -> bool:
        if console_restricted(request):
            return False
        return super().has_view_permission(request, obj) or may(request.user, "manage_users")


class StaffAccessInline(ManageUsersMixin, StackedInline):
    model = StaffAccess
    fields = ("channels", "locations")
    filter_horizontal = ("channels", "locations")
    can_delete = False
    extra = 1  # the form is there on the new user's page: limit them as they are created
    max_num = 1
    verbose_name_plural = "console access (empty: everything)"


for model in (User, Group):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(User)
class UserAdmin(
    AuditedAdminMixin, ManageUsersMixin, ConsoleExportMixin, DjangoUserAdmin, ModelAdmin
):
    audit_type = "user"
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    inlines = [StaffAccessInline]
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_active")
    export_columns = (
        ("username", "Username"),
        ("email", "E-mail"),
        ("first_name", "First name"),
        ("last_name", "Last name"),
        ("is_staff", "Staff"),
        ("is_active", "Active"),
        ("last_login", "Last login (UTC)"),
        ("date_joined", "Joined (UTC)"),
    )


@admin.register(Group)
class GroupAdmin(
    AuditedAdminMixin, ManageUsersMixin, ConsoleExportMixin, DjangoGroupAdmin, ModelAdmin
):
    audit_type = "role"
