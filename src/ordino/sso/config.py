"""Where the identity provider is (docs/sso.md, "Configure"): read from the ORDINO_OIDC_*
settings at each use, its endpoints either given or discovered from the issuer's
`/.well-known/openid-configuration` (once per process and issuer)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import requests
from django.conf import settings

from ordino.sso.domain.identity import SsoRefused

DISCOVERY_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class ProviderSettings:
    issuer: str
    client_id: str
    client_secret: str
    groups_claim: str
    scopes: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str


def sso_enabled() -> bool:
    """SSO is on when an issuer and a client id are set; the login page shows its button then.
    Reads only settings: never calls the provider."""
    return bool(_setting("ORDINO_OIDC_ISSUER") and _setting("ORDINO_OIDC_CLIENT_ID"))


def provider_settings() -> ProviderSettings:
    """The provider's settings with every endpoint known; SsoRefused when SSO is off or the
    discovery document cannot be read."""
    if not sso_enabled():
        raise SsoRefused("sso_not_configured")
    issuer = _setting("ORDINO_OIDC_ISSUER").rstrip("/")
    explicit = {
        "authorization_endpoint": _setting("ORDINO_OIDC_AUTHORIZATION_ENDPOINT"),
        "token_endpoint": _setting("ORDINO_OIDC_TOKEN_ENDPOINT"),
        "userinfo_endpoint": _setting("ORDINO_OIDC_USERINFO_ENDPOINT"),
        "jwks_uri": _setting("ORDINO_OIDC_JWKS_URI"),
    }
    endpoints = explicit if all(explicit.values()) else {**discovered(issuer), **_given(explicit)}
    return ProviderSettings(
        issuer=issuer,
        client_id=_setting("ORDINO_OIDC_CLIENT_ID"),
        client_secret=_setting("ORDINO_OIDC_CLIENT_SECRET"),
        groups_claim=_setting("ORDINO_OIDC_GROUPS_CLAIM") or "groups",
        scopes=_setting("ORDINO_OIDC_SCOPES") or "openid email profile",
        **endpoints,
    )


@lru_cache(maxsize=8)
def discovered(issuer: str) -> dict[str, str]:
    """The endpoints of the issuer's discovery document. Its `issuer` must be the configured
    one exactly (OpenID Connect Discovery 1.0, section 4.3): else an attacker's document could
    name other endpoints. Failures are not cached."""
    try:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=DISCOVERY_TIMEOUT_SECONDS
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise SsoRefused("provider_unreachable", f"discovery of {issuer}: {exc}") from exc
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        raise SsoRefused("wrong_issuer", f"discovery document of {issuer} names another issuer")
    names = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")
    endpoints = {name: document.get(name) for name in names}
    if not all(isinstance(url, str) and url for url in endpoints.values()):
        raise SsoRefused("provider_unreachable", f"discovery of {issuer} lacks an endpoint")
    return endpoints


def _given(explicit: dict[str, str]) -> dict[str, str]:
    return {name: url for name, url in explicit.items() if url}


def _setting(name: str) -> str:
    return str(getattr(settings, name, "") or "").strip()
