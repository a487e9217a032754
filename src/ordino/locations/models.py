from __future__ import annotations

from django.db import models

from ordino.core.domain.clock import utcnow


class LocationGroup(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255)

    def __str__(self) -> str:
        return self.code


class Location(models.Model):
    """A place that holds stock: a warehouse, a store, or a dropship supplier."""

    WAREHOUSE = "warehouse"
    STORE = "store"
    DROPSHIP = "dropship"
    KINDS = [(WAREHOUSE, "Warehouse"), (STORE, "Store"), (DROPSHIP, "Dropship supplier")]

    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=12, choices=KINDS, default=WAREHOUSE)
    address_line1 = models.CharField(max_length=255, blank=True)
    address_line2 = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=128, blank=True)
    region = models.CharField(max_length=128, blank=True)
    postal_code = models.CharField(max_length=32, blank=True)
    country = models.CharField(max_length=2, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    ships = models.BooleanField(default=True, help_text="Can ship orders to customers.")
    pickup = models.BooleanField(default=False, help_text="Customers can collect orders here.")
    priority = models.PositiveIntegerField(default=100, help_text="Lower goes first.")
    daily_capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Orders per day; empty means unlimited."
    )
    groups = models.ManyToManyField(LocationGroup, blank=True, related_name="locations")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=utcnow, editable=False)  # utcnow(): pinnable

    class Meta:
        ordering = ["priority", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
