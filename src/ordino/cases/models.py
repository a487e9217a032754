"""Cases' tables: teams with their business calendar, case types with their SLA and ladder,
cases, and each case's append-only activity (docs/cases.md)."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q

from ordino.cases.domain.status import ACTIVE, NEW, PRIORITIES, STATUSES


class Team(models.Model):
    """People who work cases together, on one business calendar."""

    name = models.CharField(max_length=80, unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text="Whom the ladder's 'manager' level names.",
    )  # fmt: skip
    timezone = models.CharField(max_length=64, default="UTC", help_text="IANA, e.g. Europe/Berlin")
    weekdays = models.CharField(
        max_length=7, default="01234", help_text="Working weekdays: 0 Monday ... 6 Sunday."
    )
    opens = models.TimeField(default=time(9, 0))
    closes = models.TimeField(default=time(17, 0))
    holiday_country = models.CharField(
        max_length=2, blank=True, help_text="Public holidays of this country (ISO code)."
    )
    holiday_subdivision = models.CharField(max_length=10, blank=True)
    extra_holidays = models.JSONField(default=list, blank=True, help_text="Own dates, ISO.")

    def __str__(self) -> str:
        return self.name


class CaseType(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    priority = models.CharField(
        max_length=10, default="normal", choices=[(p, p) for p in PRIORITIES]
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    sla_hours = models.PositiveIntegerField(default=24, help_text="Business hours to resolve.")
    ladder = models.JSONField(default=list, blank=True, help_text="Up to 4 escalation levels.")
    resolutions = models.JSONField(default=list, blank=True)
    threshold_hours = models.PositiveIntegerField(
        default=0, help_text="For swept causes (backorders): how old before a case opens."
    )

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    type = models.ForeignKey(CaseType, on_delete=models.PROTECT, related_name="cases")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    priority = models.CharField(max_length=10, choices=[(p, p) for p in PRIORITIES])
    status = models.CharField(
        max_length=10, default=NEW, choices=[(s, s) for s in STATUSES], db_index=True
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    owner_team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payment = models.ForeignKey(
        "payments.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fulfillment_order = models.ForeignKey(
        "fulfillment.FulfillmentOrder", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    # The same exception never opens two cases: one active case per key (the partial index).
    dedupe_key = models.CharField(max_length=120, null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # The SLA clock (docs/cases.md): runs on the team's calendar, stops while waiting.
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    waiting_since = models.DateTimeField(null=True, blank=True)
    waited_seconds = models.PositiveIntegerField(default=0, help_text="Business seconds waited.")
    escalation_level = models.PositiveSmallIntegerField(default=0)
    next_escalation_at = models.DateTimeField(null=True, blank=True, db_index=True)
    resolution = models.CharField(max_length=30, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=Q(status__in=ACTIVE, dedupe_key__isnull=False),
                name="case_one_active_per_cause",
            )
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="case_inbox_idx")]

    def __str__(self) -> str:
        return f"Case {self.pk}"


class CaseActivity(models.Model):
    """Append-only: what happened to a case, by whom."""

    KINDS = ("created", "assigned", "status", "comment", "escalated", "resolved", "contacted")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=12, choices=[(k, k) for k in KINDS])
    actor = models.CharField(max_length=160)
    message = models.CharField(max_length=2000)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "case activities"


class RoutingRule(models.Model):
    """Where a new case about an order goes: when `condition` (over the order's facts, holds'
    language) matches and the case is of one of `case_types` (none: any), the case goes to
    `team` and/or takes `priority`. Tried by `position`; the first match wins. Every change is
    in the audit log (`case_routing_rule`; docs/cases.md, "Routing")."""

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=120)
    position = models.PositiveIntegerField(default=0, db_index=True)
    condition = models.JSONField(help_text="The condition language's dict form, canonical.")
    case_types = models.JSONField(default=list, blank=True, help_text="Type codes; none: all.")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT)
    priority = models.CharField(max_length=10, blank=True, choices=[(p, p) for p in PRIORITIES])
    created_by = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.code
