"""Single sign-on in a real browser (desktop): a customer-service agent clicks "Sign in with SSO"
on the console's login page, consents at the identity provider (tests/sso/provider.py, a real
OpenID provider signing RS256 tokens) and lands in the console with the role of their group.
With ORDINO_DOC_SHOTS=1 it also saves the login page's screenshot for docs/sso.md."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from ordino.sso.config import discovered
from ordino.sso.services import idp_group_map
from tests.sso.provider import serving

pytestmark = pytest.mark.django_db(transaction=True)
DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def provider(settings):
    with serving() as running:
        discovered.cache_clear()
        settings.ORDINO_OIDC_ISSUER = running.issuer
        settings.ORDINO_OIDC_CLIENT_ID = "ordino-console"
        settings.ORDINO_OIDC_CLIENT_SECRET = "s3cret"
        yield running
        discovered.cache_clear()


def test_an_agent_signs_in_through_the_identity_provider(browser, live_server, provider):
    # given the agent is in the provider's customer-service group, mapped to the role
    Group.objects.create(name="Customer service")
    idp_group_map(idp_group="ordino-cs", role_name="Customer service")
    provider.user("agent-7", email="agent7@example.com", given_name="Ada", groups=["ordino-cs"])
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        # when they open the console's login page and choose single sign-on
        page.goto(f"{live_server.url}/admin/login/")
        if os.environ.get("ORDINO_DOC_SHOTS"):
            page.screenshot(path=str(DOCS / "sso-login.png"))
        assert page.locator("input[name=password]").is_visible()  # password login stays
        page.click("#sso-login")
        # then the provider asks who they are; they consent
        page.wait_for_url(f"{provider.issuer}/oauth2/authorize**")
        page.fill("input[name=sub]", "agent-7")
        page.get_by_role("button", name="Authorize").click()
        # and they are in the console, as a new user with the role of their group
        page.wait_for_url(f"{live_server.url}/admin/")
        assert "Ada" in page.content() or "agent7@example.com" in page.content()
        user = User.objects.get(email="agent7@example.com")
        assert [g.name for g in user.groups.all()] == ["Customer service"]
        assert provider.verified_verifiers  # the code was exchanged with its PKCE verifier
    finally:
        context.close()
