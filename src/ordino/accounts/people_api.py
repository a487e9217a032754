"""HTTP adapter of the user report: `GET /users/report` (scope `users:read`, unrestricted)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from ordino.accounts.people import users_report
from ordino.core.principal import principal_of

router = Router(tags=["users"])


class UserLineOut(Schema):
    username: str
    name: str
    email: str
    active: bool
    superuser: bool
    last_login: datetime | None
    roles: list[str]
    channels: list[str]
    locations: list[str]


class UsersReportOut(Schema):
    seats: int | None
    active: int
    inactive: int
    seats_left: int | None
    never_signed_in: int
    idle: int
    users: list[UserLineOut]
    roles: dict[str, list[str]]


@router.get("/report", response=UsersReportOut, summary="The user report")
def users_report_get(request: HttpRequest):
    """Active users against the contracted seats (`ORDINO_SEATS`), last sign-ins, and each
    role's active members (docs/people.md, "The user report")."""
    principal = principal_of(request)
    principal.require("users:read")
    principal.scope.require_unrestricted("the user report")  # it lists every location's staff
    return users_report()
