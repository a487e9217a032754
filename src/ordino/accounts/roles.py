"""Roles and the actions they permit, defined in one place (docs/people.md).

An *action permission* names something a person does — refund, cancel, fulfil, manage rules —
not a table: console actions ask `may(user, "refund")`, never Django's model `change_*`
permissions. The permissions are Django permissions of the `accounts` app (codenames below, on
the `Action` model, which has no table), so they are granted the Django way: to a group (a
**role**) or to one user. Reading a page still needs the model's *view* permission; a role
carries the view permissions of the areas it works in (`ROLES`).

The default roles are shipped by the data migration `0005_default_roles` (and kept in step by
`roles_install`, idempotent: `ordino users roles`): it adds what a role lacks and takes nothing
away, so an administrator's own changes to a role survive an upgrade."""

from __future__ import annotations

from dataclasses import dataclass

from ordino.core.principal import ACTION_APP_LABEL

APP_LABEL = ACTION_APP_LABEL  # "accounts": core's Principal.person_may asks for these

# codename → what it permits (the permission's name, shown on the role's page).
ACTIONS: dict[str, str] = {
    "cancel_orders": "Cancel orders and order lines",
    "edit_orders": "Edit orders: address, lines, comments; re-send their documents",
    "edit_prices": "Set prices on orders (reserved: no console action sets one yet)",
    "refund": "Refund, capture and retry payments; give store credit",
    "fulfil": "Work fulfillment orders: accept, pick, pack, ship, reject, hand over",
    "manage_returns": "Open, receive, refund and close returns and exchanges",
    "approve": "Approve and release held orders",
    "work_cases": "Work the inbox: take, comment on and resolve cases",
    "manage_rules": "Edit, activate and make default sourcing profiles and rules",
    "manage_users": "Manage users, roles, console access; deactivate users",
    "see_finance": "See the journal and the money reports",
    "see_reports": "See the network's KPIs and reports: the dashboard, returns analytics",
    "see_audit": "Read the audit log",
    "manage_integrations": "Mint and revoke API tokens; replay outbox events",
}


@dataclass(frozen=True)
class Role:
    name: str
    actions: tuple[str, ...]
    # (app label, model name) pairs whose *view* permission the role carries; "*": every model
    views: tuple[tuple[str, str], ...] | str


ORDER_VIEWS = (("orders", "order"), ("customers", "customer"), ("payments", "payment"))
WORK_VIEWS = (("fulfillment", "fulfillmentorder"), ("inventory", "stockbalance"))
RETURN_VIEWS = (("returns", "return"),)

ROLES: tuple[Role, ...] = (
    Role(
        "operations manager",
        (
            "cancel_orders",
            "edit_orders",
            "edit_prices",
            "refund",
            "fulfil",
            "manage_returns",
            "approve",
            "work_cases",
            "manage_rules",
            "see_reports",
            "see_audit",
        ),
        "*",
    ),
    Role(
        "customer service",
        ("cancel_orders", "edit_orders", "refund", "manage_returns", "work_cases"),
        (
            *ORDER_VIEWS,
            *RETURN_VIEWS,
            ("fulfillment", "fulfillmentorder"),
            ("payments", "storecreditaccount"),
            ("invoices", "invoice"),
            ("cases", "case"),
            ("holds", "orderhold"),
        ),
    ),
    Role(
        "store staff",
        ("fulfil", "manage_returns", "work_cases"),
        (("orders", "order"), *WORK_VIEWS, *RETURN_VIEWS, ("cases", "case")),
    ),
    Role("warehouse staff", ("fulfil",), (("orders", "order"), *WORK_VIEWS)),
    Role(
        "finance",
        ("refund", "see_finance", "see_reports", "work_cases"),
        (
            *ORDER_VIEWS,
            ("invoices", "invoice"),
            ("payments", "storecreditaccount"),
            ("cases", "case"),
        ),
    ),
    Role("admin", tuple(ACTIONS), "*"),
)
ROLE_NAMES = tuple(role.name for role in ROLES)


def may(user, action: str) -> bool:
    """May `user` (active, signed in) run `action`? Superusers may do everything."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}: see accounts/roles.py")
    if user is None or not getattr(user, "is_active", False):
        return False
    return user.has_perm(f"{APP_LABEL}.{action}")


def roles_install(group_model, permission_model) -> list[str]:
    """Create the default roles and add what each lacks; takes nothing away. Models are passed
    in so the data migration can give its historical ones. Returns the names of roles made."""
    made = []
    permissions = permission_model.objects.select_related("content_type")
    actions = {p.codename: p for p in permissions.filter(content_type__app_label=APP_LABEL,
                                                        codename__in=ACTIONS)}  # fmt: skip
    views = list(permissions.filter(codename__startswith="view_"))
    for role in ROLES:
        group, created = group_model.objects.get_or_create(name=role.name)
        if created:
            made.append(role.name)
        wanted = [actions[a] for a in role.actions if a in actions]
        wanted += [
            p
            for p in views
            if role.views == "*" or (p.content_type.app_label, p.content_type.model) in role.views
        ]
        group.permissions.add(*wanted)
    return made


def roles_migrate(apps, schema_editor) -> None:
    """The default roles' data migrations (0005, 0007): every app's permissions made first
    (Django makes them only after `migrate`), then `roles_install` with the historical models."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_install(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))
