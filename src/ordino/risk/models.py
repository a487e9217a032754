"""Fraud screening's tables: the settings (one row), each order's risk and its signals."""

from __future__ import annotations

from django.db import models


class RiskSetting(models.Model):
    """The settings in force (one row, pk 1): `values` as `domain/settings.py: settings_dump`
    writes them. Absent: the defaults."""

    values = models.JSONField()
    updated_at = models.DateTimeField()
    updated_by = models.CharField(max_length=128, blank=True)

    def __str__(self) -> str:
        return "Fraud screening settings"


class OrderRisk(models.Model):
    """An order's score, the keys velocity compares (indexed: counting the orders that share
    one is an index range) and the inputs the score saw."""

    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    review = models.BooleanField(help_text="At or over the review threshold when scored.")
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    address_key = models.CharField(max_length=200, blank=True)
    card_key = models.CharField(max_length=128, blank=True)
    inputs = models.JSONField(default=dict, help_text="What the score saw (docs/risk.md).")
    order_created_at = models.DateTimeField(help_text="When the order was captured.")
    scored_at = models.DateTimeField()
    scored_by = models.CharField(max_length=128, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="1, then +1 per re-score.")

    class Meta:
        indexes = [
            models.Index(fields=["email", "order_created_at"], name="risk_email_idx"),
            models.Index(fields=["phone", "order_created_at"], name="risk_phone_idx"),
            models.Index(fields=["address_key", "order_created_at"], name="risk_address_idx"),
            models.Index(fields=["card_key", "order_created_at"], name="risk_card_idx"),
        ]
        verbose_name_plural = "order risks"

    def __str__(self) -> str:
        return f"Order {self.order_id}: risk {self.score}"


class OrderRiskSignal(models.Model):
    """One signal's contribution to an order's score."""

    risk = models.ForeignKey(OrderRisk, on_delete=models.CASCADE, related_name="signals")
    code = models.CharField(max_length=40)
    weight = models.PositiveSmallIntegerField()
    strength = models.DecimalField(max_digits=5, decimal_places=4)
    points = models.PositiveSmallIntegerField()
    detail = models.CharField(max_length=300)

    class Meta:
        ordering = ["risk_id", "id"]

    def __str__(self) -> str:
        return f"{self.code}: {self.points}"
