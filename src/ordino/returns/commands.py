"""The returns' commands: plain typed values the API, the console and the customer page build
(never an API schema)."""

from __future__ import annotations

from dataclasses import dataclass

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
