from __future__ import annotations

from django.db import models

from ordino.accounts.roles import ACTIONS


class ApiToken(models.Model):
    """A bearer token for one integration or user. Only the SHA-256 of the secret is stored."""

    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, help_text="First characters, to recognise a token.")
    secret_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    channels = models.ManyToManyField(
        "channels.Channel", blank=True, help_text="Empty: every channel. Else orders of these only."
    )
    locations = models.ManyToManyField(
        "locations.Location",
        blank=True,
        help_text="Empty: every location. Else stock of these only.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty: never. After it the token answers 401."
    )
    last_used_at = models.DateTimeField(
        null=True, blank=True, help_text="Updated at most once a minute."
    )
    owner = models.ForeignKey(
        "auth.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="api_tokens",
        help_text="The person the token belongs to: revoked when they are deactivated.",
    )

    class Meta:
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotencyKey(models.Model):
    """One Idempotency-Key of one caller: claimed, then completed with the response to replay."""

    IN_PROGRESS = "in_progress"
    DONE = "done"

    caller = models.CharField(max_length=64)  # hash of the Authorization header
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # hash of method, path and body
    state = models.CharField(max_length=12, default=IN_PROGRESS)
    claimed_at = models.DateTimeField()
    response_status = models.PositiveSmallIntegerField(null=True)
    response_content_type = models.CharField(max_length=100, blank=True)
    response_body = models.BinaryField(null=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["caller", "key"], name="idempotency_key_unique"),
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created_idx")]

    def __str__(self) -> str:
        return f"Idempotency-Key {self.key[:40]}"


class StaffAccess(models.Model):
    """What a console user may reach: like an API token, limited to channels and/or locations
    (empty: no limit). A user without a row is not limited (docs/console.md, "Who sees what")."""

    user = models.OneToOneField("auth.User", on_delete=models.CASCADE, related_name="staff_access")
    channels = models.ManyToManyField(
        "channels.Channel", blank=True, help_text="Empty: every channel. Else orders of these only."
    )
    locations = models.ManyToManyField(
        "locations.Location",
        blank=True,
        help_text="Empty: every location. Else the work and stock of these only.",
    )

    class Meta:
        verbose_name = "console access"
        verbose_name_plural = "console access"

    def __str__(self) -> str:
        return f"access of {self.user}"


class Action(models.Model):
    """The holder of the action permissions (accounts/roles.py, docs/people.md). Its table stays
    empty: Django's permissions hang on a model, and every model has a table here (tests and
    tools that walk every model expect one)."""

    class Meta:
        default_permissions = ()
        permissions = tuple(ACTIONS.items())
