"""Signing in to the console through a real OpenID provider (tests/sso/provider.py): the
authorization code flow with PKCE, groups → roles, and every token Ordino must refuse."""

from __future__ import annotations

from time import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group, User

from ordino.sso.models import SsoIdentity
from tests.sso.conftest import CLIENT_ID, refusal_of, sso_sign_in

pytestmark = pytest.mark.django_db


def signed_in_as(client) -> User | None:
    user_id = client.session.get(SESSION_KEY)
    return User.objects.get(pk=user_id) if user_id else None


def nothing_made() -> bool:
    return not User.objects.exists() and not SsoIdentity.objects.exists()


def test_first_sign_in_with_pkce_makes_the_user_with_the_roles_of_their_groups(
    client, sso_on, roles
):
    # given a person in the provider's customer-service group
    sso_on.user("alice-sub", email="alice@example.com", given_name="Alice", groups=["ordino-cs"])
    # when they sign in with SSO
    start = "/sso/login/?next=/admin/orders/order/"
    params, response = sso_sign_in(client, sso_on, "alice-sub", start=start)
    # then the request carried a PKCE challenge, a nonce and a state, and the code was
    # exchanged with the matching verifier (the provider checks it)
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) == 43
    assert params["nonce"] and params["state"]
    assert params["client_id"] == CLIENT_ID
    assert params["scope"] == "openid email profile"
    assert len(sso_on.verified_verifiers) == 1
    # and they land where they were going, signed in as a new console user
    assert response.status_code == 302
    assert response["Location"] == "/admin/orders/order/"
    user = signed_in_as(client)
    assert user.username == "alice@example.com"
    assert (user.email, user.first_name, user.is_staff, user.is_superuser) == (
        "alice@example.com",
        "Alice",
        True,
        False,
    )
    assert not user.has_usable_password()
    assert [g.name for g in user.groups.all()] == ["Customer service"]
    identity = SsoIdentity.objects.get()
    assert (identity.issuer, identity.subject, identity.user) == (sso_on.issuer, "alice-sub", user)
    assert identity.last_login_at is not None
    assert client.get("/admin/").status_code == 200


def test_roles_are_re_synced_at_each_sign_in_and_hand_given_roles_stay(client, sso_on, roles):
    sso_on.user("bob-sub", email="bob@example.com", groups=["ordino-cs"])
    sso_ign = sso_sign_in(client, sso_on, "bob-sub")[1]
    assert sso_ign.status_code == 302
    bob = User.objects.get()
    finance = Group.objects.create(name="Finance")  # given by hand in Ordino, mapped to no group
    bob.groups.add(finance)
    # when the provider moves him from customer service to the stores
    sso_on.user("bob-sub", email="bob@example.com", groups=["ordino-stores", "unmapped"])
    client.logout()
    sso_sign_in(client, sso_on, "bob-sub")
    # then the same user has the stores' role instead, and keeps his hand-given one
    assert signed_in_as(client) == bob
    assert User.objects.count() == 1
    assert sorted(g.name for g in bob.groups.all()) == ["Finance", "Store staff"]


def test_groups_that_give_no_role_sign_no_one_in(client, sso_on, roles):
    sso_on.user("carol-sub", email="carol@example.com", groups=["marketing"])
    _, response = sso_sign_in(client, sso_on, "carol-sub")
    assert refusal_of(response) == "no_role"
    assert signed_in_as(client) is None
    assert nothing_made()


def test_a_deactivated_user_is_refused_and_their_session_ends(client, sso_on, roles):
    sso_on.user("dave-sub", email="dave@example.com", groups=["ordino-cs"])
    sso_sign_in(client, sso_on, "dave-sub")
    dave = signed_in_as(client)
    assert client.get("/admin/").status_code == 200
    # when an admin deactivates him in Ordino
    User.objects.filter(pk=dave.pk).update(is_active=False)
    # then his open session no longer reaches the console
    assert client.get("/admin/").status_code == 302
    # and signing in again is refused, his roles untouched
    sso_on.user("dave-sub", email="dave@example.com", groups=["ordino-stores"])
    _, response = sso_sign_in(client, sso_on, "dave-sub")
    assert refusal_of(response) == "user_inactive"
    assert signed_in_as(client) is None
    assert [g.name for g in dave.groups.all()] == ["Customer service"]


@pytest.mark.parametrize(
    ("forged", "code"),
    [
        ({"aud": "another-app"}, "wrong_audience"),
        ({"aud": ["another-app", CLIENT_ID]}, "wrong_audience"),  # no azp naming Ordino
        ({"iss": "http://evil.example"}, "wrong_issuer"),
        ({"exp": int(time()) - 3600, "iat": int(time()) - 7200}, "token_expired"),
        ({"nonce": "a-nonce-of-another-sign-in"}, "bad_nonce"),
    ],
)
def test_a_signed_token_with_a_wrong_claim_is_refused(client, sso_on, roles, forged, code):
    # given the provider's own key signs a token whose one claim is wrong
    sso_on.user("eve-sub", email="eve@example.com", groups=["ordino-cs"])
    sso_on.forge = forged
    _, response = sso_sign_in(client, sso_on, "eve-sub")
    assert refusal_of(response) == code
    assert signed_in_as(client) is None
    assert nothing_made()


def test_a_token_signed_by_another_key_is_refused(client, sso_on, roles):
    sso_on.user("eve-sub", email="eve@example.com", groups=["ordino-cs"])
    sso_on.foreign_key = True
    _, response = sso_sign_in(client, sso_on, "eve-sub")
    assert refusal_of(response) == "bad_signature"
    assert signed_in_as(client) is None
    assert nothing_made()


