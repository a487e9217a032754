"""Staff comments on an order: a timeline row of kind "comment" with its author. A comment is a
note between people, not a change of the order: no new version, no change record and no outbox
event (nothing outside Ordino acts on it)."""

from __future__ import annotations

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.domain.scope import READ, UNRESTRICTED, Scope
from ordino.core.transactions import use_case_atomic
from ordino.orders.models import Order, OrderTimelineEntry
from ordino.orders.selectors import order_scope_q

COMMENT = "comment"
COMMENT_MAX = 2000


def order_comment_add(
    *, order_id: int, text: str, actor: str, scope: Scope = UNRESTRICTED
) -> OrderTimelineEntry:
    """Add `text` (1..2000 characters once trimmed) to the order's timeline as `actor`'s comment.
    Whoever may read the order may comment on it (a store's staff on the orders it fulfils)."""
    text = text.strip()
    if not 1 <= len(text) <= COMMENT_MAX:
        raise DomainError(
            "invalid_comment",
            f"A comment has 1 to {COMMENT_MAX} characters.",
            field="text",
        )
    with use_case_atomic():
        if not Order.objects.filter(order_scope_q(scope, READ), pk=order_id).exists():
            raise NotFound("order", order_id)  # outside the caller's scope too
        return OrderTimelineEntry.objects.create(
            order_id=order_id,
            kind=COMMENT,
            message=text[:500],
            data={"text": text} if len(text) > 500 else {},
            actor=actor,
            created_at=utcnow(),
        )
