"""Order use cases. `grep -rn "def order_"` lists everything one can do to an order."""

from ordino.orders.services.cancel import order_cancel
from ordino.orders.services.capture import CaptureResult, order_capture
from ordino.orders.services.edit import order_edit

__all__ = ["CaptureResult", "order_cancel", "order_capture", "order_edit"]
