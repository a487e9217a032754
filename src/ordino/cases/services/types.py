"""Changing a case type's SLA, ladder and resolutions: checked when saved, never at run time;
audited with before and after (docs/people.md, "Audit")."""

from __future__ import annotations

from ordino.audit.services import audit_record, snapshot
from ordino.cases.domain.ladder import ladder_parse
from ordino.cases.domain.status import PRIORITIES
from ordino.cases.domain.types import resolutions_check
from ordino.cases.models import CaseType
from ordino.cases.services.open import case_type_get
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import use_case_atomic


def case_type_update(
    *, code: str, ladder: list | None = None, resolutions: list | None = None,
    sla_hours: int | None = None, priority: str | None = None, team_id: int | None = None,
) -> CaseType:  # fmt: skip
    with use_case_atomic():
        case_type = case_type_get(code)
        before = snapshot(case_type)
        if ladder is not None:
            case_type.ladder = [level.as_dict() for level in ladder_parse(ladder)]
        if resolutions is not None:
            case_type.resolutions = list(resolutions_check(resolutions))
        if sla_hours is not None:
            if not 1 <= sla_hours <= 24 * 365:
                raise DomainError("invalid_sla", "sla_hours is 1..8760.", field="sla_hours")
            case_type.sla_hours = sla_hours
        if priority is not None:
            if priority not in PRIORITIES:
                raise DomainError("invalid_priority", "Unknown priority.", field="priority")
            case_type.priority = priority
        if team_id is not None:
            case_type.team_id = team_id
        case_type.save()
        audit_record(object_type="case_type", object_id=case_type.code, label=case_type.name,
                     action="changed", before=before, after=snapshot(case_type))  # fmt: skip
        return case_type
