from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Q
from django.urls import reverse
from unfold.admin import ModelAdmin, TabularInline

from ordino.core.admin import ScopedListMixin
from ordino.core.console_export import ConsoleExportMixin
from ordino.core.domain.scope import Scope
from ordino.customers.models import Customer, CustomerAddress, CustomerChannelIdentity
from ordino.customers.selectors import customer_scope_q


class CustomerAddressInline(TabularInline):
    model = CustomerAddress
    fields = (
        "name",
        "line1",
        "line2",
        "postal_code",
        "city",
        "region",
        "country",
        "phone",
        "is_default",
    )
    extra = 0


class CustomerChannelIdentityInline(TabularInline):
    model = CustomerChannelIdentity
    fields = ("channel", "external_id")
    extra = 0


class CustomerChangeList(ChangeList):
    """The list's links open the customer page (console/orders/customer.py: contacts,
    addresses and every order), which links on to this form to edit the details."""

    def url_for_result(self, result) -> str:
        return reverse("console:customer", args=[result.pk])


@admin.register(Customer)
class CustomerAdmin(ConsoleExportMixin, ScopedListMixin, ModelAdmin):
    list_display = ("id", "email", "phone", "first_name", "last_name", "created_at")
    search_fields = ("email", "phone", "first_name", "last_name", "identities__external_id")
    list_filter = ("identities__channel", "addresses__country")
    readonly_fields = ("created_at",)
    inlines = [CustomerAddressInline, CustomerChannelIdentityInline]

    def get_changelist(self, request, **kwargs):
        return CustomerChangeList

    def scope_filter(self, scope: Scope) -> Q:
        return customer_scope_q(scope)


@admin.register(CustomerAddress)
class CustomerAddressAdmin(ConsoleExportMixin, ScopedListMixin, ModelAdmin):
    list_display = ("customer", "line1", "postal_code", "city", "country", "is_default")
    search_fields = ("line1", "city", "postal_code", "customer__email", "customer__last_name")
    list_filter = ("country", "is_default")
    list_select_related = ("customer",)
    raw_id_fields = ("customer",)

    def scope_filter(self, scope: Scope) -> Q:
        return Q(customer__in=Customer.objects.filter(customer_scope_q(scope)).values("pk"))


@admin.register(CustomerChannelIdentity)
class CustomerChannelIdentityAdmin(ConsoleExportMixin, ScopedListMixin, ModelAdmin):
    list_display = ("external_id", "channel", "customer")
    search_fields = ("external_id", "customer__email")
    list_filter = ("channel",)
    list_select_related = ("channel", "customer")
    raw_id_fields = ("customer",)

    def scope_filter(self, scope: Scope) -> Q:
        return Q(customer__in=Customer.objects.filter(customer_scope_q(scope)).values("pk"))
