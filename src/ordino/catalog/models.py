from __future__ import annotations

from django.db import models

from ordino.core.domain.clock import utcnow


class Product(models.Model):
    """What a customer sees; sold as one or more SKUs."""

    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    tags = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=utcnow, editable=False)  # utcnow(): pinnable

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Sku(models.Model):
    """A stock-keeping unit. A kit has no stock of its own: it is made of components."""

    SIMPLE = "simple"
    KIT = "kit"
    KINDS = [(SIMPLE, "Simple"), (KIT, "Kit / bundle")]

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="skus")
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=8, choices=KINDS, default=SIMPLE)
    barcode = models.CharField(max_length=64, blank=True, db_index=True)
    weight_grams = models.PositiveIntegerField(null=True, blank=True)
    length_mm = models.PositiveIntegerField(null=True, blank=True)
    width_mm = models.PositiveIntegerField(null=True, blank=True)
    height_mm = models.PositiveIntegerField(null=True, blank=True)
    tags = models.JSONField(default=list, blank=True)
    # Which tax rates apply to it (tax.TaxRate.tax_class; docs/tax.md, "Classes"); a database
    # default too, for rows written by hand (bench/preload.py).
    tax_class = models.CharField(max_length=64, default="standard", db_default="standard")
    # What an international parcel's customs declaration says of it (docs/catalog-and-customers.md,
    # "Customs data"; checked by domain/customs.py); blank: not given yet.
    hs_code = models.CharField("HS tariff number", max_length=10, blank=True, default="",
                               db_default="")  # fmt: skip
    origin_country = models.CharField(max_length=2, blank=True, default="", db_default="")
    customs_description = models.CharField(max_length=100, blank=True, default="", db_default="")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=utcnow, editable=False)  # utcnow(): pinnable

    class Meta:
        verbose_name = "SKU"

    def __str__(self) -> str:
        return self.code


class KitComponent(models.Model):
    kit = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="components")
    component = models.ForeignKey(Sku, on_delete=models.PROTECT, related_name="used_in_kits")
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kit", "component"], name="kit_component_unique"),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="kit_component_qty_pos"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kit.code} ← {self.quantity} × {self.component.code}"
