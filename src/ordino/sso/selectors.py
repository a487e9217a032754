"""Single sign-on's reads."""

from __future__ import annotations

from ordino.sso.models import IdpGroupRole


def idp_group_mappings() -> list[tuple[str, str]]:
    """(IdP group, role name) pairs, by group then role."""
    return list(
        IdpGroupRole.objects.order_by("idp_group", "role__name").values_list(
            "idp_group", "role__name"
        )
    )
