from __future__ import annotations

from django.db import models
from django.db.models import F, Q


class FulfillmentOrder(models.Model):
    """The part of an order one location fulfils (docs/design.md §3). Its open lines hold the
    stock reservation: units committed at the location for the order."""

    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="fulfillment_orders"
    )
    location = models.ForeignKey("locations.Location", on_delete=models.PROTECT)
    status = models.CharField(max_length=20, db_index=True)
    delivery_method = models.CharField(max_length=16)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    pickup_deadline = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(
        null=True, blank=True, help_text="When the location last rejected items of it."
    )
    pickup_code = models.CharField(
        max_length=6,
        blank=True,
        default="",
        help_text="The code the customer shows at the counter; set when ready for pickup.",
    )

    class Meta:
        indexes = [models.Index(fields=["location", "status"], name="fo_location_status_idx")]

    def __str__(self) -> str:
        return f"FO {self.pk} of order {self.order_id} at {self.location_id}"


class FulfillmentLine(models.Model):
    """Items of one order line at one location: quantity = open + shipped + rejected + cancelled.

    `components` is the snapshot of what one item consumes ({sku id: units}), so a kit changed
    in the catalog later never changes what this order reserved.
    """

    fulfillment_order = models.ForeignKey(
        FulfillmentOrder, on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.ForeignKey(
        "orders.OrderLine", on_delete=models.CASCADE, related_name="fulfillment_lines"
    )
    components = models.JSONField()
    quantity = models.PositiveIntegerField()
    quantity_shipped = models.PositiveIntegerField(default=0)
    quantity_rejected = models.PositiveIntegerField(default=0)
    quantity_cancelled = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="fl_quantity_pos"),
            models.CheckConstraint(
                condition=Q(
                    quantity__gte=F("quantity_shipped")
                    + F("quantity_rejected")
                    + F("quantity_cancelled")
                ),
                name="fl_buckets_within_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"FO {self.fulfillment_order_id} line {self.order_line_id} × {self.quantity}"

    @property
    def open(self) -> int:
        closed = self.quantity_shipped + self.quantity_rejected + self.quantity_cancelled
        return self.quantity - closed


class Shipment(models.Model):
    fulfillment_order = models.ForeignKey(
        FulfillmentOrder, on_delete=models.CASCADE, related_name="shipments"
    )
    carrier = models.CharField(max_length=64)
    service = models.CharField(max_length=64, blank=True)
    tracking_numbers = models.JSONField(default=list)
    packages = models.JSONField(default=list)  # [{"weight_grams": 1200, "tracking_number": ...}]
    lines = models.JSONField(default=list)  # [{"line_no": 1, "quantity": 2}]
    shipped_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    actor = models.CharField(max_length=128, blank=True)

    def __str__(self) -> str:
        return f"{self.carrier} {', '.join(self.tracking_numbers)}"
