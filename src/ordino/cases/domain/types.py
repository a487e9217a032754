"""The built-in case types: one per source of exceptions (docs/cases.md, "Where cases come
from"), made on first use with these defaults; an operations manager changes their priority,
team, SLA, ladder and resolutions in the console (Cases → Case types)."""

from __future__ import annotations

from dataclasses import dataclass

from ordino.core.domain.errors import DomainError

RESOLUTIONS = (
    "retry_payment",  # send the declined authorization again (payments)
    "reroute",  # try to place the backordered units again (orders)
    "cancel_line",  # cancel the units the case is about (orders)
    "release_hold",  # release the hold the case is about (holds), with the agent's permission
    "cancel_order",  # cancel what is left of the order (orders)
    "contact_customer",  # e-mail the customer the agent's note
    "approve",  # a fraud review: the order is genuine, it goes on (closes the case)
    "reject",  # a fraud review: the order is fraud, cancelled whole (orders)
    "resolve",  # close with a note
    "void",  # close as not needing anything, with a note
)
CLOSING = ("resolve", "void")


@dataclass(frozen=True)
class TypeDefaults:
    name: str
    priority: str
    sla_hours: int
    resolutions: tuple[str, ...]
    threshold_hours: int = 0  # for sweeps: how old a cause must be to open a case


PAYMENT_DECLINED = "payment_declined"
PICKUP_UNCOLLECTED = "pickup_uncollected"
SOURCING_REVIEW = "sourcing_review"
REFUND_REFUSED = "refund_refused"
REJECTED_EVERYWHERE = "rejected_everywhere"
BACKORDER_OVERDUE = "backorder_overdue"
DEAD_EVENT = "dead_event"
INQUIRY = "inquiry"
ORDER_HOLD = "order_hold"
APPROVAL_REQUIRED = "approval_required"
FRAUD_REVIEW = "fraud_review"
REFUND_FAILED = "refund_failed"
REFUND_UNMATCHED = "refund_unmatched"
AUTHORIZATION_EXPIRING = "authorization_expiring"
ADDRESS_UNSHIPPABLE = "address_unshippable"
INTEGRATION_FAILURE = "integration_failure"
DELIVERY_FAILED = "delivery_failed"

BUILTIN: dict[str, TypeDefaults] = {
    PAYMENT_DECLINED: TypeDefaults(
        "Payment declined", "high", 8, ("retry_payment", "contact_customer", "resolve", "void"),
    ),
    PICKUP_UNCOLLECTED: TypeDefaults(
        "Pickup not collected", "normal", 24, ("contact_customer", "resolve", "void")
    ),
    SOURCING_REVIEW: TypeDefaults(
        "Sourcing sent the order to review", "high", 8, ("reroute", "cancel_line", "resolve",
                                                         "void"),
    ),
    REFUND_REFUSED: TypeDefaults(
        "Return refund refused", "high", 24, ("contact_customer", "resolve", "void")
    ),
    REJECTED_EVERYWHERE: TypeDefaults(
        "Order rejected at every location", "urgent", 4, ("reroute", "cancel_line",
                                                          "contact_customer", "resolve", "void"),
    ),
    BACKORDER_OVERDUE: TypeDefaults(
        "Backorder older than its limit", "normal", 24,
        ("reroute", "cancel_line", "contact_customer", "resolve", "void"), threshold_hours=72,
    ),
    FRAUD_REVIEW: TypeDefaults(
        "Fraud review", "high", 4, ("approve", "reject", "contact_customer", "void")
    ),
    DEAD_EVENT: TypeDefaults("Dead outbox event", "high", 4, ("resolve", "void")),
    ORDER_HOLD: TypeDefaults(
        "Order held by a rule", "normal", 8, ("release_hold", "cancel_order",
                                              "contact_customer", "resolve", "void"),
    ),
    APPROVAL_REQUIRED: TypeDefaults(
        "Approval required", "high", 8, ("release_hold", "cancel_order", "resolve", "void"),
    ),
    INQUIRY: TypeDefaults("Customer inquiry", "normal", 24, ("contact_customer", "resolve",
                                                            "void")),
    REFUND_FAILED: TypeDefaults(
        "Refund failed after the provider accepted it", "high", 24,
        ("contact_customer", "resolve", "void"),
    ),
    REFUND_UNMATCHED: TypeDefaults(
        "Refund made at the provider that Ordino could not book", "high", 24, ("resolve", "void")
    ),
    AUTHORIZATION_EXPIRING: TypeDefaults(
        "Authorization lapses before the goods ship", "high", 8,
        ("contact_customer", "resolve", "void"),
    ),
    ADDRESS_UNSHIPPABLE: TypeDefaults(
        "No location ships to the address", "high", 8,
        ("cancel_order", "contact_customer", "resolve", "void"),
    ),
    # a channel's order that could not be captured or applied (docs/connectors.md): fixed by
    # correcting the catalog or the mapping and replaying the message; replay resolves it
    INTEGRATION_FAILURE: TypeDefaults(
        "Channel order could not be imported", "high", 4, ("resolve", "void"),
    ),
    # a parcel the carrier says will not arrive: lost, undeliverable, returned to sender
    # (docs/shipping.md, "Tracking"); resolved by itself if the parcel is delivered after all
    DELIVERY_FAILED: TypeDefaults(
        "Parcel will not arrive", "high", 8, ("contact_customer", "resolve", "void"),
    ),
}  # fmt: skip


def resolutions_check(codes: object) -> tuple[str, ...]:
    """The resolutions a type may offer, each known, in the canonical order."""
    if not isinstance(codes, list | tuple) or any(c not in RESOLUTIONS for c in codes):
        raise DomainError(
            "invalid_resolutions",
            f"Resolutions are among {', '.join(RESOLUTIONS)}.",
            field="resolutions",
        )
    return tuple(c for c in RESOLUTIONS if c in codes)
