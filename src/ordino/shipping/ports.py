"""What shipping needs from the modules above it (core/ports.py; plugged in wiring.py).

Shipping sits below orders: an order's timeline is written by orders."""

from __future__ import annotations

from ordino.core.ports import Port

# order_timeline_add(*, order_id, kind, message, actor, data, now) -> None
order_timeline_add = Port("order_timeline_add", "write one row of an order's timeline")

# order_contact(*, order_id) -> {"id": int, "email": str, "name": str, "number": str,
# "channel": str}: whom the customer's shipping e-mails go to, how they name the order, and the
# channel whose template applies (docs/shipping.md, "Customer e-mails")
order_contact = Port("order_contact", "an order's e-mail, customer name, number and channel")

# order_contact_by_number(*, number, channel, scope) -> the same, of the order with that number
# the scope reaches (NotFound naming `order_number` else): a preview with a real order
order_contact_by_number = Port("order_contact_by_number", "an order's contact, by its number")

# order_lines_paid(*, order_id) -> {"currency": str, "lines": {line_no: {"total": Decimal,
# "ordered": int, "unit_price": Decimal}}}: what the customer paid for each line, a customs
# declaration's values
# (docs/shipping.md, "Customs")
order_lines_paid = Port("order_lines_paid", "what the customer paid for each of an order's lines")
