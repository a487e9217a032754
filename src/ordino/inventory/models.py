from __future__ import annotations

from django.db import models
from django.db.models import F, Q


class StockBalance(models.Model):
    """Named quantities of one SKU at one location: a projection of the ledger.

    available = on_hand - committed - safety_stock - unavailable (never stored; see domain).
    """

    location = models.ForeignKey("locations.Location", on_delete=models.PROTECT)
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT)
    # 64-bit: a balance grows by many receipts (ordino.core.domain.bounds.MAX_BALANCE bounds it)
    on_hand = models.BigIntegerField(default=0)
    committed = models.BigIntegerField(default=0)
    safety_stock = models.BigIntegerField(default=0)
    unavailable = models.BigIntegerField(default=0)
    incoming = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sku", "location"], name="stock_balance_unique"),
            # The database itself refuses an oversold or negative balance.
            models.CheckConstraint(condition=Q(committed__gte=0), name="stock_committed_nonneg"),
            models.CheckConstraint(condition=Q(unavailable__gte=0), name="stock_unavail_nonneg"),
            models.CheckConstraint(condition=Q(safety_stock__gte=0), name="stock_safety_nonneg"),
            models.CheckConstraint(condition=Q(incoming__gte=0), name="stock_incoming_nonneg"),
            models.CheckConstraint(
                condition=Q(on_hand__gte=F("committed") + F("unavailable")),
                name="stock_not_oversold",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku_id}@{self.location_id}"


class StockMovement(models.Model):
    """One append-only ledger row: `quantity` units of a SKU at a location moved between states.

    States: external (outside Ordino), available, committed, safety, unavailable, incoming.
    """

    location = models.ForeignKey("locations.Location", on_delete=models.PROTECT)
    # no index of its own: movement_sku_loc_idx (sku, location) serves every look-up by SKU, and
    # each index whose keys come in SKU order costs a random write per ledger row (a million in
    # a bulk feed; docs/performance.md, "Bulk stock feed")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, db_index=False)
    from_state = models.CharField(max_length=12)
    to_state = models.CharField(max_length=12)
    quantity = models.PositiveBigIntegerField()  # a count may take a 64-bit balance to 0
    reason = models.CharField(max_length=32)
    reference = models.CharField(max_length=128, blank=True)
    actor = models.CharField(max_length=128, blank=True)
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["sku", "location"], name="movement_sku_loc_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="movement_qty_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} {self.from_state}→{self.to_state} ({self.reason})"


class StockTransfer(models.Model):
    """Stock sent from one location to another: in transit until the destination receives it."""

    IN_TRANSIT = "in_transit"
    RECEIVED = "received"

    source = models.ForeignKey(
        "locations.Location", on_delete=models.PROTECT, related_name="transfers_out"
    )
    destination = models.ForeignKey(
        "locations.Location", on_delete=models.PROTECT, related_name="transfers_in"
    )
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField()
    quantity_received = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=12, default=IN_TRANSIT)
    reference = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField()
    received_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Transfer {self.pk}: {self.quantity} × SKU {self.sku_id}"


class StockFeed(models.Model):
    """One applied bulk stock feed: a file of absolute counts (see inventory/feed.py).

    A file refused for a malformed row leaves no trace; rows refused by stock rules (a count
    below committed + unavailable) are listed in `refusals` (the first 1,000) and counted."""

    APPLYING = "applying"
    APPLIED = "applied"

    file_name = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=12, default=APPLYING)
    rows = models.PositiveIntegerField(default=0)
    applied = models.PositiveIntegerField(default=0, help_text="Rows that changed on hand.")
    unchanged = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    refusals = models.JSONField(default=list, blank=True)
    actor = models.CharField(max_length=128, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"feed {self.pk} ({self.file_name or 'unnamed'})"
