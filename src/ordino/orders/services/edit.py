"""Order edit: add lines, change quantities, remove lines, change the shipping address, before a
location has started on them. One edit is one change record, one new order version.

The plan (units to release, items to reserve, new line amounts, the money difference) is decided
by `orders.domain.edit`; releases reuse cancellation's pieces, reservations `reservation_place`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from django.db.models import F

from ordino.core.domain.bounds import amount_check
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import Conflict, DomainError, NotFound
from ordino.core.domain.scope import CHANGE, UNRESTRICTED, Scope
from ordino.core.transactions import use_case_atomic
from ordino.fulfillment.domain import status as fs
from ordino.fulfillment.placement import (
    fulfillment_orders_claim,
    holdings_cancel,
    placement_merge,
)
from ordino.fulfillment.selectors import order_fulfillment_lines
from ordino.holds.services import holds_active, order_work_unstop
from ordino.inventory.domain.ledger import AVAILABLE, COMMITTED, Movement
from ordino.inventory.ledger import (
    LedgerContext,
    balance_ids,
    balances_lock,
    movements_apply,
)
from ordino.orders.commands import EditOrder
from ordino.orders.domain.edit import (
    EDITABLE,
    EXCHANGEABLE,
    EditPlan,
    NewLine,
    edit_plan,
)
from ordino.orders.domain.edit_result import edit_apply, edit_status
from ordino.orders.hold_facts import order_holds_check
from ordino.orders.models import Order, OrderLine
from ordino.orders.ports import order_risk_refresh
from ordino.orders.reservation import Reservation, candidates_load, reservation_place
from ordino.orders.selectors import order_scope_q
from ordino.orders.services.cancel import lines_cut
from ordino.orders.services.edit_inputs import address_check, edit_states, skus_load
from ordino.orders.services.edit_record import edit_record
from ordino.orders.services.taxing import added_lines_taxed


def order_edit(*, command: EditOrder, actor: str, scope: Scope = UNRESTRICTED) -> Order:
    """Edit the lines not yet released to a location, and the shipping address (what the
    command's fields mean: `orders/commands.py`). Everything is validated before anything is
    written."""
    with use_case_atomic():
        order = _editable_load(command, scope)  # in the caller's scope first: else 404
        # a held order's waiting work may change: stopped again after (holds/services/holds.py)
        held = order_work_unstop(order_id=order.pk, actor=actor)
        line_rows = list(order.lines.all())
        fulfillment_lines = order_fulfillment_lines(order_id=order.pk)
        holdings = [h for h in fulfillment_lines if h.fulfillment_order.status in fs.ACTIVE]
        address = address_check(order, command.shipping_address, line_rows, fulfillment_lines)
        new_skus = skus_load([line.sku for line in command.add_lines])
        add_lines, add_rates = added_lines_taxed(
            order=order, lines=command.add_lines, address=command.shipping_address, now=utcnow()
        )
        command = replace(command, add_lines=add_lines)
        states = edit_states(line_rows, fulfillment_lines, holdings)
        plan = _plan(order, command, states, new_skus)
        if plan.empty and address is None:
            raise DomainError("nothing_to_edit", "The edit changes nothing.")
        amount_check(
            order.current_total + plan.amount_delta,
            field="add_lines" if plan.added else "change_lines",
        )

        now = utcnow()
        _fulfillment_claim(plan, line_rows, holdings, address is not None, now)
        lines_cut(order, line_rows, plan.cancellation)
        holdings_cancel(holdings, plan.cancellation.holding_cuts, now)
        _stock_release(order, plan, actor)

        reservation, written, placed = _reserve_and_write(
            order, plan, states, line_rows, new_skus, (add_lines, add_rates), actor=actor, now=now
        )
        previous_address = order.shipping_address
        _order_write(order, plan, edit_status(order.status, written.after), address, now)
        edit_record(
            order, plan, states, reservation, placed, previous_address=previous_address,
            address=address, reason=command.reason, actor=actor, now=now,
            exchange=command.exchange,
        )  # fmt: skip
        score = order_risk_refresh(order_id=order.pk, actor=actor, now=now)
        order_holds_check(order_id=order.pk, actor=actor, trigger="edit", now=now, risk_score=score)
        if held or holds_active():  # a hold placed or released moved the order's status
            order.refresh_from_db(fields=["status", "version", "updated_at"])
        return order


def _reserve_and_write(order, plan, states, line_rows, new_skus, add_lines, *, actor, now):
    """Reserve the new demand, write the lines (their buckets follow what was reserved), place
    into fulfillment orders, log and store the decision — one `reservation_place`. Returns the
    reservation (None when nothing is added), what was written and what went where."""

    def lines_write(reservation: Reservation | None) -> _Written:
        reserved: dict[int, int] = defaultdict(int)
        for pick in reservation.plan.picks if reservation is not None else ():
            reserved[pick.key] += pick.quantity
        after = edit_apply(states, plan, reserved)
        line_ids = _lines_write(order, line_rows, plan, after, new_skus, add_lines)
        return _Written(order.pk, line_ids, after)

    reservation, placed, written = None, [], None
    if plan.demands:  # reserve, write the lines, place into fulfillment orders, log, decide
        placement = reservation_place(
            demands=plan.demands,
            channel_id=order.channel_id,
            delivery_method=order.delivery_method,
            pickup_location_id=order.pickup_location_id,
            lines_write=lines_write,
            actor=actor,
            now=now,
            trigger="edit",
            order=order,
            place=_merge_place,
        )
        reservation, written, placed = (
            placement.reservation,
            placement.written,
            placement.placed,
        )
    else:
        written = lines_write(None)
    return reservation, written, placed


def _editable_load(command: EditOrder, scope: Scope) -> Order:
    order_id, expected_version = command.order_id, command.expected_version
    if command.exchange is not None and (
        command.change_lines or command.remove_lines or command.shipping_address
    ):
        raise ValueError("an exchange's edit only adds lines")
    order = (
        Order.objects.filter(order_scope_q(scope, CHANGE), pk=order_id)
        .select_related("channel")
        .first()
    )
    if order is None:  # outside the caller's scope too: as if it did not exist
        raise NotFound("order", order_id)
    if expected_version is not None and expected_version != order.version:
        raise Conflict(
            "order_changed",
            f"The order is at version {order.version}, not {expected_version}; "
            "reload it and retry.",
        )
    if command.exchange is not None and order.status not in EXCHANGEABLE:
        raise DomainError(
            "order_not_exchangeable",
            f"An order that is {order.status.replace('_', ' ')} cannot take an exchange.",
            status=409,
        )
    if command.exchange is None and order.status not in EDITABLE:
        raise DomainError(
            "order_not_editable",
            f"An order that is {order.status.replace('_', ' ')} cannot be edited.",
            status=409,
        )
    return order


def _plan(order: Order, command: EditOrder, states, new_skus) -> EditPlan:
    """What the edit does (orders/domain/edit.py decides)."""
    return edit_plan(
        currency=order.currency,
        lines=states,
        add=[
            NewLine(
                sku=line.sku,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount=line.discount,
                tax=line.tax,
                needs=new_skus[line.sku][2],
            )
            for line in command.add_lines
        ],
        change=command.change_lines,
        remove=command.remove_lines,
        inclusive=order.channel.prices_include_tax,
    )


def _fulfillment_claim(plan: EditPlan, line_rows, holdings, address_changed: bool, now) -> None:
    """Claim the open fulfillment orders the edit touches (all of them for a new address): one a
    location accepted meanwhile refuses the edit."""
    touched = {c.line_no for c in plan.cancellation.lines} | {i.line_no for i in plan.increases}
    touched_pks = {line.pk for line in line_rows if line.line_no in touched}
    guarded = {h.fulfillment_order_id for h in holdings if h.order_line_id in touched_pks}
    if address_changed:
        guarded |= {h.fulfillment_order_id for h in holdings}
    fulfillment_orders_claim(guarded, now)


def _order_write(order: Order, plan: EditPlan, target: str, address, now) -> None:
    """The order's new version: status, current total, address; `order` is refreshed."""
    updates = {
        "version": order.version + 1,
        "status": target,
        "current_total": order.current_total + plan.amount_delta,
        "updated_at": now,
    }
    if address is not None:
        updates["shipping_address"] = address
    if not Order.objects.filter(pk=order.pk, version=order.version).update(**updates):
        raise Conflict("order_changed", "The order changed meanwhile; retry.")
    order.refresh_from_db()


@dataclass(frozen=True)
class _Written:
    order_id: int
    line_ids: dict[int, int]  # by line number, the demands' key
    after: list  # the lines' states after the edit


def _stock_release(order: Order, plan: EditPlan, actor: str) -> None:
    """Give back what the cuts release. When the edit also reserves, the balance rows involved
    are locked first in primary-key order, so the two passes never deadlock with concurrent
    writers on PostgreSQL."""
    releases = plan.cancellation.releases
    if releases and plan.demands:
        snapshot = candidates_load(
            sku_ids={sku for d in plan.demands for sku in d.components},
            channel_id=order.channel_id,
            pickup_location_id=order.pickup_location_id,
        )
        rows = set(snapshot.balance_ids.values()) | set(
            balance_ids(releases.keys(), create=False).values()
        )
        balances_lock(rows)
    if releases:
        movements_apply(
            [
                Movement(loc, sku, COMMITTED, AVAILABLE, qty)
                for (loc, sku), qty in sorted(releases.items())
            ],
            context=LedgerContext(reason="release", actor=actor, reference=f"order:{order.pk}"),
        )


def _lines_write(order, line_rows, plan: EditPlan, after, new_skus, added_in) -> dict[int, int]:
    """Write increased and added lines; return every line's id by line number. `added_in`:
    the new lines as given, and the rate each was taxed at."""
    add_lines, add_rates = added_in
    by_no = {line.line_no: line for line in line_rows}
    after_by_no = {line.line_no: line for line in after}
    for inc in plan.increases:
        row, new = by_no[inc.line_no], after_by_no[inc.line_no]
        updated = OrderLine.objects.filter(
            pk=row.pk,
            quantity_ordered=row.quantity_ordered,
            quantity_cancelled=row.quantity_cancelled,
            quantity_shipped=0,
        ).update(
            quantity_ordered=new.ordered,
            quantity_allocated=F("quantity_allocated") + (new.allocated - row.quantity_allocated),
            quantity_backordered=F("quantity_backordered")
            + (new.backordered - row.quantity_backordered),
            line_discount=new.line_discount,
            tax=new.tax,
            total=new.total,
        )
        if not updated:
            raise Conflict("order_changed", "The order changed meanwhile; retry.")
    created = OrderLine.objects.bulk_create(
        [
            OrderLine(
                order=order,
                line_no=added.line_no,
                sku_id=new_skus[added.sku][0],
                sku_code=added.sku,
                name=line_in.name or new_skus[added.sku][1],
                external_id=line_in.external_id,
                components={str(sku): per for sku, per in added.needs.items()},
                quantity_ordered=added.quantity,
                quantity_allocated=after_by_no[added.line_no].allocated,
                quantity_backordered=after_by_no[added.line_no].backordered,
                unit_price=added.unit_price,
                line_discount=added.line_discount,
                order_discount=added.order_discount,
                tax=added.tax,
                tax_rate=rate.rate,
                tax_rate_name=rate.name,
                total=added.total,
            )
            for added, line_in, rate in zip(plan.added, add_lines, add_rates, strict=True)
        ]
    )
    return {line.line_no: line.pk for line in [*line_rows, *created]}


def _merge_place(*, order_id, order_line_ids, demands, plan, delivery_method, now) -> list[dict]:
    """Put the new reservations into fulfillment orders (fulfillment merges them into an open
    one at the same location). Returns what went where."""
    if not plan.picks:
        return []
    return placement_merge(
        order_id=order_id,
        order_line_ids=order_line_ids,
        demands=demands,
        picks=plan.picks,
        delivery_method=delivery_method,
        now=now,
    )
