"""What holds need from the modules above them (core/ports.py; plugged in wiring.py).

Holds sit below orders: the order's timeline, whether a caller sees an order, and the facts of
stored orders (for previews) are answered by orders."""

from __future__ import annotations

from ordino.core.ports import Port

# order_timeline_add(*, order_id, kind, message, actor, data, now) -> None
order_timeline_add = Port("order_timeline_add", "write one row of an order's timeline")

# order_visible(*, order_id: int, scope: Scope) -> bool
order_visible = Port("order_visible", "whether the caller's scope reaches the order")

# orders_recent_facts(*, limit: int) -> list[tuple[int, str, dict]]: (id, number, HOLD_FACTS values)
orders_recent_facts = Port("orders_recent_facts", "the newest orders as holds' conditions see them")

# order_hold_status(*, order_id: int, held: bool, now) -> str: on hold while a hold is open
order_hold_status = Port("order_hold_status", "put an order on hold, or take it off")

# action_permissions() -> Collection[str]: the action permissions (accounts/roles.py ACTIONS),
# one of which an approval rule names as its release_permission
action_permissions = Port("action_permissions", "the action permissions a rule may name")
