"""E-mails on assignment and escalation (docs/cases.md, "Notifications"), sent by the outbox's
subscribers after the change committed: to the person who owns the case now, else to its team's
members. Templates: cases/templates/cases/."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string

from ordino.cases.events import CaseEvent
from ordino.cases.models import Case, Team


def _recipients(event: CaseEvent) -> list[str]:
    if event.owner_user_id is not None:
        user = get_user_model().objects.filter(pk=event.owner_user_id).first()
        return [user.email] if user is not None and user.email else []
    team = Team.objects.filter(pk=event.owner_team_id).first()
    if team is None:
        return []
    return sorted({m.email for m in team.members.all() if m.email})


def case_mail(event: CaseEvent, *, template: str) -> int:
    """Mail the case's owner about `event`; how many addresses it went to."""
    to = _recipients(event)
    case = Case.objects.select_related("type").filter(pk=event.case_id).first()
    if not to or case is None:
        return 0
    context = {"case": case, "event": event, "base": settings.ORDINO_PUBLIC_URL.rstrip("/")}
    subject = render_to_string(f"cases/{template}_subject.txt", context).strip()
    body = render_to_string(f"cases/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    return len(to)
