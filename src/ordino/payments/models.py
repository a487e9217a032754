"""Payments' tables: an order's payments, their append-only transactions, refunds, and the
test provider's memory of the calls it answered (docs/payments.md)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Payment(models.Model):
    """One way an order is paid (a card, a bank transfer, the marketplace's collection).
    Only provider tokens, brand and last4 are kept: never a card number."""

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveIntegerField(help_text="1, 2, ... within the order.")
    method = models.CharField(max_length=24)
    provider = models.CharField(max_length=16)
    token = models.CharField(max_length=255, blank=True)
    reference = models.CharField(max_length=255, blank=True, help_text="The authorization's id.")
    brand = models.CharField(max_length=32, blank=True)
    last4 = models.CharField(max_length=4, blank=True)
    amount = models.DecimalField(max_digits=18, decimal_places=3)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20, db_index=True)
    authorization_expires_at = models.DateTimeField(null=True, blank=True)
    # A chargeback, as the provider's webhook told it (docs/payments-stripe.md, "Disputes"):
    # the money it is about is gone from the balance only once lost (a `chargeback` transaction).
    dispute_reference = models.CharField(max_length=255, blank=True)
    dispute_amount = models.DecimalField(max_digits=18, decimal_places=3, default=0)
    dispute_status = models.CharField(
        max_length=32, blank=True, help_text="Stripe's: needs_response, under_review, won, lost"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "sequence"], name="payment_order_seq_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_pos"),
        ]
        ordering = ["order_id", "sequence"]

    def __str__(self) -> str:
        return f"Payment {self.sequence} of order {self.order_id}: {self.method} {self.amount}"


class Refund(models.Model):
    """Money given back on an order: lines (units), shipping, goodwill; sent to the providers
    as one refund transaction per payment it is split over."""

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=18, decimal_places=3)
    currency = models.CharField(max_length=3)
    lines = models.JSONField(default=list, help_text="[{line_no, quantity, amount, tax}]")
    shipping = models.DecimalField(max_digits=18, decimal_places=3)
    goodwill = models.DecimalField(max_digits=18, decimal_places=3)
    reason = models.CharField(max_length=255)
    source = models.CharField(max_length=64, blank=True, help_text="e.g. return:12")
    to = models.CharField(
        max_length=16, default="original", help_text="original (the payments) or store_credit"
    )
    status = models.CharField(max_length=20, db_index=True)
    actor = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_pos")]
        ordering = ["order_id", "id"]

    def __str__(self) -> str:
        return f"Refund {self.pk} of order {self.order_id}: {self.amount}"


class PaymentTransaction(models.Model):
    """One call to the provider, append-only: its outcome is filled in once, when known."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="transactions")
    refund = models.ForeignKey(
        Refund, on_delete=models.PROTECT, null=True, blank=True, related_name="transactions"
    )
    kind = models.CharField(max_length=16)
    amount = models.DecimalField(max_digits=18, decimal_places=3)
    status = models.CharField(max_length=16, db_index=True)
    declined = models.BooleanField(default=False, help_text="The provider refused: a person acts.")
    idempotency_key = models.CharField(max_length=128, unique=True)
    reference = models.CharField(max_length=255, blank=True)
    error = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="ptxn_amount_nonneg")
        ]
        ordering = ["payment_id", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} ({self.status})"


class ScriptedProviderCall(models.Model):
    """The test provider's side: every call it answered, by idempotency key, so a repeat gets
    the first answer even from another process (never a second charge)."""

    idempotency_key = models.CharField(max_length=128, unique=True)
    kind = models.CharField(max_length=16)
    attempts = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=16, blank=True)
    reference = models.CharField(max_length=64, blank=True)
    amount = models.DecimalField(max_digits=18, decimal_places=3)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.kind} {self.idempotency_key}: {self.outcome}"


class StoreCreditAccount(models.Model):
    """A customer's store credit in one currency: `balance` spendable, `held` set aside by
    payments not captured yet. Both are the sums of the account's entries (never negative),
    kept here so a redemption locks one row (docs/payments.md, "Store credit")."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3)
    balance = models.DecimalField(max_digits=18, decimal_places=3, default=0)
    held = models.DecimalField(max_digits=18, decimal_places=3, default=0)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer", "currency"], name="credit_account_unique"),
            models.CheckConstraint(condition=Q(balance__gte=0), name="credit_balance_nonneg"),
            models.CheckConstraint(condition=Q(held__gte=0), name="credit_held_nonneg"),
        ]
        ordering = ["customer_id", "currency"]

    def __str__(self) -> str:
        return f"Store credit of customer {self.customer_id}: {self.balance} {self.currency}"


class StoreCreditEntry(models.Model):
    """One change of a store credit account, append-only: issued (a refund to store credit, a
    store-credit payment refunded), goodwill (staff, with a reason), adjusted (staff took some
    back), held / redeemed / released (a store-credit payment authorized, captured, voided),
    expired (what was left of an issued credit when its `expires_at` passed).
    `balance_after` and `held_after` let anyone replay the account (payments/domain/credit.py)."""

    account = models.ForeignKey(
        StoreCreditAccount, on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(max_length=16)
    amount = models.DecimalField(max_digits=18, decimal_places=3)
    balance_after = models.DecimalField(max_digits=18, decimal_places=3)
    held_after = models.DecimalField(max_digits=18, decimal_places=3)
    key = models.CharField(max_length=128, unique=True, help_text="What made it: once per key.")
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True)
    refund = models.ForeignKey(Refund, on_delete=models.PROTECT, null=True, blank=True)
    reason = models.CharField(max_length=255, blank=True)
    actor = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField()
    # An issued or goodwill entry's expiry (null: never): what is left of it then is written off
    # by an `expired` entry (the periodic job in services/credit_expiry.py).
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="credit_entry_amount_pos")
        ]
        ordering = ["account_id", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


class StripeWebhookEvent(models.Model):
    """A Stripe event received by the webhook, once per Stripe event id: a repeated delivery
    (Stripe delivers at least once) finds its row and changes nothing (docs/payments-stripe.md,
    "Webhooks"). `outcome` says what Ordino did with it."""

    event_id = models.CharField(max_length=255, unique=True)
    event_type = models.CharField(max_length=64)
    kind = models.CharField(max_length=32)
    reference = models.CharField(max_length=255, blank=True)
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    livemode = models.BooleanField(default=False)
    outcome = models.CharField(max_length=32)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(help_text="When Stripe created the event.")
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}: {self.outcome}"
