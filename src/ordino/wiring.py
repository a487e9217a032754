"""The composition root: "when X happens, also do Y". Every outbox subscriber (keyed by event
class), periodic job and port (core/ports.py) is wired here, so one file answers "what reacts to
this event?" and "who serves this port?". It only wires: the work is in the services it calls."""

from __future__ import annotations

import functools
from collections.abc import Callable

from ordino.accounts.idempotency import idempotency_purge
from ordino.accounts.people import token_owners
from ordino.accounts.roles import ACTIONS, may
from ordino.accounts.staff import console_principal
from ordino.cases import events as cases
from ordino.cases import services as case_services
from ordino.cases import subscribers as case_sources
from ordino.connectors import services as connector_services
from ordino.core import admin as core_admin
from ordino.core.task_worker import database_tasks_prune
from ordino.customers import ports as customers
from ordino.events import ports as events_ports
from ordino.events.relay import Subscriber
from ordino.events.types import Event
from ordino.feeds import ports as feeds_ports
from ordino.feeds import subscribers as feeds
from ordino.feeds.services import feed_push_due
from ordino.fulfillment import ports as fulfillment_ports
from ordino.holds import events as holds_events
from ordino.holds import ports as holds_ports
from ordino.holds import selectors as holds_selectors
from ordino.holds import services as holds_services
from ordino.integrations.services import integration_calls_prune_due
from ordino.inventory import events as inventory
from ordino.invoices import events as invoices
from ordino.invoices import subscribers as invoicing
from ordino.orders import events as orders
from ordino.orders import ports as orders_ports
from ordino.orders.events import OrderEvent
from ordino.orders.hold_facts import orders_recent_hold_facts
from ordino.orders.selectors import (
    order_contact,
    order_contact_by_number,
    order_customer_ids,
    order_lines_paid,
    order_visible,
)
from ordino.orders.services import (
    backorders_cancel_overdue,
    backorders_fill,
    backorders_fill_for,
    order_news_record,
    order_pickups_expire,
)
from ordino.orders.services.held import order_hold_status
from ordino.orders.services.promise import promise_on_captured
from ordino.orders.sourcing_inputs import order_as_sourced, orders_recent_as_sourced
from ordino.orders.timeline import order_timeline_add
from ordino.payments import events as payments
from ordino.payments import ports as payments_ports
from ordino.payments import selectors as payment_selectors
from ordino.payments import services as payment_services
from ordino.reports import ports as reports_ports
from ordino.returns import events as returns
from ordino.returns import selectors as return_selectors
from ordino.returns.services import return_refund_issue
from ordino.risk import events as risk
from ordino.risk import selectors as risk_selectors
from ordino.risk import services as risk_services
from ordino.shipping import events as shipping_events
from ordino.shipping import ports as shipping_ports
from ordino.shipping import tracking as tracking_services
from ordino.shipping import tracking_poll
from ordino.shipping.notices import services as notices
from ordino.sourcing import ports as sourcing_ports
from ordino.transfer import services as transfer_services
from ordino.webhooks import catalog as webhook_catalog
from ordino.webhooks import services as webhook_services


def backorders_on_stock(event: inventory.StockChanged) -> None:
    """Stock became available (received, counted up, released, ...): fill backorders."""
    codes = {b.sku for b in event.balances if b.available > 0}
    backorders_fill_for(sku_codes=codes, sku_ids=set(), actor="system:backorders")


def backorders_on_order_release(event: OrderEvent) -> None:
    """An order gave back reserved units (cancelled, edited down): fill backorders of them."""
    sku_ids = {r["sku_id"] for r in event.details.get("released", [])}
    backorders_fill_for(sku_codes=set(), sku_ids=sku_ids, actor="system:backorders")


def backorders_on_feed(event: inventory.StockFeedApplied) -> None:
    """A stock feed may have raised any SKU anywhere: every backorder tries again."""
    backorders_fill(sku_ids=None, actor="system:backorders")


def holds_on_order_cancelled(event: OrderEvent) -> None:
    """A cancelled order's open holds stop nothing any more: released (docs/holds.md)."""
    holds_services.order_holds_end(
        order_id=event.order_id, actor="system:holds", reason="order cancelled"
    )


def payments_on_order(event: OrderEvent) -> None:
    """An order was captured: authorize its payments (docs/payments.md)."""
    payment_services.payments_authorize(order_id=event.order_id)


