"""The returns' commands: plain typed values the API, the console and the customer page build
(never an API schema)."""

from __future__ import annotations

from dataclasses import dataclass

from ordino.orders.commands import LineItem

API, CONSOLE, CUSTOMER = "api", "console", "customer"
CREATED_VIA = (API, CONSOLE, CUSTOMER)


@dataclass(frozen=True)
class RequestLine:
    line_no: int
    quantity: int
    reason: str = ""  # the return's reason when blank


@dataclass(frozen=True)
class RequestReturn:
    order_id: int
    lines: tuple[RequestLine, ...]
    reason: str
    location_code: str
    actor: str
    created_via: str = API
    customer_note: str = ""


@dataclass(frozen=True)
class ReceiveLine:
    line_no: int
    restock: int = 0
    damaged: int = 0
    needs_processing: int = 0
    missing: int = 0


@dataclass(frozen=True)
class ReceiveReturn:
    return_id: int
    lines: tuple[ReceiveLine, ...]
    actor: str


@dataclass(frozen=True)
class CreateExchange:
    """Return some shipped units (`lines`, to `location_code`) for new lines (`new_lines`, added
    like an order edit's): one exchange (docs/returns.md, "Exchanges"). `refund_now`: when the
    merchant owes the difference, refund it at once rather than on receipt. `expected_version`:
    refuse (409 `order_changed`) unless the order is still at this version."""

    order_id: int
    lines: tuple[RequestLine, ...]
    new_lines: tuple[LineItem, ...]
    reason: str
    location_code: str
    actor: str
    refund_now: bool = False
    expected_version: int | None = None
    created_via: str = API
    note: str = ""
