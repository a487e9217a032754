"""The console's single sign-on page (Access → Single sign-on, docs/sso.md): whether SSO is on
and with which provider, the IdP groups mapped to roles, mapping one more and removing one —
what `ordino sso map|unmap|list` does, through the same use cases."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ordino.accounts.roles import may
from ordino.console.pages import console_render, console_view
from ordino.core.domain.errors import DomainError
from ordino.sso.config import sso_enabled
from ordino.sso.selectors import idp_group_mappings
from ordino.sso.services import idp_group_map, idp_group_unmap

FIELD_MAX = 255


@console_view
@require_http_methods(["GET"])
def sso_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("sso.view_idpgrouprole"):
        raise PermissionDenied
    context = {
        "enabled": sso_enabled(),
        "issuer": _issuer(),
        "mappings": idp_group_mappings(),
        "roles": list(Group.objects.order_by("name").values_list("name", flat=True)),
        "may_add": may(request.user, "manage_users"),
        "may_delete": may(request.user, "manage_users"),
    }
    return console_render(request, "console/sso/page.html", context, title="Single sign-on")


@console_view
@require_http_methods(["POST"])
def sso_map(request: HttpRequest) -> HttpResponse:
    if not may(request.user, "manage_users"):
        raise PermissionDenied
    group = request.POST.get("idp_group", "")[: FIELD_MAX + 1]
    role = request.POST.get("role", "")[:FIELD_MAX]
    try:
        idp_group_map(idp_group=group, role_name=role)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{group.strip()} now gives the role {role}.")
    return HttpResponseRedirect(reverse("console:sso"))


@console_view
@require_http_methods(["POST"])
def sso_unmap(request: HttpRequest) -> HttpResponse:
    if not may(request.user, "manage_users"):
        raise PermissionDenied
    group = request.POST.get("idp_group", "")[:FIELD_MAX]
    role = request.POST.get("role", "")[:FIELD_MAX]
    try:
        idp_group_unmap(idp_group=group, role_name=role)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{group} no longer gives the role {role}.")
    return HttpResponseRedirect(reverse("console:sso"))


def _issuer() -> str:
    return str(getattr(settings, "ORDINO_OIDC_ISSUER", "") or "")
