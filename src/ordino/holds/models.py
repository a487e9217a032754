"""Hold and approval rules (versioned and audited like sourcing profiles) and the holds they,
or a system cause such as a declined payment, put on orders (docs/holds.md)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class HoldRule(models.Model):
    """A named rule: when its active version's condition matches an order, the order is held."""

    HOLD, APPROVAL = "hold", "approval"
    KINDS = [(HOLD, "Hold"), (APPROVAL, "Approval")]

    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=8, choices=KINDS, default=HOLD)
    reason = models.CharField(
        max_length=255, help_text="What the hold says, e.g. 'first order over 1,000 EUR'."
    )
    release_permission = models.CharField(
        max_length=64,
        blank=True,
        help_text="An approval's releasing permission (e.g. 'approve'); blank for a hold.",
    )
    created_by = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class HoldRuleVersion(models.Model):
    """One version of a rule's condition: a draft, active (the rule's one version in force) or
    retired."""

    DRAFT, ACTIVE, RETIRED = "draft", "active", "retired"
    STATUSES = [(DRAFT, "Draft"), (ACTIVE, "Active"), (RETIRED, "Retired")]

    rule = models.ForeignKey(HoldRule, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=8, choices=STATUSES, default=DRAFT)
    condition = models.JSONField(help_text="The condition language's dict form (docs/rules).")
    note = models.CharField(max_length=500, blank=True)
    created_by = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField()
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.CharField(max_length=128, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "number"], name="holds_version_unique"),
            models.UniqueConstraint(
                fields=["rule"], condition=Q(status="active"), name="holds_one_active"
            ),
        ]
        indexes = [models.Index(fields=["status"], name="holds_version_status_idx")]
        ordering = ["rule_id", "-number"]

    def __str__(self) -> str:
        return f"{self.rule.code} v{self.number} ({self.status})"


class HoldRuleAudit(models.Model):
    """Every change to a rule: who, when, what."""

    rule = models.ForeignKey(HoldRule, on_delete=models.CASCADE, related_name="audit")
    version_number = models.PositiveIntegerField(null=True, blank=True)
    action = models.CharField(max_length=32)
    actor = models.CharField(max_length=128, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.action} of rule {self.rule_id} by {self.actor or 'the system'}"


class OrderHold(models.Model):
    """One reason an order's work is stopped: a rule's version that matched it, or a system
    cause (`payment_declined`). Released by a person (manual), by its cause clearing (auto) or
    by its rule's retirement (rule_retired)."""

    MANUAL, AUTO, RULE_RETIRED = "manual", "auto", "rule_retired"
    HOWS = [(MANUAL, "Manual"), (AUTO, "Auto"), (RULE_RETIRED, "Rule retired")]

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="holds")
    rule = models.ForeignKey(
        HoldRule, on_delete=models.PROTECT, null=True, blank=True, related_name="holds"
    )
    version = models.ForeignKey(
        HoldRuleVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="holds"
    )
    cause = models.CharField(
        max_length=80, help_text="'rule:<code>' or a system cause such as 'payment_declined'."
    )
    kind = models.CharField(max_length=8, default=HoldRule.HOLD)
    reason = models.CharField(max_length=255)
    release_permission = models.CharField(max_length=64, blank=True)
    # The fulfillment orders this hold put on hold (released when the order's last hold goes).
    held_fulfillment_orders = models.JSONField(default=list, blank=True)
    placed_at = models.DateTimeField()
    placed_by = models.CharField(max_length=128, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.CharField(max_length=128, blank=True)
    released_how = models.CharField(max_length=16, choices=HOWS, blank=True)
    release_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            # One open hold per order and cause: evaluating twice holds once.
            models.UniqueConstraint(
                fields=["order", "cause"],
                condition=Q(released_at__isnull=True),
                name="holds_one_open_per_cause",
            ),
        ]
        indexes = [
            models.Index(fields=["order", "released_at"], name="holds_order_open_idx"),
            models.Index(fields=["rule", "placed_at"], name="holds_rule_placed_idx"),
        ]
        ordering = ["order_id", "id"]

    def __str__(self) -> str:
        return f"order {self.order_id}: {self.reason}"
