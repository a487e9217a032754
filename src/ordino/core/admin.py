"""What every console page shares: who may run an action.

An action that changes something through a use case (cancel, accept, ship, activate, revoke ...)
declares `permissions=["act"]`: it is offered, and runs, only for a user holding the model's
*change* permission. A user with only *view* sees neither the action nor its button, and a
forged request is refused (django-unfold's `action` checks before the action runs)."""

from __future__ import annotations

from django.contrib.auth import get_permission_codename
from django.http import HttpRequest


class ActionPermissionMixin:
    """`has_act_permission` for ModelAdmins whose actions call use cases. Unlike
    `has_change_permission`, it may be called with an object id (unfold's detail actions do)
    and never depends on the object, so a page can be read-only and still offer its actions."""

    def has_act_permission(self, request: HttpRequest, obj=None) -> bool:
        opts = self.opts  # type: ignore[attr-defined]
        return request.user.has_perm(f"{opts.app_label}.{get_permission_codename('change', opts)}")