def payments_on_progress(event: OrderEvent) -> None:
    """Units shipped, delivered or picked up: capture what they made due."""
    payment_services.payments_collect(order_id=event.order_id)


def payments_on_reduction(event: OrderEvent) -> None:
    """Cancelled or edited: release the authorized money no longer needed (then capture what
    a smaller order left due: the last shipment may now be the order's end), and give back
    what was captured beyond the smaller total."""
    payment_services.payments_release_excess(order_id=event.order_id)
    payment_services.payments_collect(order_id=event.order_id)
    payment_services.payments_refund_overpaid(order_id=event.order_id)


def payments_on_added(event: payments.PaymentAdded) -> None:
    payment_services.payments_authorize(order_id=event.order_id)


def payments_on_confirmed(event: payments.PaymentConfirmed) -> None:
    """An authorization confirmed later by the provider's webhook: capture what is due."""
    payment_services.payments_collect(order_id=event.order_id)


def payments_on_retry(event: payments.PaymentRetryRequested) -> None:
    payment_services.payment_retry_send(payment_id=event.payment_id)


def trackers_on_shipped(event: OrderEvent) -> None:
    """A location shipped: a tracker for each tracking number (docs/shipping.md, "Tracking")."""
    details = event.details
    tracking_services.trackers_create(
        shipment_id=details["shipment_id"],
        fulfillment_order_id=details["fulfillment_order_id"],
        carrier=details.get("carrier", ""),
        tracking_numbers=details.get("tracking_numbers", []),
    )


def fulfillment_on_tracking_delivered(event: shipping_events.TrackingDelivered) -> None:
    """A parcel was delivered: its fulfillment order is, once all its parcels are."""
    tracking_services.tracking_delivery_settle(fulfillment_order_id=event.fulfillment_order_id)


def notice_on_shipped(event: OrderEvent) -> None:
    """The customer's "shipped" e-mail, once per shipment (docs/shipping.md, "Customer e-mails")."""
    notices.shipment_notice_send(shipment_id=event.details["shipment_id"], kind="shipped")


def notice_on_out_for_delivery(event: shipping_events.TrackingOutForDelivery) -> None:
    """A parcel is out for delivery: the customer's e-mail, once per parcel."""
    notices.shipment_notice_send(
        shipment_id=event.shipment_id, kind="out_for_delivery",
        tracking_number=event.tracking_number, status=event.status,
    )  # fmt: skip


def notice_on_tracking_delivered(event: shipping_events.TrackingDelivered) -> None:
    """The "delivered" e-mail, once every parcel of the shipment is delivered."""
    notices.shipment_delivered_notice(shipment_id=event.shipment_id, status_text=event.description)


def notice_on_tracking_failed(event: shipping_events.TrackingFailed) -> None:
    """A parcel will not arrive (failure, returned to sender): the "exception" e-mail."""
    notices.shipment_notice_send(
        shipment_id=event.shipment_id, kind="exception", tracking_number=event.tracking_number,
        status=event.status, status_text=event.description,
    )  # fmt: skip


def refunds_on_recorded(event: payments.RefundRecorded) -> None:
    payment_services.refund_send(refund_id=event.refund_id)


