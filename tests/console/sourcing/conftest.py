"""Shared arrangement for the sourcing rule pages' tests: users with and without the change
permission, a configured network (tests/sourcing/helpers.py) with an active version and a draft."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from django.contrib.auth.models import Permission, User

from ordino.sourcing import services
from tests.sourcing.helpers import OCTOBER, SEPTEMBER, network


@pytest.fixture
def manager(client):
    user = User.objects.create_superuser("ops", "ops@example.com", "pw-long-enough")
    client.force_login(user)
    return client


@pytest.fixture
def viewer(client):
    user = User.objects.create_user("look", "look@example.com", "pw-long-enough", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="sourcing", codename__startswith="view_")
    )
    client.force_login(user)
    return client


@pytest.fixture
def configured(db):
    net = network()
    profile = services.profile_create(
        code="default", name="Web shop", definition=SEPTEMBER, actor="t"
    )
    services.profile_version_activate(profile=profile, number=1, actor="t")
    return {"profile": profile, **net}


@pytest.fixture
def drafted(configured):
    services.profile_draft_save(profile=configured["profile"], definition=OCTOBER, actor="t")
    return configured


def form_data(html: str) -> dict[str, object]:
    """What a browser would post from the editor page's form as rendered (inputs, selected
    options, checked boxes), so a test edits a value and posts the rest unchanged."""
    data: dict[str, object] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="submit"' in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        if 'type="checkbox"' in tag:
            if "checked" in tag:
                data.setdefault(name.group(1), [])
                data[name.group(1)].append(value.group(1) if value else "on")  # type: ignore[union-attr]
            continue
        data[name.group(1)] = html_lib.unescape(value.group(1)) if value else ""
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', body)
        if "multiple" in html.split(f'name="{name}"')[1].split(">")[0]:
            data[name] = chosen
        else:
            data[name] = chosen[0] if chosen else ""
    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = body.strip()
    return {k: v for k, v in data.items() if k != "csrfmiddlewaretoken"}
