"""Recording the audit (docs/people.md, "Audit"): one row per change, in the change's own
transaction, so a change that is rolled back leaves no entry and a kept one always has its."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms.models import model_to_dict

from ordino.audit.context import actor_current
from ordino.audit.models import AuditEntry
from ordino.core.domain.clock import utcnow

# Never copied into the audit: what would let its reader sign in or call as someone else.
SECRET_FIELDS = frozenset({"password", "secret_hash"})


def json_safe(value: Any) -> Any:
    """Decimals, dates and UUIDs as the API writes them (strings), through JSON and back."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(instance: models.Model, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """A model's fields as they are (many-to-many as sorted ids), without secrets."""
    data = model_to_dict(instance, exclude=[*SECRET_FIELDS, *exclude])
    for key, value in list(data.items()):
        if isinstance(value, list) and value and isinstance(value[0], models.Model):
            data[key] = sorted(item.pk for item in value)
    return json_safe(data)


def audit_record(
    *,
    object_type: str,
    object_id: object,
    action: str,
    before: Any = None,
    after: Any = None,
    reason: str = "",
    label: str = "",
    actor: str | None = None,
) -> AuditEntry:
    """Record one change. `actor`: by default who is acting now (audit/context.py)."""
    return AuditEntry.objects.create(
        at=utcnow(),
        actor=(actor or actor_current())[:128],
        object_type=object_type[:40],
        object_id=str(object_id)[:64],
        object_label=str(label)[:200],
        action=action[:40],
        before=json_safe(before),
        after=json_safe(after),
        reason=(reason or "")[:255],
    )