SUBSCRIBERS: dict[type[Event], list[Subscriber]] = {
    # channel feeds mark the SKUs whose available-to-sell may have moved (docs/feeds.md)
    inventory.StockReceived: [backorders_on_stock, feeds.feeds_on_stock_changed],
    inventory.StockAdjusted: [backorders_on_stock, feeds.feeds_on_stock_changed],
    inventory.StockCounted: [backorders_on_stock, feeds.feeds_on_stock_changed],
    inventory.StockTransferReceived: [backorders_on_stock, feeds.feeds_on_stock_changed],
    inventory.StockReleased: [backorders_on_stock, feeds.feeds_on_stock_changed],
    inventory.SafetyStockSet: [backorders_on_stock, feeds.feeds_on_stock_changed],
    inventory.StockDamaged: [feeds.feeds_on_stock_changed],
    inventory.StockWrittenOff: [feeds.feeds_on_stock_changed],
    inventory.StockTransferSent: [feeds.feeds_on_stock_changed],
    inventory.StockFeedApplied: [backorders_on_feed, feeds.feeds_on_stock_feed],
    orders.OrderCancelled: [
        backorders_on_order_release,
        payments_on_reduction,
        case_sources.cases_on_order_progress,
        holds_on_order_cancelled,
        feeds.feeds_on_order_stock,
        # last: a failed push retries the rest; a channel's own cancellation is not sent back
        connector_services.cancellation_push_on_cancelled,
    ],
    orders.OrderLinesCancelled: [
        backorders_on_order_release,
        payments_on_reduction,
        feeds.feeds_on_order_stock,
        connector_services.cancellation_push_on_lines_cancelled,  # logs it as not pushed
    ],
    orders.OrderEdited: [
        backorders_on_order_release,
        payments_on_reduction,
        case_sources.case_on_edited,
        feeds.feeds_on_order_stock,
    ],
    orders.OrderCaptured: [
        payments_on_order,
        case_sources.case_on_captured,
        feeds.feeds_on_order_stock,
        promise_on_captured,  # the channel promised nothing: sourcing's promise (docs/orders.md)
    ],
    orders.OrderPickupExpired: [case_sources.case_on_pickup_expired, feeds.feeds_on_order_stock],
    orders.OrderRerouted: [case_sources.case_on_rerouted, feeds.feeds_on_order_stock],
    orders.OrderBackorderFilled: [case_sources.cases_on_order_progress, feeds.feeds_on_order_stock],
    # money first, then the documents (docs/payments.md, docs/invoices.md): a shipment captures
    # its units' money and is invoiced; a pickup likewise
    orders.OrderShipped: [
        payments_on_progress,
        invoicing.invoice_on_shipped,
        trackers_on_shipped,
        notice_on_shipped,  # after the trackers: the e-mail shows each parcel's status
        connector_services.fulfillment_push_on_shipped,  # last: a failed push retries the rest
    ],
    orders.OrderDelivered: [payments_on_progress],
    # a carrier's tracking (docs/shipping.md, "Tracking"): delivered parcels deliver their
    # fulfillment order; a parcel that will not arrive is a case, gone when it is delivered
    shipping_events.TrackingDelivered: [
        fulfillment_on_tracking_delivered,
        case_sources.case_on_tracking_delivered,
        notice_on_tracking_delivered,
    ],
    shipping_events.TrackingFailed: [
        case_sources.case_on_tracking_failed,
        notice_on_tracking_failed,
    ],
    # the customer's e-mails (docs/shipping.md, "Customer e-mails"), each sent at most once
    shipping_events.TrackingOutForDelivery: [notice_on_out_for_delivery],
    orders.OrderPickedUp: [payments_on_progress, invoicing.invoice_on_picked_up],
    # the exceptions a person handles (docs/cases.md, "Where cases come from")
    payments.PaymentDeclined: [case_sources.case_on_payment_declined],
    payments.PaymentAuthorized: [case_sources.case_on_payment_authorized],
    returns.ReturnRefundRefused: [case_sources.case_on_refund_refused],
    holds_events.OrderHeld: [case_sources.case_on_order_held],
    holds_events.OrderHoldReleased: [case_sources.case_on_hold_released],
    risk.OrderRiskFlagged: [case_sources.case_on_risk_flagged],
    risk.OrderRiskCleared: [case_sources.case_on_risk_cleared],
    payments.RefundReversed: [case_sources.case_on_refund_reversed],
    payments.PaymentRefundedOutside: [case_sources.case_on_refunded_outside],
    payments.PaymentAuthorizationExpiring: [case_sources.case_on_authorization_expiring],
    cases.CaseAssigned: [case_sources.case_mail_on_assigned],
    cases.CaseEscalated: [case_sources.case_mail_on_escalated],
    payments.PaymentAdded: [payments_on_added],
    payments.PaymentRetryRequested: [payments_on_retry],
    payments.PaymentConfirmed: [payments_on_confirmed],
    # a refund is sent to its provider, and credited on a credit note once it gave the money
    # back: a declined refund gave nothing, and its units may be refunded again
    payments.RefundRecorded: [refunds_on_recorded],
    payments.RefundSucceeded: [invoicing.credit_note_on_refund],
    # a receipt's refund decision is given back through payments (docs/returns.md, "Refunds");
    # an exchange's units are credited on a credit note (docs/invoices.md, "Exchanges")
    returns.ReturnReceived: [return_refund_issue, invoicing.credit_note_on_exchange_receipt],
    invoices.InvoiceIssued: [invoicing.invoice_email_on_issued],
    invoices.CreditNoteIssued: [invoicing.invoice_email_on_issued],
}

