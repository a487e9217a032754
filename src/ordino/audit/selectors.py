"""Reading the audit: filters shared by the API (`GET /audit`) and the console's page."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from ordino.audit.models import AuditEntry


def audit_list(
    *,
    actor: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    q: str | None = None,
) -> QuerySet[AuditEntry]:
    """Entries matching every filter given; `q` searches actor, object, label and reason.
    Ordered by id (the API pages by id; ids grow with time)."""
    entries = AuditEntry.objects.all()
    exact = {"actor": actor, "object_type": object_type, "object_id": object_id, "action": action}
    entries = entries.filter(**{k: v for k, v in exact.items() if v})
    if since is not None:
        entries = entries.filter(at__gte=since)
    if until is not None:
        entries = entries.filter(at__lt=until)
    if q:
        entries = entries.filter(
            Q(actor__icontains=q)
            | Q(object_id=q)
            | Q(object_label__icontains=q)
            | Q(reason__icontains=q)
        )
    return entries.order_by("id")
