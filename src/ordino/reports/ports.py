"""What reports need from accounts, plugged in `wiring.py` (core/ports.py).

Reports and accounts are siblings (neither imports the other); the touches report asks accounts
which API tokens a person owns, since a person calling through their own token is a person, not
an integration (docs/reports.md, "Touches per order")."""

from __future__ import annotations

from collections.abc import Callable

from ordino.core.ports import Port

token_owners: Port[Callable[[], dict[str, str]]] = Port(
    "reports.token_owners",
    "() -> {'token:<name>': the owner's username} of the API tokens a person owns",
)
