from __future__ import annotations

from django.db import models


class IntegrationCall(models.Model):
    """One request in or call out across Ordino's edge: a channel's webhook or poll, an outbound
    webhook delivery, a payment provider or carrier call (docs/integrations.md). Written in a
    transaction of its own, so a failed business change still leaves its log; never changed
    afterwards."""

    DIRECTIONS = [("in", "Inbound"), ("out", "Outbound")]

    at = models.DateTimeField()
    direction = models.CharField(max_length=3, choices=DIRECTIONS)
    system = models.CharField(max_length=32)  # shopify, woocommerce, amazon, ebay, webhook, ...
    connection = models.CharField(max_length=64, blank=True)  # which account or endpoint
    operation = models.CharField(max_length=64, blank=True)  # orders/create, searchOrders, ...
    method = models.CharField(max_length=8, blank=True)
    endpoint = models.CharField(max_length=500, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    ok = models.BooleanField()
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    # What groups failures into themes (docs/integrations.md, "Failure themes").
    error_signature = models.CharField(max_length=200, blank=True)
    request_headers = models.JSONField(null=True, blank=True)  # secrets redacted
    request_body = models.TextField(blank=True)  # secrets redacted, bounded
    response_body = models.TextField(blank=True)  # bounded
    # What the call was about, to find it from an order or a delivery.
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    correlation_id = models.CharField(max_length=128, blank=True)  # webhook id, delivery id

    class Meta:
        indexes = [
            models.Index(fields=["at"], name="intcall_at_idx"),
            models.Index(fields=["system", "ok", "at"], name="intcall_system_idx"),
            models.Index(fields=["error_signature", "at"], name="intcall_signature_idx"),
            models.Index(fields=["object_type", "object_id"], name="intcall_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.system} {self.operation} {self.status_code}"
