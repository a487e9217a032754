"""Single sign-on's tables (docs/sso.md): who an identity provider's subject is in Ordino, and
which Ordino role (a Django Group) each identity-provider group gives."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models

from ordino.sso.domain.identity import IDP_GROUP_MAX, ISSUER_MAX, SUBJECT_MAX


class IdpGroupRole(models.Model):
    """An identity-provider group (as named in the groups claim) gives an Ordino role. One IdP
    group may give several roles: one row each."""

    idp_group = models.CharField(max_length=IDP_GROUP_MAX)
    role = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="idp_groups")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idp_group", "role"], name="sso_idp_group_role_unique")
        ]
        ordering = ["idp_group", "role__name"]

    def __str__(self) -> str:
        return f"{self.idp_group} → {self.role.name}"


class SsoIdentity(models.Model):
    """The provider's (issuer, subject) pair: the only thing that links a sign-in to a user
    (an e-mail address can change hands at the provider; a subject never does)."""

    issuer = models.CharField(max_length=ISSUER_MAX)
    subject = models.CharField(max_length=SUBJECT_MAX)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_unique")
        ]
        verbose_name_plural = "SSO identities"

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"
