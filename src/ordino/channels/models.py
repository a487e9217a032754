from __future__ import annotations

from django.db import models

from ordino.core.domain.clock import utcnow


class Channel(models.Model):
    """A sales channel: web shop, marketplace, POS, phone, API or CSV import."""

    KINDS = [
        ("web", "Web shop"),
        ("marketplace", "Marketplace"),
        ("pos", "Store POS"),
        ("phone", "Call center"),
        ("api", "API"),
        ("csv", "CSV import"),
    ]

    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=12, choices=KINDS)
    currency = models.CharField(max_length=3)
    stock_buffer = models.PositiveIntegerField(
        default=0, help_text="Units per SKU held back from this channel's availability."
    )
    excluded_locations = models.ManyToManyField(
        "locations.Location", blank=True, related_name="excluded_from_channels"
    )
    prices_include_tax = models.BooleanField(
        default=False,
        db_default=False,  # rows written by hand (bench/preload.py) need no value
        help_text="Its prices include tax (the tax is the part included, docs/tax.md).",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=utcnow, editable=False)  # utcnow(): pinnable

    def __str__(self) -> str:
        return self.code
