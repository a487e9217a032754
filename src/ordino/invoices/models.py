"""The invoices' tables: document series (gapless numbering), invoices and credit notes with
their lines, and the per-channel invoicing setting (docs/invoices.md)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

MONEY = {"max_digits": 18, "decimal_places": 3}


class DocumentSeries(models.Model):
    """One numbering sequence: `code` (INV, CN) and, for a series that restarts yearly, one row
    per year (`year` 0 for a series that never restarts). `next_number` is taken under the row's
    lock in the issuing transaction (services/numbering.py)."""

    code = models.CharField(max_length=16)
    year = models.PositiveIntegerField(default=0)
    prefix = models.CharField(max_length=16)
    per_year = models.BooleanField(default=True)
    width = models.PositiveSmallIntegerField(default=6)
    next_number = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "year"], name="doc_series_code_year_unique")
        ]
        verbose_name_plural = "document series"

    def __str__(self) -> str:
        return f"{self.code} {self.year or ''}".strip()


class Invoice(models.Model):
    """An invoice (the units one shipment or pickup carried) or a credit note (a refund)."""

    KIND_CHOICES = [("invoice", "Invoice"), ("credit_note", "Credit note")]
    STATUS_CHOICES = [("issued", "Issued"), ("sent", "Sent")]

    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    series = models.ForeignKey(DocumentSeries, on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveIntegerField()
    number = models.CharField(max_length=48, unique=True)
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="+")
    # What it is for: "shipment:<id>", "pickup:<fulfillment order id>", "refund:<refund id>",
    # "manual:<key>". Unique per order and kind: a subscriber delivered twice issues once.
    reference = models.CharField(max_length=80)
    reason = models.CharField(max_length=255, blank=True)
    source = models.CharField(max_length=64, blank=True)
    issued_at = models.DateTimeField(db_index=True)
    currency = models.CharField(max_length=3)
    shipping_net = models.DecimalField(**MONEY)
    shipping_tax = models.DecimalField(**MONEY)
    net_total = models.DecimalField(**MONEY)
    tax_total = models.DecimalField(**MONEY)
    total = models.DecimalField(**MONEY)
    seller = models.JSONField(default=dict)  # as it was at issue: the document never changes
    buyer = models.JSONField(default=dict)
    email = models.CharField(max_length=254, blank=True)
    status = models.CharField(max_length=8, choices=STATUS_CHOICES, default="issued")
    sent_at = models.DateTimeField(null=True, blank=True)
    actor = models.CharField(max_length=128, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["series", "sequence"], name="invoice_series_seq_unique"
            ),
            models.UniqueConstraint(
                fields=["order", "kind", "reference"], name="invoice_order_kind_ref_unique"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="invoice_total_not_negative"),
        ]
        indexes = [models.Index(fields=["order", "issued_at"], name="invoice_order_issued_idx")]

    def __str__(self) -> str:
        return self.number


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField()
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=255, blank=True)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(**MONEY)
    net = models.DecimalField(**MONEY)
    tax = models.DecimalField(**MONEY)
    tax_rate = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    # The units' share of the order line's discounts (line and order), as the prices state them:
    # `net` is after it; the journal books sales before it and the discount apart.
    discount = models.DecimalField(**MONEY, default=0, db_default=0)
    total = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["invoice_id", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "line_no"], name="invoice_line_no_unique")
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}/{self.line_no} {self.sku} × {self.quantity}"


class ChannelInvoicing(models.Model):
    """Per channel: does Ordino invoice its orders? A marketplace that invoices its buyers
    itself is set to skip. Kept here, not in channels' table (invoices owns the decision)."""

    channel = models.OneToOneField("channels.Channel", on_delete=models.CASCADE, related_name="+")
    skip = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.channel_id}: {'skip' if self.skip else 'invoice'}"
