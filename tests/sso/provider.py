"""An OpenID provider that signs real RS256 tokens, for the single sign-on tests: the
`oidc-provider-mock` package served in a thread, with two things added around it.

- PKCE enforced: the mock accepts a code without its verifier; here the token endpoint refuses
  (400 invalid_grant) a code whose verifier does not match the challenge of its authorization.
- Forged ID tokens: `provider.forge = {"aud": "someone-else"}` changes claims of the next ID
  tokens and signs them again with the provider's own key (so only the claim is wrong), or
  with a stranger's key of the same key id (`provider.foreign_key = True`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import flask
import jwt
import oidc_provider_mock
import requests
import werkzeug.serving
from cryptography.hazmat.primitives.asymmetric import rsa
from oidc_provider_mock import User

# The mock's authlib refuses plain-HTTP endpoints unless told this is a test.
os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")


@dataclass
class Provider:
    issuer: str = ""
    forge: dict[str, object] = field(default_factory=dict)
    foreign_key: bool = False
    announced_issuer: str = ""  # set: the discovery document names this issuer instead
    challenges: dict[str, str] = field(default_factory=dict)  # code → PKCE challenge
    verified_verifiers: list[str] = field(default_factory=list)

    def user(self, sub: str, **claims: object) -> None:
        """Set who `sub` is (claims beyond sub: email, groups, ...)."""
        response = requests.put(f"{self.issuer}/users/{sub}", json=claims, timeout=5)
        assert response.status_code == 204, response.text

    def authorize(self, authorize_url: str, sub: str) -> str:
        """The person `sub` consents at the provider: the URL it sends the browser back to."""
        response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
        assert response.status_code == 302, response.text
        return response.headers["Location"]


def provider_app(provider: Provider) -> flask.Flask:
    app = oidc_provider_mock.app(require_nonce=True, issue_refresh_token=False)

    @app.before_request
    def pkce_checked():
        if flask.request.path != "/oauth2/token":
            return None
        code = flask.request.form.get("code", "")
        verifier = flask.request.form.get("code_verifier", "")
        challenge = provider.challenges.pop(code, None)
        digest = hashlib.sha256(verifier.encode()).digest()
        if challenge is None or base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != challenge:
            return flask.jsonify({"error": "invalid_grant", "error_description": "PKCE"}), 400
        provider.verified_verifiers.append(verifier)
        return None

    @app.after_request
    def remember_challenge_or_forge(response: flask.Response) -> flask.Response:
        if flask.request.path == "/oauth2/authorize" and response.status_code == 302:
            query = parse_qs(urlsplit(response.headers["Location"]).query)
            args = flask.request.args
            if "code" in query and args.get("code_challenge_method") == "S256":
                provider.challenges[query["code"][0]] = args.get("code_challenge", "")
        if flask.request.path.endswith("/openid-configuration") and provider.announced_issuer:
            document = json.loads(response.get_data())
            response.set_data(json.dumps({**document, "issuer": provider.announced_issuer}))
        forging = provider.forge or provider.foreign_key
        if flask.request.path == "/oauth2/token" and response.status_code == 200 and forging:
            body = json.loads(response.get_data())
            body["id_token"] = _forged(body["id_token"], provider)
            response.set_data(json.dumps(body))
        return response

    return app


def _forged(id_token: str, provider: Provider) -> str:
    header = jwt.get_unverified_header(id_token)
    claims = jwt.decode(id_token, options={"verify_signature": False})
    claims.update(provider.forge)
    if provider.foreign_key:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    else:
        own = flask.g.oidc_provider_mock_storage.jwk.as_dict(is_private=True)
        key = jwt.PyJWK(own, algorithm="RS256").key
    kid = {"kid": header["kid"]} if "kid" in header else None
    return jwt.encode(claims, key, algorithm="RS256", headers=kid)


class serving:
    """`with serving() as provider:` a provider on 127.0.0.1 at a free port."""

    def __enter__(self) -> Provider:
        self.provider = Provider()
        self.server = werkzeug.serving.make_server(
            "127.0.0.1", 0, provider_app(self.provider), threaded=True
        )
        self.provider.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        return self.provider

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


__all__ = ["Provider", "User", "serving"]
