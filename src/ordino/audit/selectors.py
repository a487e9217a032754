"""Reading the audit: filters shared by the API (`GET /audit`), `ordino audit search` and the
console's page."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from ordino.audit.models import AuditEntry
from ordino.core.domain.errors import DomainError

TEXT_MAX = 128  # the longest actor; object types and actions are at most 40, ids 64


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
    Ordered by id (the API pages by id; ids grow with time). A text past its bound, a time
    without its offset or a range that ends before it starts: DomainError, nothing read."""
    _check(actor=actor, object_type=object_type, object_id=object_id, action=action, q=q,
           since=since, until=until)  # fmt: skip
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


def _check(*, since: datetime | None, until: datetime | None, **texts: str | None) -> None:
    for field, text in texts.items():
        if text is not None and len(text) > TEXT_MAX:
            raise DomainError("too_long", f"{field} is at most {TEXT_MAX} characters.", field=field)
    for field, moment in (("since", since), ("until", until)):
        if moment is not None and moment.utcoffset() is None:
            raise DomainError("invalid_datetime", f"{field} needs its offset (Z or +01:00).",
                              field=field)  # fmt: skip
    if since is not None and until is not None and until <= since:
        raise DomainError("invalid_range", "until must be after since.", field="until")
