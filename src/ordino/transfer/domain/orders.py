"""An orders file's order (its rows) as orders' `CaptureOrder`, and a capture's refusal back
to the row and column that caused it (docs/transfer.md, "Orders")."""

from __future__ import annotations

from decimal import Decimal

from ordino.orders.commands import (
    CaptureOrder,
    CapturePayment,
    LineItem,
    OrderAddress,
    OrderCustomer,
)
from ordino.transfer.domain.mapping import Plan
from ordino.transfer.domain.rows import OrderRows

_ZERO = Decimal(0)
_ADDRESS = ("name", "company", "line1", "line2", "city", "region", "postal_code", "country",
            "phone")  # fmt: skip
# A capture's field (as orders' errors name it) → the import's field.
_HEADER_FIELDS = {
    "customer.email": "email",
    "customer.phone": "phone",
    "customer.first_name": "first_name",
    "customer.last_name": "last_name",
    "customer.external_id": "customer_external_id",
    **{f"shipping_address.{name}": f"ship_{name}" for name in _ADDRESS},
    "payments": "payment_method",
}
_LINE_FIELDS = {
    "sku": "sku",
    "quantity": "quantity",
    "unit_price": "unit_price",
    "discount": "line_discount",
    "tax": "line_tax",
    "name": "line_name",
    "external_id": "line_external_id",
}


def _text(values: dict, name: str) -> str:
    value = values.get(name)
    return "" if value is None else str(value)


def capture_command(group: OrderRows) -> CaptureOrder:
    head = group.head.values
    currency = _text(head, "currency").upper()
    address = None
    if any(head.get(f"ship_{name}") for name in _ADDRESS):
        address = OrderAddress(**{name: _text(head, f"ship_{name}") for name in _ADDRESS})
        address = OrderAddress(**{**vars(address), "country": address.country.upper()})
    customer = None
    if any(head.get(n) for n in ("email", "phone", "first_name", "last_name")):
        customer = OrderCustomer(
            external_id=_text(head, "customer_external_id"),
            email=_text(head, "email"),
            phone=_text(head, "phone"),
            first_name=_text(head, "first_name"),
            last_name=_text(head, "last_name"),
        )
    payments = ()
    if head.get("payment_method"):
        payments = (
            CapturePayment(
                method=_text(head, "payment_method"),
                provider=_text(head, "payment_provider") or "offline",
            ),
        )
    return CaptureOrder(
        channel=_text(head, "channel"),
        external_id=_text(head, "external_id"),
        currency=currency,
        lines=tuple(_line(row.values) for row in group.rows),
        placed_at=head.get("placed_at"),
        customer=customer,
        shipping_address=address,
        delivery_method=_text(head, "delivery_method") or "ship",
        pickup_location=head.get("pickup_location") or None,
        shipping_price=head.get("shipping_price") or _ZERO,
        shipping_tax=head.get("shipping_tax"),
        discount=head.get("discount") or _ZERO,
        total=head.get("total"),
        tags=tuple(head.get("tags") or ()),
        payments=payments,
    )


def _line(values: dict) -> LineItem:
    return LineItem(
        sku=_text(values, "sku"),
        quantity=int(values["quantity"]),
        unit_price=values["unit_price"],
        discount=values.get("line_discount") or _ZERO,
        tax=values.get("line_tax"),
        name=_text(values, "line_name"),
        external_id=_text(values, "line_external_id"),
    )


def error_row_column(group: OrderRows, plan: Plan, error: dict) -> tuple[int, str]:
    """Where a capture's field error points: `lines.2.sku` → the order's third row, its SKU
    column; an order's field → its first row."""
    where = str(error.get("field") or "")
    parts = where.split(".")
    if parts[0] == "lines" and len(parts) >= 2 and parts[1].isdigit():
        index = min(int(parts[1]), len(group.rows) - 1)
        name = _LINE_FIELDS.get(parts[2] if len(parts) > 2 else "sku", "sku")
        return group.rows[index].number, plan.column_of(name)
    name = _HEADER_FIELDS.get(where) or _HEADER_FIELDS.get(".".join(parts[:2])) or parts[0]
    return group.head.number, plan.column_of(name or "external_id")
