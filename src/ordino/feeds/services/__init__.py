"""Use cases of channel feeds (docs/feeds.md): settings, marking, pushing."""

from ordino.feeds.services.marking import (
    feed_items_mark,
    feed_marks_all,
    feed_marks_for_order,
    feed_marks_for_stock,
    feed_rules_check,
)
from ordino.feeds.services.pushing import (
    feed_full_request,
    feed_push_delta,
    feed_push_due,
    feed_push_full,
)
from ordino.feeds.services.settings import feed_settings_set

__all__ = [
    "feed_full_request",
    "feed_items_mark",
    "feed_marks_all",
    "feed_marks_for_order",
    "feed_marks_for_stock",
    "feed_push_delta",
    "feed_push_due",
    "feed_push_full",
    "feed_rules_check",
    "feed_settings_set",
]
