"""Fulfillment use cases: what a location does with its part of an order."""

from ordino.fulfillment.services.pickup import (
    fulfillment_picked_up,
    fulfillment_pickup_expire,
    fulfillment_ready_for_pickup,
    pickups_overdue,
)
from ordino.fulfillment.services.progress import (
    fulfillment_accept,
    fulfillment_hold,
    fulfillment_pack,
    fulfillment_pick_start,
    fulfillment_release,
)
from ordino.fulfillment.services.reject import REJECT_REASONS, fulfillment_reject
from ordino.fulfillment.services.ship import PackageIn, fulfillment_deliver, fulfillment_ship

__all__ = [
    "REJECT_REASONS",
    "PackageIn",
    "fulfillment_accept",
    "fulfillment_deliver",
    "fulfillment_hold",
    "fulfillment_pack",
    "fulfillment_pick_start",
    "fulfillment_picked_up",
    "fulfillment_pickup_expire",
    "fulfillment_ready_for_pickup",
    "fulfillment_reject",
    "fulfillment_release",
    "fulfillment_ship",
    "pickups_overdue",
]
