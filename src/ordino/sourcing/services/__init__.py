"""Use cases of sourcing, by concern: the decision order capture asks for (`decision`), profiles
and their versions, draft → active → retired and audited (`profiles`), the merchant's tables
(`tables`), and what a profile definition is (`definitions`). Callers import from here."""

from ordino.sourcing.services.decision import (
    Sourced,
    decision_summary,
    profile_for_capture,
    sourcing_decide,
    sourcing_decision_record,
)
from ordino.sourcing.services.definitions import (
    BUILT_IN,
    BUILT_IN_DEFINITION,
    UNSET,
    definition_check,
    version_parse,
)
from ordino.sourcing.services.profiles import (
    profile_create,
    profile_default_set,
    profile_draft_save,
    profile_draft_validate,
    profile_rename,
    profile_version_activate,
    profile_version_retire,
)
from ordino.sourcing.services.tables import (
    PREFIX_MAX,
    location_schedule_set,
    transit_times_load,
    zones_load,
)

__all__ = [
    "BUILT_IN",
    "BUILT_IN_DEFINITION",
    "PREFIX_MAX",
    "UNSET",
    "Sourced",
    "decision_summary",
    "definition_check",
    "location_schedule_set",
    "profile_create",
    "profile_default_set",
    "profile_draft_save",
    "profile_draft_validate",
    "profile_for_capture",
    "profile_rename",
    "profile_version_activate",
    "profile_version_retire",
    "sourcing_decide",
    "sourcing_decision_record",
    "transit_times_load",
    "version_parse",
    "zones_load",
]
