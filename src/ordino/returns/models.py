"""The returns' tables (owner: returns). A return's rows are never deleted: a declined or
cancelled return, and its reverse shipment, stay as they were (docs/returns.md)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q


class ReturnPolicy(models.Model):
    """May a SKU be returned, and for how many days after delivery (or shipment when there is no
    delivery date). Per channel, per SKU or both; the most specific wins; without one, the
    window is settings.ORDINO_RETURN_WINDOW_DAYS."""

    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sku = models.ForeignKey(
        "catalog.Sku", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    window_days = models.PositiveIntegerField()
    returnable = models.BooleanField(default=True)
    updated_at = models.DateTimeField()
    actor = models.CharField(max_length=128, blank=True)

    class Meta:
        verbose_name_plural = "return policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__isnull=False) | Q(sku__isnull=False),
                name="return_policy_names_something",
            ),
            models.UniqueConstraint(
                fields=["channel", "sku"], name="return_policy_channel_sku_unique"
            ),
            models.UniqueConstraint(
                fields=["channel"],
                condition=Q(sku__isnull=True),
                name="return_policy_channel_unique",
            ),
            models.UniqueConstraint(
                fields=["sku"], condition=Q(channel__isnull=True), name="return_policy_sku_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.window_days} days" if self.returnable else "not returnable"


class Return(models.Model):
    """A return of some of an order's shipped units (an RMA), to one receiving location."""

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveIntegerField(help_text="1, 2, ... within the order.")
    number = models.CharField(max_length=40, unique=True)
    state = models.CharField(max_length=16, db_index=True)
    reason = models.CharField(max_length=32)
    customer_note = models.CharField(max_length=500, blank=True)
    location = models.ForeignKey("locations.Location", on_delete=models.PROTECT, related_name="+")
    created_via = models.CharField(max_length=16)  # api | console | customer
    actor = models.CharField(max_length=128, blank=True)
    decline_reason = models.CharField(max_length=255, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField()
    approved_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The exchange this return is part of (None: a plain return): the order's change version,
    # the money decided (returns/domain/exchange.py) and the new lines (docs/returns.md).
    exchange = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "seq"], name="return_order_seq_unique")
        ]
        indexes = [models.Index(fields=["location", "state"], name="return_location_state_idx")]

    def __str__(self) -> str:
        return f"Return {self.number}"


class ReturnLine(models.Model):
    """Units of one order line in a return; each received unit has exactly one disposition, and
    the returned ones (all but missing) their refund decision: their share of the line's stored
    total and tax (returns/domain/dispositions.py)."""

    ret = models.ForeignKey(Return, on_delete=models.PROTECT, related_name="lines")
    order_line = models.ForeignKey("orders.OrderLine", on_delete=models.PROTECT, related_name="+")
    line_no = models.PositiveIntegerField()
    sku_code = models.CharField(max_length=64)
    quantity = models.PositiveIntegerField()
    reason = models.CharField(max_length=32)
    quantity_restocked = models.PositiveIntegerField(default=0)
    quantity_damaged = models.PositiveIntegerField(default=0)
    quantity_needs_processing = models.PositiveIntegerField(default=0)
    quantity_missing = models.PositiveIntegerField(default=0)
    refund_total = models.DecimalField(max_digits=18, decimal_places=3, default=0)
    refund_tax = models.DecimalField(max_digits=18, decimal_places=3, default=0)

    class Meta:
        ordering = ["ret_id", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["ret", "line_no"], name="return_line_no_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="return_line_qty_pos"),
            models.CheckConstraint(
                condition=Q(
                    quantity__gte=F("quantity_restocked")
                    + F("quantity_damaged")
                    + F("quantity_needs_processing")
                    + F("quantity_missing")
                ),
                name="return_line_dispositions_within",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_no} {self.sku_code} × {self.quantity}"

    @property
    def received(self) -> int:
        return (
            self.quantity_restocked
            + self.quantity_damaged
            + self.quantity_needs_processing
            + self.quantity_missing
        )

    @property
    def returned(self) -> int:
        return self.quantity_restocked + self.quantity_damaged + self.quantity_needs_processing


class ReturnShipment(models.Model):
    """The reverse fulfillment: the parcel on its way back to one receiving location, with its
    own state and an optional inbound tracking number. Never deleted."""

    ret = models.ForeignKey(Return, on_delete=models.PROTECT, related_name="shipments")
    location = models.ForeignKey("locations.Location", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        max_length=20
    )  # expected | partially_received | received | closed | cancelled
    carrier = models.CharField(max_length=64, blank=True)
    tracking_number = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField()
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ret", "location"], name="return_shipment_unique")
        ]

    def __str__(self) -> str:
        return f"Return shipment {self.pk} to {self.location_id}"
