"""`{% sso_button %}` on the console's login page: the "Sign in with SSO" button when SSO is
configured, and why the last single sign-on was refused (`?sso_error=`)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from ordino.sso.config import sso_enabled
from ordino.sso.domain.identity import REFUSALS

register = template.Library()


@register.inclusion_tag("sso/login_button.html", takes_context=True)
def sso_button(context) -> dict:
    request = context.get("request")
    error = request.GET.get("sso_error", "") if request is not None else ""
    next_url = request.GET.get("next", "") if request is not None else ""
    start = reverse("sso_login")
    return {
        "sso_enabled": sso_enabled(),
        "sso_start": f"{start}?{urlencode({'next': next_url})}" if next_url else start,
        "sso_error": REFUSALS.get(error, ""),
    }
