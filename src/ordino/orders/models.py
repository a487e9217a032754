from __future__ import annotations

from django.db import models
from django.db.models import F, Q


class Order(models.Model):
    """The captured order. The channel's raw payload is kept as received, never rewritten."""

    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT)
    external_id = models.CharField(max_length=128)
    # What the channel sent, normalised (orders.domain.fingerprint): a repeat of the external id
    # with other contents is refused, not silently answered as a replay. Blank before 0.2.
    capture_fingerprint = models.CharField(max_length=64, blank=True, default="")
    status = models.CharField(max_length=24, db_index=True)
    version = models.PositiveIntegerField(default=1)
    currency = models.CharField(max_length=3)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    shipping_address = models.JSONField(null=True, blank=True)
    billing_address = models.JSONField(null=True, blank=True)
    delivery_method = models.CharField(max_length=16, default="ship")
    # the day the channel promised the customer delivery by (docs/orders.md, "Capture"): the
    # rate shop's promise unless a person gives another (docs/shipping.md)
    promised_delivery = models.DateField(null=True, blank=True)
    pickup_location = models.ForeignKey(
        "locations.Location", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    origin_location = models.ForeignKey(
        "locations.Location",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The till (store, location) that captured the order, if one did.",
    )
    subtotal = models.DecimalField(max_digits=18, decimal_places=3)
    discount_total = models.DecimalField(max_digits=18, decimal_places=3)
    tax_total = models.DecimalField(max_digits=18, decimal_places=3)
    shipping_price = models.DecimalField(max_digits=18, decimal_places=3)
    shipping_tax = models.DecimalField(max_digits=18, decimal_places=3)
    grand_total = models.DecimalField(max_digits=18, decimal_places=3)
    current_total = models.DecimalField(
        max_digits=18,
        decimal_places=3,
        help_text="Grand total after changes (cancellations, edits).",
    )
    tags = models.JSONField(default=list, blank=True)
    raw_payload = models.JSONField(null=True, blank=True)
    placed_at = models.DateTimeField()
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"], name="order_channel_ext_unique"
            )
        ]
        indexes = [models.Index(fields=["channel", "created_at"], name="order_channel_created_idx")]

    def __str__(self) -> str:
        return f"{self.pk} ({self.external_id})"


class OrderLine(models.Model):
    """One line and its quantity buckets.

    ordered = cancelled + backordered + allocated + shipped (delivered and returned are parts of
    shipped).
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField()
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT)
    sku_code = models.CharField(max_length=64)
    name = models.CharField(max_length=255, blank=True)
    external_id = models.CharField(max_length=128, blank=True)
    components = models.JSONField(
        default=dict, help_text="What one item consumes, {sku id: units}, as sold (kits)."
    )
    quantity_ordered = models.PositiveIntegerField()
    quantity_cancelled = models.PositiveIntegerField(default=0)
    quantity_backordered = models.PositiveIntegerField(default=0)
    quantity_allocated = models.PositiveIntegerField(default=0)
    quantity_shipped = models.PositiveIntegerField(default=0)
    quantity_delivered = models.PositiveIntegerField(default=0)
    quantity_returned = models.PositiveIntegerField(default=0)
    unit_price = models.DecimalField(max_digits=18, decimal_places=3)
    line_discount = models.DecimalField(max_digits=18, decimal_places=3)
    order_discount = models.DecimalField(
        max_digits=18, decimal_places=3, help_text="This line's share of order-level discounts."
    )
    tax = models.DecimalField(max_digits=18, decimal_places=3)
    # The rate Ordino taxed the line at (tax.TaxRate, as it was then): refunds and credit notes
    # use it with `tax`. Null: the channel sent the tax, or no rate applied (docs/tax.md).
    tax_rate = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    tax_rate_name = models.CharField(max_length=255, blank=True, default="", db_default="")
    total = models.DecimalField(max_digits=18, decimal_places=3)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "line_no"], name="order_line_no_unique"),
            models.CheckConstraint(condition=Q(quantity_ordered__gt=0), name="line_qty_pos"),
            models.CheckConstraint(
                condition=Q(
                    quantity_ordered=F("quantity_cancelled")
                    + F("quantity_backordered")
                    + F("quantity_allocated")
                    + F("quantity_shipped")
                ),
                name="line_buckets_add_up",
            ),
        ]
        ordering = ["order_id", "line_no"]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.line_no} {self.sku_code} × {self.quantity_ordered}"


class OrderChange(models.Model):
    """A change to an order after capture (cancel, edit, ...), with its money effect."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=24)
    version = models.PositiveIntegerField(help_text="The order version this change produced.")
    amount_delta = models.DecimalField(max_digits=18, decimal_places=3)
    data = models.JSONField(default=dict)
    reason = models.CharField(max_length=255, blank=True)
    actor = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.kind.replace('_', ' ').capitalize()}, version {self.version}"


class OrderTimelineEntry(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=40)
    message = models.CharField(max_length=500)
    actor = models.CharField(max_length=128, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["order_id", "id"]
        verbose_name_plural = "order timeline"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.message[:80]}"
