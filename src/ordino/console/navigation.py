"""The console's menu, grouped by work rather than by module (settings.UNFOLD["SIDEBAR"]).

A new screen adds its entry to its group here; an entry a user may not open is hidden
(`permission`). Order of the groups: the day's work first, settings and access last."""

from __future__ import annotations

from django.urls import reverse_lazy

from ordino.accounts.roles import may


def _can_view(app_label: str, model: str):
    def check(request) -> bool:
        return request.user.has_perm(f"{app_label}.view_{model}")

    return check


def _may(action: str):
    return lambda request: may(request.user, action)  # an action permission (accounts/roles.py)


def _changelist(title: str, icon: str, app_label: str, model: str) -> dict:
    return {
        "title": title,
        "icon": icon,
        "link": reverse_lazy(f"admin:{app_label}_{model}_changelist"),
        "permission": _can_view(app_label, model),
    }


def _group(title: str, *items: dict) -> dict:
    return {"title": title, "separator": True, "collapsible": False, "items": list(items)}


NAVIGATION = [
    _group(
        "Overview",
        {"title": "Dashboard", "icon": "dashboard", "link": reverse_lazy("admin:index")},
        {
            "title": "Reports",
            "icon": "query_stats",
            "link": reverse_lazy("console:reports"),
            "permission": _can_view("orders", "order"),
        },
    ),
    _group(
        "Orders",
        _changelist("Orders", "receipt_long", "orders", "order"),
        {
            "title": "Inbox",
            "icon": "inbox",
            "link": reverse_lazy("console:cases_inbox"),
            "permission": _can_view("cases", "case"),
        },
        {
            "title": "Case routing rules",
            "icon": "alt_route",
            "link": reverse_lazy("console:case_routing"),
            # who edits rules edits the routing rules too (console/cases/routing.py)
            "permission": lambda request: (
                _can_view("cases", "routingrule")(request) or may(request.user, "manage_rules")
            ),
        },
    ),
    _group(
        "Finance",
        {
            "title": "Accounting journal",
            "icon": "account_balance",
            "link": reverse_lazy("console:accounting_journal"),
            "permission": _may("see_finance"),
        },
    ),
    _group(
        "Fulfillment",
        {
            "title": "Store",
            "icon": "storefront",
            "link": reverse_lazy("console:store"),
            "permission": _can_view("fulfillment", "fulfillmentorder"),
        },
        _changelist("Fulfillment orders", "local_shipping", "fulfillment", "fulfillmentorder"),
        _changelist("Parcel tracking", "pin_drop", "shipping", "tracker"),
        _changelist("Shipping rates chosen", "price_check", "shipping", "fulfillmentrating"),
        _changelist("Shipment costs", "payments", "shipping", "shipmentcost"),
        _changelist("Shipping e-mails sent", "mark_email_read", "shipping", "shippingnotice"),
        {
            "title": "Receive returns",
            "icon": "assignment_return",
            "link": reverse_lazy("console:returns_receive"),
            "permission": _can_view("returns", "return"),
        },
        _changelist("Returns", "keyboard_return", "returns", "return"),
    ),
    _group(
        "Inventory",
        _changelist("Stock balances", "inventory_2", "inventory", "stockbalance"),
        _changelist("Stock movements", "swap_vert", "inventory", "stockmovement"),
        _changelist("Stock transfers", "move_up", "inventory", "stocktransfer"),
        _changelist("Stock feeds", "upload_file", "inventory", "stockfeed"),
    ),
    _group(
        "Customers",
        _changelist("Customers", "person", "customers", "customer"),
        _changelist("Addresses", "home", "customers", "customeraddress"),
        _changelist("Channel identities", "badge", "customers", "customerchannelidentity"),
    ),
    _group(
        "Sourcing",
        {
            "title": "Rules in effect",
            "icon": "rule",
            "link": reverse_lazy("console:sourcing_rules"),
            "permission": _can_view("sourcing", "sourcingprofileversion"),
        },
        _changelist("Sourcing profiles", "alt_route", "sourcing", "sourcingprofile"),
        _changelist("Profile versions", "history", "sourcing", "sourcingprofileversion"),
        _changelist("Decisions", "fact_check", "sourcing", "sourcingdecision"),
        _changelist("Profile audit", "policy", "sourcing", "profileaudit"),
        _changelist("Distance zones", "map", "sourcing", "distancezone"),
        _changelist("Zone distances", "straighten", "sourcing", "zonedistance"),
        _changelist("Transit times", "schedule", "sourcing", "transittime"),
        _changelist("Location calendars", "calendar_month", "sourcing", "locationschedule"),
    ),
    _group(
        "Holds",
        {
            "title": "Hold rules",
            "icon": "back_hand",
            "link": reverse_lazy("console:hold_rules"),
            "permission": _can_view("holds", "holdrule"),
        },
        _changelist("Order holds", "pause_circle", "holds", "orderhold"),
        {
            "title": "Fraud screening",
            "icon": "gpp_maybe",
            "link": reverse_lazy("console:risk_settings"),
            # who edits rules edits the score they test (console/risk/views.py)
            "permission": lambda request: (
                _can_view("risk", "risksetting")(request) or may(request.user, "manage_rules")
            ),
        },
        _changelist("Hold rule audit", "policy", "holds", "holdruleaudit"),
    ),
    _group(
        "Catalog",
        _changelist("Products", "category", "catalog", "product"),
        _changelist("SKUs", "qr_code", "catalog", "sku"),
        _changelist("Kit components", "widgets", "catalog", "kitcomponent"),
    ),
    _group(
        "Settings",
        _changelist("Channels", "storefront", "channels", "channel"),
        {
            "title": "Channel feeds",
            "icon": "sync_alt",
            "link": reverse_lazy("console:feeds"),
            "permission": _can_view("feeds", "feedsettings"),
        },
        _changelist("Locations", "store", "locations", "location"),
        _changelist("Location groups", "workspaces", "locations", "locationgroup"),
        _changelist("Tax rates", "percent", "tax", "taxrate"),
        _changelist("Shipping services", "local_shipping", "shipping", "carrierservice"),
        _changelist("Carriers", "airport_shuttle", "shipping", "carrier"),
        _changelist("Box types", "package_2", "shipping", "boxtype"),
        _changelist("Carrier accounts", "key", "shipping", "carrieraccount"),
        _changelist("Label purchases", "receipt_long", "shipping", "labelpurchase"),
        _changelist("Shipping e-mails", "mail", "shipping", "shippingnoticetemplate"),
        _changelist("Outbox events", "outbox", "events", "outboxevent"),
        {
            "title": "Webhook endpoints",
            "icon": "webhook",
            "link": reverse_lazy("admin:webhooks_webhookendpoint_changelist"),
            "permission": _may("manage_integrations"),
        },
        {
            "title": "Webhook messages",
            "icon": "send",
            "link": reverse_lazy("admin:webhooks_webhookmessage_changelist"),
            "permission": _may("manage_integrations"),
        },
    ),
    _group(
        "Integrations",
        {
            "title": "Integration log",
            "icon": "sync_alt",
            "link": reverse_lazy("admin:integrations_integrationcall_changelist"),
            "permission": _may("manage_integrations"),
        },
        {
            "title": "Failure themes",
            "icon": "troubleshoot",
            "link": reverse_lazy("console:integration_themes"),
            "permission": _may("manage_integrations"),
        },
        _changelist("Channel connections", "cable", "connectors", "connection"),
        _changelist("Inbound messages", "move_to_inbox", "connectors", "inboundmessage"),
    ),
    _group(
        "Data",
        {
            "title": "Import",
            "icon": "upload_file",
            "link": reverse_lazy("console:transfer_imports"),
            "permission": _can_view("transfer", "importjob"),
        },
        {
            "title": "Reconciliation",
            "icon": "compare_arrows",
            "link": reverse_lazy("console:transfer_reconcile"),
            "permission": _can_view("transfer", "importjob"),
        },
    ),
    _group(
        "Access",
        _changelist("Users", "manage_accounts", "auth", "user"),
        _changelist("Groups", "groups", "auth", "group"),
        {
            "title": "Single sign-on",
            "icon": "passkey",
            "link": reverse_lazy("console:sso"),
            "permission": _can_view("sso", "idpgrouprole"),
        },
        _changelist("Console access", "lock_person", "accounts", "staffaccess"),
        _changelist("API tokens", "key", "accounts", "apitoken"),
        _changelist("Idempotency keys", "replay", "accounts", "idempotencykey"),
        {
            "title": "Audit log",
            "icon": "policy",
            "link": reverse_lazy("admin:audit_auditentry_changelist"),
            "permission": _may("see_audit"),
        },
        {
            "title": "User report",
            "icon": "group",
            "link": reverse_lazy("console:users_report"),
            "permission": _may("manage_users"),
        },
    ),
]


def navigation(request) -> list[dict]:
    """The menu unfold draws (settings.UNFOLD["SIDEBAR"]["navigation"] names this function)."""
    return NAVIGATION
