"""Profiles and their versions: create, make default, rename, save and validate a draft,
activate it (retiring the versions it supersedes for good); every change audited."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import IntegrityError
from django.db.models import Max

from ordino.audit.services import audit_record
from ordino.core.domain.bounds import effective_from_check
from ordino.core.domain.clock import utcnow
from ordino.core.domain.codes import code_check, name_check
from ordino.core.domain.errors import Conflict, DomainError, NotFound
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.sourcing.models import ProfileAudit, SourcingProfile, SourcingProfileVersion
from ordino.sourcing.services.definitions import UNSET, definition_check


def _effective(definition: object, effective_from: datetime | object | None) -> datetime | None:
    """effective_from given on its own wins over one inside the definition."""
    if effective_from is not UNSET:
        when = effective_from
    elif isinstance(definition, dict) and definition.get("effective_from"):
        try:
            when = datetime.fromisoformat(str(definition["effective_from"]))
        except ValueError:
            raise DomainError(
                "invalid_profile",
                f"definition.effective_from {definition['effective_from']!r} is not ISO 8601.",
                field="definition.effective_from",
            ) from None
    else:
        return None
    if when is not None and (when.tzinfo is None or when.utcoffset() is None):  # type: ignore[union-attr]
        raise DomainError(
            "naive_datetime",
            "effective_from needs a timezone, e.g. 2025-10-01T00:00:00+02:00.",
            field="effective_from",
        )
    if isinstance(when, datetime):  # one inside the definition met no schema: check it here
        field = "effective_from" if effective_from is not UNSET else "definition.effective_from"
        effective_from_check(when, now=utcnow(), field=field)
    return when  # type: ignore[return-value]


def _audit(
    profile: SourcingProfile,
    version: SourcingProfileVersion | None,
    action: str,
    actor: str,
    now: datetime,
    **data: object,
) -> None:
    ProfileAudit.objects.create(
        profile=profile, version=version, action=action, actor=actor, data=data, created_at=now
    )
    reason = data.get("reason")
    audit_record(object_type="sourcing_profile", object_id=profile.code, label=profile.name,
                 action=action, actor=actor, reason=reason if isinstance(reason, str) else "",
                 after={"version": version.number if version else None, **data})  # fmt: skip


def profile_create(
    *,
    code: str,
    name: str,
    actor: str,
    definition: dict | None = None,
    effective_from: datetime | None = None,
    is_default: bool | None = None,
    now: datetime | None = None,
) -> SourcingProfile:
    """A new profile, with a first draft when `definition` is given. The first profile is the
    default one unless told otherwise."""
    now = now or utcnow()
    code = code_check(code)
    name = name_check(name)
    if definition is not None:
        definition_check(
            definition, code=code, effective_from=_effective(definition, effective_from)
        )
    with use_case_atomic():
        if is_default is None:
            is_default = not SourcingProfile.objects.filter(is_default=True).exists()
        if is_default:
            SourcingProfile.objects.filter(is_default=True).update(is_default=False)
        try:
            with savepoint():
                profile = SourcingProfile.objects.create(
                    code=code, name=name, is_default=is_default, created_by=actor, created_at=now
                )
        except IntegrityError:
            raise Conflict(
                "sourcing_profile_exists", f"A profile with code {code!r} exists.", field="code"
            ) from None
        _audit(profile, None, "created", actor, now, name=name, is_default=is_default)
        if definition is not None:
            profile_draft_save(
                profile=profile,
                definition=definition,
                effective_from=effective_from if effective_from is not None else UNSET,
                actor=actor,
                now=now,
            )
    return profile


def profile_default_set(*, profile: SourcingProfile, actor: str) -> SourcingProfile:
    """Make this the profile capture uses (its version in effect applies to the next order)."""
    now = utcnow()
    with use_case_atomic():
        SourcingProfile.objects.filter(is_default=True).exclude(pk=profile.pk).update(
            is_default=False
        )
        SourcingProfile.objects.filter(pk=profile.pk).update(is_default=True)
        profile.is_default = True
        _audit(profile, None, "made_default", actor, now)
    return profile


def profile_rename(*, profile: SourcingProfile, actor: str) -> SourcingProfile:
    """Store the name set on `profile` (the console's edit form) and audit it."""
    with use_case_atomic():
        profile.save(update_fields=["name"])
        _audit(profile, None, "renamed", actor, utcnow(), name=profile.name)
    return profile


def profile_draft_save(
    *,
    profile: SourcingProfile,
    definition: dict,
    actor: str,
    effective_from: datetime | object | None = UNSET,
    note: str = "",
    now: datetime | None = None,
) -> SourcingProfileVersion:
    """Create or replace the profile's draft. Refused (nothing saved) when invalid."""
    now = now or utcnow()
    when = _effective(definition, effective_from)
    with use_case_atomic():
        draft = SourcingProfileVersion.objects.filter(
            profile=profile, status=SourcingProfileVersion.DRAFT
        ).first()
        if draft is None:
            number = (profile.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        else:
            number = draft.number
        definition_check(definition, code=profile.code, number=number, effective_from=when)
        stored = {
            k: v for k, v in definition.items() if k not in ("code", "version", "effective_from")
        }
        if draft is None:
            draft = _draft_create(profile, number, stored, when, note, actor, now)
            action = "draft_created"
        else:
            draft.definition, draft.effective_from, draft.updated_at = stored, when, now
            draft.note = note or draft.note
            draft.save(update_fields=["definition", "effective_from", "note", "updated_at"])
            action = "draft_saved"
        _audit(
            profile,
            draft,
            action,
            actor,
            now,
            number=number,
            definition=stored,
            effective_from=None if when is None else when.isoformat(),
            note=note,
        )
    return draft


def _draft_create(
    profile: SourcingProfile,
    number: int,
    stored: dict,
    when: datetime | None,
    note: str,
    actor: str,
    now: datetime,
) -> SourcingProfileVersion:
    """The profile's new draft; a draft created meanwhile by someone else is a conflict."""
    try:
        with savepoint():
            return SourcingProfileVersion.objects.create(
                profile=profile,
                number=number,
                status=SourcingProfileVersion.DRAFT,
                definition=stored,
                effective_from=when,
                note=note,
                created_by=actor,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError:
        raise Conflict("draft_changed", "Someone else created a draft meanwhile; retry.") from None


def profile_draft_validate(
    *, profile: SourcingProfile, definition: dict | None = None
) -> dict[str, object]:
    """Check a definition (or the stored draft) without saving: {valid, errors, profile}."""
    if definition is None:
        draft = profile.versions.filter(status=SourcingProfileVersion.DRAFT).first()
        if draft is None:
            raise NotFound("draft", profile.code)
        definition, number, when = draft.definition, draft.number, draft.effective_from
    else:
        number = (profile.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        when = _effective(definition, UNSET)
    try:
        checked = definition_check(
            definition, code=profile.code, number=number, effective_from=when
        )
    except DomainError as exc:
        return {"valid": False, "errors": exc.errors or [_error(exc)], "profile": None}
    return {"valid": True, "errors": [], "profile": checked.to_dict()}


def _error(exc: DomainError) -> dict[str, str]:
    return {"field": "definition", "code": exc.code, "message": exc.message}


def profile_version_activate(
    *,
    profile: SourcingProfile,
    number: int,
    actor: str,
    effective_from: datetime | object | None = UNSET,
    now: datetime | None = None,
    reason: str = "",
) -> SourcingProfileVersion:
    """Activate a draft, from `effective_from` (default: the draft's date, else now). The next
    capture uses it as soon as it is in effect. Versions it supersedes for good (an active
    version in effect now beats them) are retired."""
    now = now or utcnow()
    with use_case_atomic():
        version = _draft_lock(profile, number)
        when = version.effective_from if effective_from is UNSET else effective_from
        # Without a date it takes effect now, ahead of versions dated before now.
        when = when or now
        if when is not None and (when.tzinfo is None or when.utcoffset() is None):  # type: ignore[union-attr]
            raise DomainError(
                "naive_datetime", "effective_from needs a timezone.", field="effective_from"
            )
        definition_check(version.definition, code=profile.code, number=number, effective_from=when)  # type: ignore[arg-type]
        version.status = SourcingProfileVersion.ACTIVE
        version.effective_from = when  # type: ignore[assignment]
        version.activated_at, version.activated_by = now, actor
        version.revision = uuid.uuid4()
        version.updated_at = now
        version.save(
            update_fields=[
                "status",
                "effective_from",
                "activated_at",
                "activated_by",
                "revision",
                "updated_at",
            ]
        )
        retired = _retire_superseded(profile, now)
        _audit(
            profile,
            version,
            "activated",
            actor,
            now,
            number=number,
            effective_from=None if when is None else when.isoformat(),  # type: ignore[union-attr]
            retired=retired,
            reason=reason,
        )
    return version


def profile_version_retire(
    *, profile: SourcingProfile, number: int, actor: str, reason: str = ""
) -> SourcingProfileVersion:
    """Retire an active version for good (a scheduled one, or the one in effect: then the
    version in effect before it applies again, else the built-in rule). Audited with the reason."""
    now = utcnow()
    with use_case_atomic():
        version = _version_lock(
            profile,
            number,
            SourcingProfileVersion.ACTIVE,
            "version_not_active",
            "only an active version can be retired.",
        )
        version.status, version.retired_at, version.updated_at = (
            SourcingProfileVersion.RETIRED,
            now,
            now,
        )
        version.save(update_fields=["status", "retired_at", "updated_at"])
        _audit(profile, version, "retired", actor, now, number=number, reason=reason)
    return version


def _draft_lock(profile: SourcingProfile, number: int) -> SourcingProfileVersion:
    """Version `number` of the profile, locked; refused unless it is a draft."""
    return _version_lock(
        profile,
        number,
        SourcingProfileVersion.DRAFT,
        "version_not_draft",
        "only a draft can be activated (save its definition as a new draft to bring it back).",
    )


def _version_lock(
    profile: SourcingProfile, number: int, status: str, code: str, only: str
) -> SourcingProfileVersion:
    """Version `number` of the profile, locked; a 409 `code` unless it is in `status`."""
    version = (
        SourcingProfileVersion.objects.select_for_update()
        .filter(profile=profile, number=number)
        .first()
    )
    if version is None:
        raise NotFound("sourcing_profile_version", f"{profile.code} v{number}")
    if version.status != status:
        raise Conflict(code, f"Version {number} of {profile.code} is {version.status}; {only}")
    return version


def _retire_superseded(profile: SourcingProfile, now: datetime) -> list[int]:
    """Retire active versions that can never be in effect again: one in effect at `now`
    outranks them and time only moves on."""
    active = list(profile.versions.filter(status=SourcingProfileVersion.ACTIVE))

    def key(v: SourcingProfileVersion) -> tuple:
        return (v.effective_from is not None, v.effective_from or now, v.number)

    due = [v for v in active if v.effective_from is None or v.effective_from <= now]
    if not due:
        return []
    current = max(due, key=key)
    stale = [v.number for v in due if v.pk != current.pk]
    if stale:
        profile.versions.filter(number__in=stale).update(
            status=SourcingProfileVersion.RETIRED, retired_at=now
        )
    return sorted(stale)
