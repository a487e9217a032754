"""Order use cases. `grep -rn "def order_"` lists everything one can do to an order."""

from ordino.orders.services.backorders import (
    backorders_cancel_overdue,
    backorders_fill,
    backorders_fill_for,
    backorders_fill_order,
)
from ordino.orders.services.cancel import order_cancel
from ordino.orders.services.capture import CaptureResult, order_capture
from ordino.orders.services.comment import order_comment_add
from ordino.orders.services.edit import order_edit
from ordino.orders.services.pickups import order_pickups_expire
from ordino.orders.services.progress import order_news_record
from ordino.orders.services.promise import order_promise_set
from ordino.orders.services.returns import ReturnedLine, order_lines_return

__all__ = [
    "CaptureResult",
    "ReturnedLine",
    "backorders_cancel_overdue",
    "backorders_fill",
    "backorders_fill_for",
    "backorders_fill_order",
    "order_cancel",
    "order_capture",
    "order_comment_add",
    "order_edit",
    "order_lines_return",
    "order_news_record",
    "order_pickups_expire",
    "order_promise_set",
]
