"""What a profile definition is, for the use cases: the built-in default, checking a definition
against the locations and groups that exist, and parsing a stored version."""

from __future__ import annotations

from datetime import datetime

from ordino.core.domain.errors import DomainError
from ordino.locations.models import Location, LocationGroup
from ordino.sourcing.domain import Profile, profile_from_dict

# "Leave as it is" for optional arguments of the sourcing use cases.
UNSET: object = object()

# With no profile configured: today's behaviour. Fewest locations first (one location that
# covers everything, else the fewest that do), then priority; backorder the rest.
BUILT_IN_DEFINITION = {
    "code": "built-in",
    "version": 1,
    "strategies": [
        {
            "name": "fewest locations, then priority",
            "ranking": {"criteria": [{"criterion": "priority"}]},
            "split": {"max_shipments": None, "fill": "fewest_shipments"},
            "fallback": {"kind": "backorder"},
        }
    ],
}


class _Everything:
    """known_groups for versions validated when they were saved: trust their group names."""

    def __contains__(self, item: object) -> bool:
        return True

    def __iter__(self):
        return iter(())


BUILT_IN = profile_from_dict(BUILT_IN_DEFINITION, known_groups=_Everything())


def _full(
    definition: object, *, code: str, number: int, effective_from: datetime | None
) -> dict[str, object]:
    if not isinstance(definition, dict):
        raise DomainError(
            "invalid_profile",
            'definition: expected an object such as {"strategies": [...]}.',
            field="definition",
        )
    given = definition.get("code")
    if given is not None and given != code:
        raise DomainError(
            "invalid_profile",
            f"definition.code {given!r} differs from the profile's code {code!r}.",
            field="definition.code",
        )
    data = {k: v for k, v in definition.items() if k not in ("code", "version", "effective_from")}
    data.update(
        code=code,
        version=number,
        effective_from=None if effective_from is None else effective_from.isoformat(),
    )
    return data


def version_parse(
    definition: dict, *, code: str, number: int, effective_from: datetime | None
) -> Profile:
    """The Profile of a stored version (checked when it was saved: its groups are trusted)."""
    data = _full(definition, code=code, number=number, effective_from=effective_from)
    return profile_from_dict(data, known_groups=_Everything())


def definition_check(
    definition: object, *, code: str, number: int = 1, effective_from: datetime | None = None
) -> Profile:
    """The Profile, or DomainError('invalid_profile') with every problem (unknown groups and
    locations, never-matching strategies, cycles of fallbacks, ...) under `definition.`."""
    data = _full(definition, code=code, number=number, effective_from=effective_from)
    groups = set(LocationGroup.objects.values_list("code", flat=True))
    locations = set(Location.objects.values_list("code", flat=True))
    try:
        return profile_from_dict(data, known_groups=groups, known_locations=locations)
    except DomainError as exc:
        for err in exc.errors:
            err["field"] = f"definition.{err['field']}"
        raise
