"""Team membership (docs/people.md, "Team membership"): each case team (ordino.cases `Team`),
its lead and manager, and its members with their roles, whether they are active and when they
last signed in. Four queries whatever the number of teams and people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Prefetch

from ordino.cases.models import Team


@dataclass(frozen=True)
class Member:
    username: str
    name: str
    active: bool
    last_login: datetime | None
    roles: tuple[str, ...]
    lead: bool


@dataclass(frozen=True)
class TeamLine:
    team: str
    lead: str | None
    lead_active: bool | None  # a deactivated lead's escalations reach nobody
    manager: str | None
    members: tuple[Member, ...]
    active_members: int


def teams_report() -> list[TeamLine]:
    """Every team by name, its members by username (the lead among them, or not)."""
    people = User.objects.order_by("username").prefetch_related("groups")
    teams = (
        Team.objects.order_by("name")
        .select_related("lead", "manager")
        .prefetch_related(Prefetch("members", queryset=people))
    )
    return [_line(team) for team in teams]


def _line(team: Team) -> TeamLine:
    members = tuple(
        Member(
            username=u.username,
            name=u.get_full_name(),
            active=u.is_active,
            last_login=u.last_login,
            roles=tuple(sorted(g.name for g in u.groups.all())),
            lead=u.pk == team.lead_id,
        )
        for u in team.members.all()
    )
    return TeamLine(
        team=team.name,
        lead=team.lead.username if team.lead else None,
        lead_active=team.lead.is_active if team.lead else None,
        manager=team.manager.username if team.manager else None,
        members=members,
        active_members=sum(1 for m in members if m.active),
    )
