"""Shipping from a location (all or part of its lines) and the carrier's delivery."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.core.transactions import use_case_atomic
from ordino.fulfillment.domain import status as fs
from ordino.fulfillment.models import Shipment
from ordino.fulfillment.services.common import (
    Loaded,
    fo_load,
    fo_move,
    lines_close,
    order_tell_moved,
)
from ordino.inventory.domain.ledger import COMMITTED, EXTERNAL, Movement
from ordino.inventory.ledger import LedgerContext, movements_apply

SHIPPABLE = frozenset({fs.OPEN, fs.ACCEPTED, fs.PICKING, fs.PACKED})


@dataclass(frozen=True)
class PackageIn:
    weight_grams: int
    tracking_number: str = ""


def shippable_load(fo_id: int, scope: Scope, *, code: str, verb: str) -> Loaded:
    """The fulfillment order, if its items may still ship or be rejected (else 409 `code`)."""
    loaded = fo_load(fo_id=fo_id, scope=scope)
    if loaded.fo.status not in SHIPPABLE:
        raise DomainError(
            code,
            f"A fulfillment order that is {loaded.fo.status.replace('_', ' ')} cannot {verb}.",
            status=409,
        )
    return loaded


def wanted_quantities(
    loaded: Loaded, lines: list[tuple[int, int]] | None, *, field: str
) -> dict[int, int]:
    """fulfillment line id → items, from (line number, quantity) pairs; None = all open."""
    if lines is None:
        return {fl.pk: fl.open for fl in loaded.lines if fl.open}
    wanted: dict[int, int] = {}
    errors = []
    for i, (line_no, quantity) in enumerate(lines):
        fl = loaded.fl_by_line_no(line_no)
        if fl is None:
            errors.append(
                {
                    "field": f"{field}.{i}.line_no",
                    "code": "line_not_here",
                    "message": f"Line {line_no} is not part of this fulfillment order.",
                }
            )
        elif quantity <= 0 or quantity + wanted.get(fl.pk, 0) > fl.open:
            errors.append(
                {
                    "field": f"{field}.{i}.quantity",
                    "code": "quantity_exceeds_open",
                    "message": f"Line {line_no} has {fl.open} open item(s) here.",
                }
            )
        else:
            wanted[fl.pk] = wanted.get(fl.pk, 0) + quantity
    if errors:
        raise DomainError("invalid_lines", "Some lines cannot be taken as given.", errors=errors)
    if not wanted:
        raise DomainError("nothing_open", "Nothing is open on this fulfillment order.", status=409)
    return wanted


def fulfillment_ship(
    *,
    fo_id: int,
    carrier: str,
    service: str = "",
    tracking_numbers: list[str],
    packages: list[PackageIn] | None = None,
    lines: list[tuple[int, int]] | None = None,
    actor: str,
    scope: Scope = UNRESTRICTED,
) -> Shipment:
    """Ship some or all open items. The reserved units leave the location's stock (committed →
    external); the order's lines count them shipped; the order's status follows."""
    _carrier_check(carrier, tracking_numbers)
    with use_case_atomic():
        loaded = shippable_load(fo_id, scope, code="not_shippable", verb="ship")
        fo = loaded.fo
        wanted = wanted_quantities(loaded, lines, field="lines")
        now = utcnow()
        movements, shipped_lines = lines_close(loaded, wanted, shipped=True)
        movements_apply(
            [
                Movement(fo.location_id, sku, COMMITTED, EXTERNAL, qty)
                for sku, qty in sorted(movements.items())
            ],
            context=LedgerContext(reason="ship", actor=actor, reference=f"order:{fo.order_id}"),
        )
        shipment = Shipment.objects.create(
            fulfillment_order=fo,
            carrier=carrier.strip(),
            service=service.strip(),
            tracking_numbers=[t.strip() for t in tracking_numbers],
            packages=[asdict(p) for p in packages or []],
            lines=shipped_lines,
            shipped_at=now,
            actor=actor,
        )
        if not any(fl.open for fl in loaded.lines):
            # Ship-to-store: shipped to the store, which then makes it ready for pickup.
            fo_move(fo, fs.SHIPPED, now, shipped_at=now)
        order_tell_moved(
            loaded,
            moves={i: {"allocated": -items, "shipped": items} for i, items in wanted.items()},
            actor=actor,
            now=now,
            kind="shipped",
            message=f"Shipped {sum(wanted.values())} item(s) from {fo.location.code} with "
            f"{shipment.carrier} {', '.join(shipment.tracking_numbers)}.",
            data={
                "fulfillment_order_id": fo.pk,
                "shipment_id": shipment.pk,
                "carrier": shipment.carrier,
                "tracking_numbers": shipment.tracking_numbers,
                "lines": shipped_lines,
            },
        )
        return shipment


def _carrier_check(carrier: str, tracking_numbers: list[str]) -> None:
    if not carrier.strip():
        raise DomainError("carrier_required", "Name the carrier.", field="carrier")
    if not tracking_numbers or any(not t.strip() for t in tracking_numbers):
        raise DomainError(
            "tracking_required", "Give at least one tracking number.", field="tracking_numbers"
        )


def fulfillment_deliver(*, fo_id: int, actor: str, scope: Scope = UNRESTRICTED) -> None:
    """The carrier delivered everything this fulfillment order shipped."""
    with use_case_atomic():
        loaded = fo_load(fo_id=fo_id, scope=scope)
        now = utcnow()
        fo_move(loaded.fo, fs.DELIVERED, now, closed_at=now)
        Shipment.objects.filter(fulfillment_order=loaded.fo, delivered_at__isnull=True).update(
            delivered_at=now
        )
        order_tell_moved(
            loaded,
            moves=_delivered(loaded),
            actor=actor,
            now=now,
            kind="delivered",
            message=f"Delivered what {loaded.fo.location.code} shipped.",
            data={"fulfillment_order_id": loaded.fo.pk},
        )


def _delivered(loaded: Loaded) -> dict[int, dict[str, int]]:
    """Everything this location shipped is delivered."""
    return {fl.pk: {"delivered": fl.quantity_shipped} for fl in loaded.lines if fl.quantity_shipped}