def test_a_callback_with_an_unknown_state_or_replayed_is_refused(client, sso_on, roles):
    sso_on.user("frank-sub", email="frank@example.com", groups=["ordino-cs"])
    started = client.get("/sso/login/")
    back = sso_on.authorize(started["Location"], "frank-sub")
    # a state this session never started (a forged link, another browser's callback)
    forged = back.replace("state=", "state=x")
    assert refusal_of(client.get(forged)) == "bad_state"
    assert nothing_made()
    # a real callback signs in once; replayed, it is refused
    back = sso_on.authorize(client.get("/sso/login/")["Location"], "frank-sub")
    assert client.get(back).status_code == 302
    assert signed_in_as(client).username == "frank@example.com"
    assert refusal_of(client.get(back)) == "bad_state"
    assert signed_in_as(client) is None  # a refused sign-in also ends the session it came in


def test_another_browser_cannot_finish_a_sign_in(client, sso_on, roles, django_user_model):
    from django.test import Client

    sso_on.user("gina-sub", email="gina@example.com", groups=["ordino-cs"])
    started = client.get("/sso/login/")
    back = sso_on.authorize(started["Location"], "gina-sub")
    other = Client()
    assert refusal_of(other.get(back)) == "bad_state"
    assert nothing_made()


def test_the_provider_saying_no_is_refused(client, sso_on, roles):
    started = client.get("/sso/login/")
    state = started["Location"].split("state=")[1].split("&")[0]
    response = client.get(f"/sso/callback/?error=access_denied&state={state}")
    assert refusal_of(response) == "provider_error"
    assert nothing_made()


def test_an_unreachable_provider_is_refused(client, settings, roles):
    settings.ORDINO_OIDC_ISSUER = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.ORDINO_OIDC_CLIENT_ID = CLIENT_ID
    assert refusal_of(client.get("/sso/login/")) == "provider_unreachable"


def test_a_password_user_with_a_verified_email_is_linked_not_duplicated(client, sso_on, roles):
    existing = User.objects.create_user("hanna", email="Hanna@example.com", password="pw-long-1x")
    sso_on.user("hanna-sub", email="hanna@example.com", email_verified=True, groups=["ordino-cs"])
    sso_sign_in(client, sso_on, "hanna-sub")
    assert signed_in_as(client) == existing
    assert SsoIdentity.objects.get().user == existing
    existing.refresh_from_db()
    assert existing.has_usable_password()  # password sign-in stays theirs too


def test_an_unverified_email_makes_a_user_of_its_own(client, sso_on, roles):
    User.objects.create_user("ivan@example.com", email="ivan@example.com", password="pw-long-1x")
    sso_on.user("ivan-sub", email="ivan@example.com", groups=["ordino-cs"])
    sso_sign_in(client, sso_on, "ivan-sub")
    user = signed_in_as(client)
    assert user.username == "ivan@example.com-2"
    assert User.objects.count() == 2


def test_a_code_exchanged_without_its_pkce_verifier_is_refused(client, sso_on, roles):
    # given someone holding the code but not this sign-in's verifier (an intercepted redirect)
    sso_on.user("kim-sub", email="kim@example.com", groups=["ordino-cs"])
    started = client.get("/sso/login/")
    back = sso_on.authorize(started["Location"], "kim-sub")
    session = client.session
    states = session["oidc_states"]
    for state in states.values():
        state["code_verifier"] = "x" * 64
    session["oidc_states"] = states
    session.save()
    # then the provider refuses the exchange, and so does Ordino
    assert refusal_of(client.get(back)) == "invalid_token"
    assert sso_on.verified_verifiers == []
    assert nothing_made()


def test_a_token_signed_with_the_client_secret_is_refused(client, sso_on, roles, monkeypatch):
    """HS256 with the (shared) client secret: the old algorithm-confusion attack."""
    import jwt as pyjwt

    from ordino.sso import backend

    sso_on.user("lee-sub", email="lee@example.com", groups=["ordino-cs"])
    real_get_token = backend.SsoBackend.get_token

    def hs256_token(self, payload):
        tokens = real_get_token(self, payload)
        claims = pyjwt.decode(tokens["id_token"], options={"verify_signature": False})
        tokens["id_token"] = pyjwt.encode(claims, "s3cret" * 6, algorithm="HS256")
        return tokens

    monkeypatch.setattr(backend.SsoBackend, "get_token", hs256_token)
    _, response = sso_sign_in(client, sso_on, "lee-sub")
    assert refusal_of(response) == "bad_signature"
    assert nothing_made()


def test_a_discovery_document_naming_another_issuer_is_refused(client, sso_on):
    # a document whose endpoints could be anyone's: it names another issuer than the one asked
    sso_on.announced_issuer = "http://evil.example"
    assert refusal_of(client.get("/sso/login/")) == "wrong_issuer"


def test_endpoints_given_explicitly_need_no_discovery(client, sso_on, roles, settings):
    settings.ORDINO_OIDC_AUTHORIZATION_ENDPOINT = f"{sso_on.issuer}/oauth2/authorize"
    settings.ORDINO_OIDC_TOKEN_ENDPOINT = f"{sso_on.issuer}/oauth2/token"
    settings.ORDINO_OIDC_USERINFO_ENDPOINT = f"{sso_on.issuer}/userinfo"
    settings.ORDINO_OIDC_JWKS_URI = f"{sso_on.issuer}/jwks"
    sso_on.user("max-sub", email="max@example.com", groups=["ordino-stores"])
    _, response = sso_sign_in(client, sso_on, "max-sub")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert [g.name for g in signed_in_as(client).groups.all()] == ["Store staff"]
    from ordino.sso.config import discovered

    assert discovered.cache_info().misses == 0  # the discovery document was never read
