"""Sourcing configuration (profiles and their versions, zones, transit times, location
calendars) and the decisions taken with it. The rules themselves live in `domain/`."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q


class SourcingProfile(models.Model):
    """A named routing configuration. Capture uses the default profile's version in effect."""

    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    is_default = models.BooleanField(
        default=False, help_text="The profile order capture and re-routing use."
    )
    created_by = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="sourcing_one_default"
            )
        ]
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class SourcingProfileVersion(models.Model):
    """One version of a profile: a draft (edited, simulated), active (frozen; in effect from
    `effective_from`, or at once), or retired (superseded)."""

    DRAFT, ACTIVE, RETIRED = "draft", "active", "retired"
    STATUSES = [(DRAFT, "Draft"), (ACTIVE, "Active"), (RETIRED, "Retired")]

    profile = models.ForeignKey(SourcingProfile, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=8, choices=STATUSES, default=DRAFT)
    definition = models.JSONField(help_text="{'strategies': [...]} as profile_from_dict takes.")
    effective_from = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    # A new value whenever the version becomes active: capture caches parsed profiles by it.
    revision = models.UUIDField(default=uuid.uuid4, editable=False)
    created_by = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.CharField(max_length=128, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "number"], name="sourcing_version_unique"),
            models.UniqueConstraint(
                fields=["profile"], condition=Q(status="draft"), name="sourcing_one_draft"
            ),
        ]
        indexes = [models.Index(fields=["profile", "status"], name="sourcing_version_status_idx")]
        ordering = ["profile_id", "-number"]

    def __str__(self) -> str:
        return f"{self.profile.code} v{self.number} ({self.status})"


class ProfileAudit(models.Model):
    """Every change to a profile: who, when, what."""

    profile = models.ForeignKey(SourcingProfile, on_delete=models.CASCADE, related_name="audit")
    version = models.ForeignKey(
        SourcingProfileVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=32)
    actor = models.CharField(max_length=128, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]
        verbose_name = "profile audit entry"
        verbose_name_plural = "profile audit entries"

    def __str__(self) -> str:
        return f"{self.action} of profile {self.profile_id} by {self.actor or 'the system'}"


class DistanceZone(models.Model):
    """Maps a destination or a location to a zone: by postal prefix (longest wins), else by
    region, else by country (leave prefix and region blank)."""

    country = models.CharField(max_length=2)
    region = models.CharField(max_length=128, blank=True)
    postal_prefix = models.CharField(max_length=16, blank=True)
    zone = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["country", "region", "postal_prefix"], name="sourcing_zone_unique"
            )
        ]
        ordering = ["country", "postal_prefix", "region"]

    def __str__(self) -> str:
        return f"{self.country} {self.postal_prefix or self.region or '*'} → {self.zone}"


class ZoneDistance(models.Model):
    """Kilometres between two zones (either direction)."""

    zone_a = models.CharField(max_length=32)
    zone_b = models.CharField(max_length=32)
    km = models.DecimalField(max_digits=9, decimal_places=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["zone_a", "zone_b"], name="sourcing_zone_km_unique")
        ]
        ordering = ["zone_a", "zone_b"]

    def __str__(self) -> str:
        return f"{self.zone_a} ↔ {self.zone_b}: {self.km} km"


class TransitTime(models.Model):
    """Transit days of a carrier service between zones; '*' matches any zone."""

    service = models.CharField(max_length=64)
    from_zone = models.CharField(max_length=32, default="*")
    to_zone = models.CharField(max_length=32, default="*")
    days = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "from_zone", "to_zone"], name="sourcing_transit_unique"
            )
        ]
        ordering = ["service", "from_zone", "to_zone"]

    def __str__(self) -> str:
        return f"{self.service} {self.from_zone} → {self.to_zone}: {self.days} d"


class LocationSchedule(models.Model):
    """A location's calendar for sourcing and promises (opening hours, cut-off, closed dates,
    timezone) and its cost per shipment. No schedule: always open, cost unknown."""

    location = models.OneToOneField(
        "locations.Location", on_delete=models.CASCADE, related_name="sourcing_schedule"
    )
    calendar = models.JSONField(
        default=dict,
        blank=True,
        help_text='{"timezone": "Europe/Berlin", "hours": {"Mon": [["08:00", "18:00"]]}, '
        '"cutoff": "16:00", "closed": ["2025-12-25"]}; empty: always open.',
    )
    cost_per_shipment = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"schedule of {self.location_id}"


class SourcingDecision(models.Model):
    """One decision of the engine for an order, with its explanation, as it was taken."""

    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="sourcing_decisions"
    )
    profile_version = models.ForeignKey(
        SourcingProfileVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        help_text="Empty: the built-in default profile.",
    )
    profile_code = models.CharField(max_length=64)
    version_number = models.PositiveIntegerField()
    trigger = models.CharField(max_length=24, default="capture")
    outcome = models.CharField(max_length=12)
    strategy = models.CharField(max_length=128, blank=True)
    summary = models.CharField(max_length=500)
    explanation = models.JSONField(help_text="Decision.to_dict(): assignments and explanation.")
    cancel_after = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["order_id", "id"]

    def __str__(self) -> str:
        return f"order {self.order_id}: {self.outcome}"
