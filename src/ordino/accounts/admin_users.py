"""Console users and groups on unfold's styled pages (its forms, so every input has its box),
with the user's console access (the channels and locations they are limited to) on their page."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group, User
from unfold.admin import ModelAdmin, StackedInline
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from ordino.accounts.models import StaffAccess
from ordino.core.console_export import ConsoleExportMixin


class StaffAccessInline(StackedInline):
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
class UserAdmin(ConsoleExportMixin, DjangoUserAdmin, ModelAdmin):
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
class GroupAdmin(ConsoleExportMixin, DjangoGroupAdmin, ModelAdmin):
    pass
