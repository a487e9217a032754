from __future__ import annotations

from datetime import time

import pytest
from django.contrib.auth.models import User

from ordino.cases.models import Case, CaseType, Team
from ordino.events.relay import outbox_dispatch
from ordino.wiring import SUBSCRIBERS


def work() -> None:
    """The worker: deliver the outbox until it is empty, no subscriber failing."""
    for _ in range(20):
        delivered, failed = outbox_dispatch(subscribers=SUBSCRIBERS)
        assert failed == 0
        if not delivered:
            return


def cases_of(type_code: str) -> list[Case]:
    return list(Case.objects.filter(type__code=type_code).order_by("pk"))


@pytest.fixture
def people(db) -> dict:
    """Ana (an agent), Lea (the team's lead), Max (its manager); the team works Monday to
    Friday, 9:00-17:00 Berlin, with Germany's public holidays."""
    ana = User.objects.create_user("ana", email="ana@example.com", is_staff=True)
    lea = User.objects.create_user("lea", email="lea@example.com", is_staff=True)
    max_ = User.objects.create_user("max", email="max@example.com", is_staff=True)
    team = Team.objects.create(
        name="Customer care", lead=lea, manager=max_, timezone="Europe/Berlin",
        weekdays="01234", opens=time(9), closes=time(17), holiday_country="DE",
    )  # fmt: skip
    team.members.set([ana, lea])
    return {"ana": ana, "lea": lea, "max": max_, "team": team}


def inquiry_type(team: Team, **fields) -> CaseType:
    from ordino.cases.services import case_type_get

    case_type = case_type_get("inquiry")
    for name, value in {"team": team, **fields}.items():
        setattr(case_type, name, value)
    case_type.save()
    return case_type
