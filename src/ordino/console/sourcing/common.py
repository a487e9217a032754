"""What the sourcing rule pages share: who may change rules, the actor, and which definition is
active, drafted or built in for a profile."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from ordino.accounts.roles import may
from ordino.accounts.staff import console_principal
from ordino.core.domain.clock import utcnow
from ordino.sourcing import services
from ordino.sourcing.facts import versions_in_effect
from ordino.sourcing.models import SourcingProfile, SourcingProfileVersion

BUILT_IN_CODE = "default"  # the profile a first draft from the built-in rule creates


def can_change(request: HttpRequest) -> bool:
    # accounts/roles.py; shared configuration: unrestricted users only (docs/security.md)
    return may(request.user, "manage_rules") and not console_principal(request).scope.restricted


def require_change(request: HttpRequest) -> None:
    """A POST that changes rules, from someone without the permission: 403, nothing changes."""
    if not can_change(request):
        raise PermissionDenied


def require_view(request: HttpRequest) -> None:
    if not request.user.has_perm("sourcing.view_sourcingprofileversion"):
        raise PermissionDenied


def actor(request: HttpRequest) -> str:
    return console_principal(request).token.name


def built_in_definition() -> dict:
    return {"strategies": services.BUILT_IN_DEFINITION["strategies"]}


@dataclass
class RuleState:
    """A profile (None on a fresh install), its version in effect now (None: the built-in rule
    when it is the default profile), its draft, and the definitions to show."""

    profile: SourcingProfile | None
    active: SourcingProfileVersion | None
    draft: SourcingProfileVersion | None

    @property
    def code(self) -> str:
        return self.profile.code if self.profile else BUILT_IN_CODE

    @property
    def active_definition(self) -> dict:
        return self.active.definition if self.active else built_in_definition()

    @property
    def active_label(self) -> str:
        if self.active is None:
            return "the built-in rule"
        return f"version {self.active.number}"


def rule_state(code: str | None = None) -> RuleState:
    """The named profile, else the default one, else none (fresh install)."""
    if code:
        profile = SourcingProfile.objects.filter(code=code).first()
    else:
        profile = SourcingProfile.objects.filter(is_default=True).first()
    if profile is None:
        return RuleState(None, None, None)
    return RuleState(profile, version_in_effect(profile), draft_of(profile))


def version_in_effect(profile: SourcingProfile) -> SourcingProfileVersion | None:
    now = utcnow()
    if profile.is_default:
        return versions_in_effect(now).filter(profile=profile).first()
    return (
        profile.versions.filter(status=SourcingProfileVersion.ACTIVE)
        .exclude(effective_from__gt=now)
        .order_by("-effective_from", "-number")
        .first()
    )


def draft_of(profile: SourcingProfile) -> SourcingProfileVersion | None:
    return profile.versions.filter(status=SourcingProfileVersion.DRAFT).first()
