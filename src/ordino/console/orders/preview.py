"""What an action would change, before the agent confirms it. The use cases have no dry run, so
the preview runs the very use case in a savepoint and rolls it back: the figures shown are the
ones the confirmed action will produce (unless the order changes meanwhile; the confirmed action
then carries the previewed version and is refused with "the order changed")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint
from ordino.orders.models import Order


class _RolledBack(Exception):
    pass


@dataclass(frozen=True)
class Preview:
    total_before: Decimal
    total_after: Decimal
    status_after: str
    refused: str = ""  # the use case's message when it refuses

    @property
    def difference(self) -> Decimal:
        return self.total_after - self.total_before


def preview(order: Order, run: Callable[[], Order]) -> Preview:
    """`run()` (a use case call) inside a savepoint that is always rolled back."""
    outcome: Preview | None = None
    try:
        with savepoint():
            after = run()
            outcome = Preview(order.current_total, after.current_total, after.status)
            raise _RolledBack
    except _RolledBack:
        pass
    except DomainError as refused:
        outcome = Preview(order.current_total, order.current_total, order.status, refused.message)
    assert outcome is not None
    return outcome
