"""The OpenID Connect client: mozilla-django-oidc's backend, made strict (docs/sso.md, "What is
checked"). It exchanges the code (with the PKCE verifier), verifies the ID token — RS256 with a
key of the provider's JWKS, `iss`, `aud`, `exp`, `iat`, the nonce — and reads the userinfo.
Whom the claims make a user is `services.sso_sign_in`'s decision.

In AUTHENTICATION_BACKENDS it only keeps SSO sessions: `authenticate()` never signs anyone in
(only the callback view does, through `identify`), and `get_user` refuses a deactivated user,
so deactivating someone ends their SSO session at the next request."""

from __future__ import annotations

from collections.abc import Mapping

import jwt
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from ordino.sso.config import ProviderSettings
from ordino.sso.domain.identity import SsoRefused

SIGNING_ALGORITHM = "RS256"
# Clock skew tolerated between Ordino and the provider when checking exp and iat.
LEEWAY_SECONDS = 60
CALLBACK_URL_NAME = "sso_callback"
PROVIDER_TIMEOUT_SECONDS = 10


class SsoBackend(OIDCAuthenticationBackend):
    PATH = "ordino.sso.backend.SsoBackend"

    def __init__(self, provider: ProviderSettings | None = None) -> None:
        # Not the parent's __init__: it reads OIDC_* settings at import of every password
        # login too; this one needs the provider only when `identify` is called.
        self.UserModel = get_user_model()
        self.provider = provider
        if provider is not None:
            self.OIDC_OP_TOKEN_ENDPOINT = provider.token_endpoint
            self.OIDC_OP_USER_ENDPOINT = provider.userinfo_endpoint
            self.OIDC_OP_JWKS_ENDPOINT = provider.jwks_uri
            self.OIDC_RP_CLIENT_ID = provider.client_id
            self.OIDC_RP_CLIENT_SECRET = provider.client_secret
            self.OIDC_RP_SIGN_ALGO = SIGNING_ALGORITHM
            self.OIDC_RP_IDP_SIGN_KEY = None

    @staticmethod
    def get_settings(attr, *args):
        # The library's own knobs, fixed here rather than in settings.py: no unsigned tokens,
        # a nonce, the provider's calls time out.
        fixed = {
            "OIDC_ALLOW_UNSECURED_JWT": False,
            "OIDC_USE_NONCE": True,
            "OIDC_TIMEOUT": PROVIDER_TIMEOUT_SECONDS,
            "OIDC_TOKEN_USE_BASIC_AUTH": False,
        }
        if attr in fixed:
            return fixed[attr]
        return OIDCAuthenticationBackend.get_settings(attr, *args)

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return ModelBackend.get_user(self, user_id)

    def identify(self, request, *, nonce: str, code_verifier: str | None) -> dict[str, object]:
        """The verified claims of the person the provider signed in: the ID token's, with the
        userinfo's added (the ID token's win; the userinfo's `sub` must be the same)."""
        assert self.provider is not None
        self.request = request
        payload = {
            "client_id": self.provider.client_id,
            "client_secret": self.provider.client_secret,
            "grant_type": "authorization_code",
            "code": request.GET["code"],
            "redirect_uri": request.build_absolute_uri(reverse(CALLBACK_URL_NAME)),
        }
        if code_verifier is not None:
            payload["code_verifier"] = code_verifier
        try:
            tokens = self.get_token(payload)
            id_token = tokens.get("id_token")
            if not isinstance(id_token, str):
                raise SsoRefused("invalid_token", "the token response has no id_token")
            claims = self.verify_token(id_token, nonce=nonce)
            userinfo = self.get_userinfo(tokens.get("access_token"), id_token, claims)
        except requests.HTTPError as exc:
            # a 4xx: the provider refused the exchange (a wrong PKCE verifier, a used code, a
            # wrong secret); a 5xx: it is down
            status = exc.response.status_code if exc.response is not None else 500
            raise SsoRefused(
                "invalid_token" if status < 500 else "provider_unreachable", str(exc)
            ) from exc
        except requests.RequestException as exc:
            raise SsoRefused("provider_unreachable", str(exc)) from exc
        except (SuspiciousOperation, jwt.PyJWTError, KeyError, ValueError) as exc:
            raise SsoRefused("invalid_token", str(exc)) from exc
        if isinstance(userinfo, Mapping) and userinfo.get("sub") not in (None, claims.get("sub")):
            raise SsoRefused("invalid_token", "the userinfo is about another subject")
        return {**(userinfo if isinstance(userinfo, Mapping) else {}), **claims}

    def verify_token(self, token, **kwargs):
        try:
            key = self.retrieve_matching_jwk(token)
        except SuspiciousOperation as exc:  # no key of the provider's JWKS has the token's kid
            raise SsoRefused("bad_signature", str(exc)) from exc
        payload = self._verify_jws(token, key)
        nonce = kwargs.get("nonce")
        if not nonce or payload.get("nonce") != nonce:
            raise SsoRefused("bad_nonce", "the ID token's nonce is not this sign-in's")
        return payload

    def retrieve_matching_jwk(self, token):
        """The provider's key that signed the token: by the token's key id, or — a token
        without one (allowed when the provider has a single key) — the JWKS's only RSA key."""
        response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=PROVIDER_TIMEOUT_SECONDS)
        response.raise_for_status()
        keys = [
            key
            for key in response.json().get("keys", [])
            if key.get("kty") == "RSA"
            and key.get("use", "sig") == "sig"
            and key.get("alg", SIGNING_ALGORITHM) == SIGNING_ALGORITHM
        ]
        kid = jwt.get_unverified_header(token).get("kid")
        matching = [key for key in keys if kid is None or key.get("kid") == kid]
        if len(matching) != 1:
            raise SuspiciousOperation(f"{len(matching)} keys of the provider match kid {kid!r}")
        return jwt.PyJWK(matching[0], algorithm=SIGNING_ALGORITHM)

    def _verify_jws(self, payload, key):
        """The library checks the signature and exp only; this checks everything OpenID Connect
        Core 1.0 section 3.1.3.7 asks of an ID token."""
        assert self.provider is not None
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[SIGNING_ALGORITHM],
                audience=self.provider.client_id,
                issuer=self.provider.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise SsoRefused("token_expired", str(exc)) from exc
        except jwt.InvalidAudienceError as exc:
            raise SsoRefused("wrong_audience", str(exc)) from exc
        except jwt.InvalidIssuerError as exc:
            raise SsoRefused("wrong_issuer", str(exc)) from exc
        except (jwt.InvalidSignatureError, jwt.InvalidAlgorithmError) as exc:
            raise SsoRefused("bad_signature", str(exc)) from exc
        except jwt.PyJWTError as exc:
            raise SsoRefused("invalid_token", str(exc)) from exc
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.provider.client_id:
            raise SsoRefused("wrong_audience", "several audiences and azp is not this client")
        return claims
