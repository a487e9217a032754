"""Case use cases (docs/cases.md)."""

from ordino.cases.services.escalate import cases_escalate_due
from ordino.cases.services.open import (
    OpenCase,
    case_cause_gone,
    case_open,
    case_type_get,
    inquiry_open,
)
from ordino.cases.services.resolutions import case_resolve
from ordino.cases.services.routing import (
    RoutingRuleIn,
    routing_preview,
    routing_rule_create,
    routing_rule_delete,
    routing_rule_get,
    routing_rule_snapshot,
    routing_rule_update,
    routing_rules,
)
from ordino.cases.services.sweeps import cases_sweep
from ordino.cases.services.types import case_type_update
from ordino.cases.services.work import case_assign, case_comment, case_status_set, case_take

__all__ = [
    "OpenCase",
    "RoutingRuleIn",
    "case_assign",
    "case_cause_gone",
    "case_comment",
    "case_open",
    "case_resolve",
    "case_status_set",
    "case_take",
    "case_type_get",
    "case_type_update",
    "cases_escalate_due",
    "cases_sweep",
    "inquiry_open",
    "routing_preview",
    "routing_rule_create",
    "routing_rule_delete",
    "routing_rule_get",
    "routing_rule_snapshot",
    "routing_rule_update",
    "routing_rules",
]
