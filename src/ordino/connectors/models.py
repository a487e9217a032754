"""The connector core's tables (docs/connectors.md): a channel's connection to its platform, and
every order message it received, stored as received before it is acknowledged."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ordino.core.domain.clock import utcnow


class Connection(models.Model):
    """How Ordino reaches one channel's shop on its platform. Credentials and the webhook secret
    are encrypted at rest (core/encryption.py: Fernet, key ORDINO_CREDENTIALS_KEY); never shown."""

    channel = models.OneToOneField(
        "channels.Channel", on_delete=models.PROTECT, related_name="connection"
    )
    platform = models.CharField(max_length=32)  # a code of platforms.PLATFORMS
    base_url = models.CharField(max_length=255)  # https://example.myshopify.com (checked: https)
    credentials_encrypted = models.TextField(blank=True)  # the API access token, encrypted
    webhook_secret_encrypted = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    poll_interval_seconds = models.PositiveIntegerField(default=300)  # 0: never polled
    updated_after = models.DateTimeField(null=True, blank=True)  # the poll's cursor
    last_poll_at = models.DateTimeField(null=True, blank=True)
    last_poll_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=utcnow, editable=False)
    # Shopify: the location whose stock the channel's feed sets; learned when the shop has one
    # active location, else set by a person (docs/connectors.md, "Stock pushed to the channel").
    inventory_location_id = models.BigIntegerField(
        null=True,
        blank=True,
        help_text="Shopify: the location id whose stock the feed sets; blank: the shop's one "
        "active location, learned at the first push.",
    )

    def __str__(self) -> str:
        return f"{self.platform}:{self.channel_id}"


class SkuId(models.Model):
    """A SKU's own id at the connection's platform, learned by a lookup call and kept, so a
    stock push asks only about SKUs it has not met (docs/connectors.md): Shopify's inventory
    item id, or Woo's product id (and its parent's, for a variation)."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="sku_ids")
    sku = models.CharField(max_length=64)
    external_id = models.BigIntegerField()
    parent_id = models.BigIntegerField(null=True, blank=True)
    learned_at = models.DateTimeField(default=utcnow)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["connection", "sku"], name="skuid_connection_sku_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.sku} → {self.external_id}"


class InboundMessage(models.Model):
    """One order message from a platform, exactly as received (webhook, poll or replay), and
    what processing it did. Unique per (connection, delivery id): a re-delivery changes nothing."""

    SOURCES = [("webhook", "Webhook"), ("poll", "Poll")]
    STATUSES = [
        ("received", "Received"),
        ("captured", "Captured"),
        ("updated", "Updated"),
        ("cancelled", "Cancelled"),
        ("ignored", "Ignored"),
        ("failed", "Failed"),
    ]

    connection = models.ForeignKey(Connection, on_delete=models.PROTECT, related_name="messages")
    source = models.CharField(max_length=8, choices=SOURCES)
    delivery_id = models.CharField(max_length=160, null=True, blank=True)
    topic = models.CharField(max_length=64, blank=True)
    external_order_id = models.CharField(max_length=128, blank=True)
    raw_body = models.TextField()  # as received
    headers = models.JSONField(default=dict, blank=True)  # secrets redacted
    received_at = models.DateTimeField(default=utcnow)
    status = models.CharField(max_length=10, choices=STATUSES, default="received")
    error_code = models.CharField(max_length=64, blank=True)
    error_message = models.CharField(max_length=500, blank=True)
    error_path = models.CharField(max_length=255, blank=True)
    # The order's version on the platform (its updated_at), once processed: an older version
    # arriving late changes nothing (docs/connectors.md, "Out of order").
    order_updated_at = models.DateTimeField(null=True, blank=True)
    order_id = models.BigIntegerField(null=True, blank=True)  # orders' id; no FK across modules
    attempts = models.PositiveIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "delivery_id"],
                condition=Q(delivery_id__isnull=False),
                name="inbound_delivery_unique",
            )
        ]
        indexes = [
            models.Index(fields=["status", "received_at"], name="inbound_status_idx"),
            models.Index(fields=["connection", "external_order_id"], name="inbound_order_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.topic} {self.external_order_id}"
