"""Holds' use cases (docs/holds.md): rules and their versions, and the holds on orders."""

from ordino.holds.services.active import active_rules, active_rules_forget
from ordino.holds.services.holds import (
    PAYMENT_DECLINED,
    hold_place,
    hold_release,
    holds_active,
    holds_release_cause,
    order_hold_system,
    order_holds_end,
    order_holds_evaluate,
    order_holds_release_reading,
    order_work_restop,
    order_work_unstop,
    release_permitted,
)
from ordino.holds.services.rules import (
    rule_create,
    rule_retire,
    rule_version_activate,
    rule_version_save,
)

__all__ = [
    "PAYMENT_DECLINED",
    "active_rules",
    "active_rules_forget",
    "hold_place",
    "hold_release",
    "holds_active",
    "holds_release_cause",
    "order_hold_system",
    "order_holds_end",
    "order_holds_evaluate",
    "order_holds_release_reading",
    "order_work_restop",
    "order_work_unstop",
    "release_permitted",
    "rule_create",
    "rule_retire",
    "rule_version_activate",
    "rule_version_save",
]