# Outbound webhooks (docs/webhooks.md): every catalog event an endpoint may subscribe to makes
# its messages first, so another subscriber's failure never holds a merchant's webhook back
# (the subscriber is idempotent: the relay may hand the event out again).
for _event_class in webhook_catalog.event_classes():
    SUBSCRIBERS.setdefault(_event_class, []).insert(0, webhook_services.webhook_messages_create)

# The worker's periodic jobs: (every N seconds, what, the use case).
PERIODIC: tuple[tuple[int, str, Callable[[], int]], ...] = (
    (60, "expire uncollected pickups", order_pickups_expire),
    (300, "cancel backorders past their auto-cancel date", backorders_cancel_overdue),
    (3600, "purge old Idempotency-Keys", idempotency_purge),
    (60, "retry payment calls that failed or got no answer", payment_services.payments_retry_due),
    (
        3600,
        "re-authorize payments whose authorization lapses within a day",
        payment_services.authorizations_renew,
    ),
    (60, "escalate cases past their ladder's next level", case_services.cases_escalate_due),
    (300, "open cases for old backorders and dead events", case_services.cases_sweep),
    (3600, "write off store credit whose expiry passed", payment_services.credit_expire_due),
    (3600, "delete finished task rows older than a week", database_tasks_prune),
    # each channel's own min_interval decides its pace; this only bounds the lag (docs/feeds.md)
    (5, "push available-to-sell to channel feeds", feed_push_due),
    # webhooks_due: what the task queue did not send (docs/webhooks.md, "Delivery")
    (5, "webhooks_due: send due webhook messages", webhook_services.messages_send_due),
    (
        86400,
        "delete integration log calls past ORDINO_INTEGRATION_LOG_DAYS",
        integration_calls_prune_due,
    ),
    (60, "poll channel connections whose interval passed", connector_services.connections_poll_due),
    # parcels whose carrier's webhook said nothing for hours (docs/shipping.md, "Polling")
    (600, "poll carriers for parcels without news", tracking_poll.trackers_poll_due),
    (
        600,
        "record shipping e-mails whose sending was interrupted",
        notices.shipping_notices_interrupted,
    ),
    (
        60,
        "process channel messages stored but never processed",
        connector_services.messages_process_pending,
    ),
    # background imports whose task was lost or whose worker died (docs/transfer.md)
    (
        60,
        "background imports: run again, hand over again, or fail",
        transfer_services.import_jobs_sweep,
    ),
)


def ports_plug() -> None:
    """Plug every port (core/ports.py) with the function of the module above that serves it."""
    customers.customers_of_orders_reached.plug(order_customer_ids)
    events_ports.outbox_subscribers.plug(lambda: SUBSCRIBERS)
    core_admin.console_scope.plug(lambda request: console_principal(request).scope)
    core_admin.action_permitted.plug(may)
    holds_ports.action_permissions.plug(lambda: tuple(ACTIONS))
    fulfillment_ports.order_tell.plug(order_news_record)
    sourcing_ports.stored_order.plug(order_as_sourced)
    sourcing_ports.recent_orders.plug(orders_recent_as_sourced)
    orders_ports.payments_record.plug(payment_services.payments_record)
    orders_ports.payment_methods_of.plug(payment_selectors.payment_methods_of)
    orders_ports.order_risk_assess.plug(risk_services.order_risk_assess)
    orders_ports.order_risk_refresh.plug(risk_services.order_risk_refresh)
    orders_ports.risk_scores_of.plug(risk_selectors.risk_scores_of)
    holds_ports.order_timeline_add.plug(order_timeline_add)
    shipping_ports.order_timeline_add.plug(order_timeline_add)
    shipping_ports.order_contact.plug(order_contact)
    shipping_ports.order_contact_by_number.plug(order_contact_by_number)
    shipping_ports.order_lines_paid.plug(order_lines_paid)
    payments_ports.exchange_units_pending.plug(
        functools.partial(return_selectors.pending_units, exchanges_only=True)
    )
    holds_ports.order_visible.plug(order_visible)
    holds_ports.order_hold_status.plug(order_hold_status)
    fulfillment_ports.order_held_because.plug(holds_selectors.order_held_because)
    holds_ports.orders_recent_facts.plug(orders_recent_hold_facts)
    reports_ports.token_owners.plug(token_owners)
    # a channel with a Shopify or Woo connection gets its feed's levels (docs/feeds.md)
    if connector_services.stock_pusher_for not in feeds_ports.pusher_resolvers:
        feeds_ports.pusher_resolvers.append(connector_services.stock_pusher_for)
