from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group

from ordino.sso.config import discovered
from tests.sso.provider import serving

CLIENT_ID = "ordino-console"


@pytest.fixture
def provider():
    with serving() as running:
        yield running


@pytest.fixture
def sso_on(settings, provider):
    """Ordino configured for the test provider by its issuer alone (endpoints discovered)."""
    discovered.cache_clear()
    settings.ORDINO_OIDC_ISSUER = provider.issuer
    settings.ORDINO_OIDC_CLIENT_ID = CLIENT_ID
    settings.ORDINO_OIDC_CLIENT_SECRET = "s3cret"
    settings.ORDINO_OIDC_GROUPS_CLAIM = "groups"
    yield provider
    discovered.cache_clear()


@pytest.fixture
def roles(db):
    """Two of the default roles, and the mapping an admin made: `ordino-cs` → Customer service,
    `ordino-stores` → Store staff."""
    from ordino.sso.services import idp_group_map

    made = {name: Group.objects.create(name=name) for name in ("Customer service", "Store staff")}
    idp_group_map(idp_group="ordino-cs", role_name="Customer service")
    idp_group_map(idp_group="ordino-stores", role_name="Store staff")
    return made


def sso_sign_in(client, provider, sub: str, *, start: str = "/sso/login/"):
    """A browser's round trip: Ordino → the provider (where `sub` consents) → Ordino's
    callback. Returns (the authorization request's parameters, the callback's response)."""
    started = client.get(start)
    assert started.status_code == 302, started
    authorize_url = started["Location"]
    params = {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
    back = provider.authorize(authorize_url, sub)
    return params, client.get(back)


def refusal_of(response) -> str:
    """The code of a refused sign-in, from the login page it sends the browser to."""
    assert response.status_code == 302, response
    location = urlsplit(response["Location"])
    assert location.path == "/admin/login/", response["Location"]
    return parse_qs(location.query)["sso_error"][0]
