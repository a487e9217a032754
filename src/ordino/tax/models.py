from __future__ import annotations

from django.db import models
from django.db.models import Q

from ordino.core.domain.clock import utcnow


class TaxRate(models.Model):
    """A tax rate for a class of goods at a destination, for a period (docs/tax.md)."""

    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2, e.g. DE.")
    region = models.CharField(
        max_length=128, blank=True, help_text="Blank: the whole country; else a region's code."
    )
    tax_class = models.CharField(max_length=64, default="standard")
    rate = models.DecimalField(
        max_digits=6, decimal_places=3, help_text="A percentage: 19.000 is 19 %."
    )
    name = models.CharField(max_length=255, help_text='As invoices say it: "DE VAT standard".')
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="The last day; blank: open.")
    created_at = models.DateTimeField(default=utcnow, editable=False)  # utcnow(): pinnable

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["country", "region", "tax_class", "valid_from"], name="tax_rate_unique"
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=100), name="tax_rate_percent"
            ),
        ]
        indexes = [models.Index(fields=["country", "tax_class"], name="tax_rate_country_idx")]
        ordering = ["country", "region", "tax_class", "valid_from"]

    def __str__(self) -> str:
        return self.name
