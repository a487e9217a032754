"""`ordino sso map|unmap|list`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from ordino.sso.models import IdpGroupRole

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("sso", *args, stdout=out)
    return out.getvalue()


def test_map_list_and_unmap():
    Group.objects.create(name="Customer service")
    Group.objects.create(name="Finance")
    assert "Mapped 'cs-team' → 'Customer service'" in run("map", "cs-team", "Customer service")
    run("map", "cs-team", "Customer service")  # twice is no change
    run("map", "money", "Finance")
    listing = run("list")
    assert "cs-team  →  Customer service\nmoney    →  Finance\n" in listing
    assert "Roles: Customer service, Finance" in listing
    assert "Removed 1 mapping(s) of 'cs-team'" in run("unmap", "cs-team")
    assert list(IdpGroupRole.objects.values_list("idp_group", "role__name")) == [
        ("money", "Finance")
    ]


def test_an_unknown_role_or_mapping_is_refused_and_changes_nothing():
    with pytest.raises(CommandError, match="No role 'Nobody'"):
        run("map", "cs-team", "Nobody")
    with pytest.raises(CommandError, match="No idp group mapping 'cs-team'"):
        run("unmap", "cs-team")
    with pytest.raises(CommandError, match="1 to 255 characters"):
        Group.objects.create(name="Finance")
        run("map", "x" * 256, "Finance")
    assert not IdpGroupRole.objects.exists()
