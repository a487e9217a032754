"""The two pages of a single sign-on (docs/sso.md): `/sso/login/` sends the browser to the
provider with a fresh state, nonce and PKCE challenge (mozilla-django-oidc's view);
`/sso/callback/` takes the code back, has it verified (backend.py) and signs the user in, or
sends them to the login page saying why not (`?sso_error=<code>`)."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.contrib import auth
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from ordino.sso.backend import CALLBACK_URL_NAME, SsoBackend
from ordino.sso.config import provider_settings, sso_enabled
from ordino.sso.domain.identity import SsoRefused
from ordino.sso.services import sso_sign_in

logger = logging.getLogger("ordino.sso")

STATE_MAX = 128


class SsoLoginView(OIDCAuthenticationRequestView):
    def __init__(self, *args, **kwargs) -> None:
        # Not the parent's __init__: the endpoint comes from the provider's settings, read
        # (and discovered) per request, not from OIDC_* settings at import.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    @staticmethod
    def get_settings(attr, *args):
        fixed = {
            "OIDC_USE_PKCE": True,
            "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
            "OIDC_USE_NONCE": True,
            "OIDC_AUTHENTICATION_CALLBACK_URL": CALLBACK_URL_NAME,
            "OIDC_REDIRECT_FIELD_NAME": "next",
        }
        if attr in fixed:
            return fixed[attr]
        return OIDCAuthenticationRequestView.get_settings(attr, *args)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_enabled():
            raise Http404("Single sign-on is not configured.")
        try:
            provider = provider_settings()
        except SsoRefused as refusal:
            return refused(request, refusal)
        self.OIDC_OP_AUTH_ENDPOINT = provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self._scopes = provider.scopes
        return super().get(request)

    def get_extra_params(self, request: HttpRequest) -> dict[str, str]:
        # the scopes of this provider (the parent reads OIDC_RP_SCOPES, which it overrides)
        return {"scope": self._scopes}


def sso_callback(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET"})
    if not sso_enabled():
        raise Http404("Single sign-on is not configured.")
    try:
        user = _signed_in_user(request)
    except SsoRefused as refusal:
        return refused(request, refusal)
    auth.login(request, user, backend=SsoBackend.PATH)
    next_url = request.session.pop("oidc_login_next", None)  # checked as safe when stored
    return HttpResponseRedirect(next_url or reverse("admin:index"))


def _signed_in_user(request: HttpRequest):
    state = request.GET.get("state", "")[:STATE_MAX]
    states = request.session.get("oidc_states")
    started = states.pop(state, None) if isinstance(states, dict) else None
    if started is not None:
        # a state is used once: a replayed callback finds it gone
        request.session["oidc_states"] = states
        request.session.save()
    if request.GET.get("error"):
        raise SsoRefused("provider_error", request.GET["error"][:100])
    if started is None or not request.GET.get("code"):
        raise SsoRefused("bad_state", "the callback's state was not started in this session")
    provider = provider_settings()
    claims = SsoBackend(provider).identify(
        request, nonce=started.get("nonce"), code_verifier=started.get("code_verifier")
    )
    return sso_sign_in(issuer=provider.issuer, claims=claims, groups_claim=provider.groups_claim)


def refused(request: HttpRequest, refusal: SsoRefused) -> HttpResponse:
    logger.warning("SSO sign-in refused: %s (%s)", refusal.code, refusal.detail)
    auth.logout(request)  # whoever this browser was signed in as, it is no one now
    login = reverse("admin:login")
    return HttpResponseRedirect(f"{login}?{urlencode({'sso_error': refusal.code})}")
