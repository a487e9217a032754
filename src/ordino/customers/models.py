from __future__ import annotations

from django.db import models

from ordino.core.domain.clock import utcnow


class Customer(models.Model):
    """One person across every channel, recognised by normalised e-mail or E.164 phone."""

    email = models.CharField(max_length=254, blank=True, db_index=True)
    phone = models.CharField(max_length=20, blank=True, db_index=True)
    first_name = models.CharField(max_length=128, blank=True)
    last_name = models.CharField(max_length=128, blank=True)
    tags = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=utcnow, editable=False)  # utcnow(): pinnable

    class Meta:
        constraints = [
            # One person per e-mail: what makes the same buyer recognisable across channels.
            models.UniqueConstraint(
                fields=["email"], condition=~models.Q(email=""), name="customer_email_unique"
            )
        ]

    def __str__(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return name or self.email or self.phone or f"customer {self.pk}"


class CustomerAddress(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses")
    name = models.CharField(max_length=255, blank=True)
    line1 = models.CharField(max_length=255)
    line2 = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=128)
    region = models.CharField(max_length=128, blank=True)
    postal_code = models.CharField(max_length=32, blank=True)
    country = models.CharField(max_length=2)
    phone = models.CharField(max_length=20, blank=True)
    is_default = models.BooleanField(default=False)

    class Meta:
        verbose_name = "address"
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return f"{self.line1}, {self.city} {self.country}"


class CustomerChannelIdentity(models.Model):
    """The channel's own id for this customer (e.g. a marketplace buyer id)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="identities")
    channel = models.ForeignKey("channels.Channel", on_delete=models.CASCADE)
    external_id = models.CharField(max_length=128)

    class Meta:
        verbose_name = "channel identity"
        verbose_name_plural = "channel identities"
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"], name="customer_identity_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.external_id} in channel {self.channel_id}"
