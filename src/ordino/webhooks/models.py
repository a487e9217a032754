"""Outbound webhooks' tables (docs/webhooks.md): where to send, what was sent, each try."""

from __future__ import annotations

from django.db import models

from ordino.core.encryption import secret_decrypt, secret_encrypt

# What a reader is told when the key cannot read a stored secret (core/encryption.py)
UNREADABLE = {"what": "The endpoint's stored signing secret", "remedy": "rotate it"}


class WebhookEndpoint(models.Model):
    """A merchant's receiver: its URL, the event types it subscribes to and the secret its
    messages are signed with (Standard Webhooks). A 410 Gone answer disables it."""

    STATUSES = [("active", "Active"), ("disabled", "Disabled")]

    url = models.CharField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    event_types = models.JSONField(default=list)  # wire names of docs/events.md
    # whsec_...: shown once, when made or rotated; stored encrypted (core/encryption.py), read
    # and set in plain through `secret` and `previous_secret` (docs/webhooks.md, "Endpoints")
    secret_encrypted = models.TextField()
    # after a rotation the old secret signs too, until it expires (receivers switch over)
    previous_secret_encrypted = models.TextField(blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=STATUSES, default="active")
    disabled_reason = models.CharField(max_length=300, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "webhook endpoint"

    def __str__(self) -> str:
        return self.description or self.url

    @property
    def secret(self) -> str:
        """The signing secret in plain (a 409 `credentials_unreadable` if the key changed)."""
        return secret_decrypt(self.secret_encrypted, **UNREADABLE)

    @secret.setter
    def secret(self, plain: str) -> None:
        self.secret_encrypted = secret_encrypt(plain)

    @property
    def previous_secret(self) -> str:
        """The secret before the last rotation, in plain; "" when there is none."""
        return secret_decrypt(self.previous_secret_encrypted, **UNREADABLE)

    @previous_secret.setter
    def previous_secret(self, plain: str) -> None:
        self.previous_secret_encrypted = secret_encrypt(plain)


class WebhookMessage(models.Model):
    """One event for one endpoint: its body (under 20 KB, with a link to the full resource),
    its per-order sequence number and where its delivery stands. Pending → delivered, or
    failed (retrying) → delivered | dead."""

    STATES = [
        ("pending", "Pending"),
        ("failed", "Failed, retrying"),
        ("delivered", "Delivered"),
        ("dead", "Dead (gave up)"),
    ]

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="+")
    event_id = models.BigIntegerField()  # the outbox event
    event_type = models.CharField(max_length=80)
    order_id = models.BigIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)  # per order per endpoint
    body = models.JSONField()
    created_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=STATES, default="pending")
    attempts = models.PositiveIntegerField(default=0)  # all rounds
    round_attempts = models.PositiveIntegerField(default=0)  # since it was made or replayed
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)  # a sender holds it (a lease)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = "webhook message"
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="webhook_msg_event_uniq"),
            models.UniqueConstraint(
                fields=["endpoint", "order_id", "sequence"], name="webhook_msg_sequence_uniq"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="webhook_msg_due_idx"),
            models.Index(fields=["endpoint", "created_at"], name="webhook_msg_endpoint_idx"),
        ]

    def __str__(self) -> str:
        return f"msg_{self.pk} {self.event_type}"

    @property
    def webhook_id(self) -> str:
        """The `webhook-id` header: the same on every attempt and replay (receivers dedupe)."""
        return f"msg_{self.pk}"


class WebhookAttempt(models.Model):
    """One try to deliver a message, never changed afterwards."""

    message = models.ForeignKey(WebhookMessage, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    replay = models.BooleanField(default=False)  # the first try of a replay

    class Meta:
        verbose_name = "webhook attempt"
        constraints = [
            models.UniqueConstraint(fields=["message", "number"], name="webhook_attempt_uniq")
        ]

    def __str__(self) -> str:
        return f"msg_{self.message_id} #{self.number}"
