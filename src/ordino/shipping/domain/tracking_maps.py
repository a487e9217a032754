"""One tracking status vocabulary, and the tables that map carriers' and aggregators' statuses
onto it (docs/shipping.md, "Tracking").

Each status has a rank: a tracker's status is the highest-ranked status among its events, so it
never moves backwards whatever order the events arrive in (`tracking.py`). Each status says
whether a person should act (`action_required`). A status no table knows maps to `unknown`,
never to an error: carriers add statuses without telling anyone.

Sources (cited in docs/shipping.md): EasyPost's Tracker object (10 statuses), Shippo's tracking
statuses (6) with their substatus codes and Shippo's own `action_required` per substatus, and
karrio's `TrackerStatus` (11 in `karrio/server/core/serializers.py`, and `picked_up`, the 12th,
added by karrio's tracking-events design).
"""

from __future__ import annotations

from dataclasses import dataclass

UNKNOWN = "unknown"
PRE_TRANSIT = "pre_transit"
CANCELLED = "cancelled"
IN_TRANSIT = "in_transit"
EXCEPTION = "exception"
OUT_FOR_DELIVERY = "out_for_delivery"
AVAILABLE_FOR_PICKUP = "available_for_pickup"
FAILURE = "failure"
DELIVERED = "delivered"
RETURN_TO_SENDER = "return_to_sender"


@dataclass(frozen=True)
class TrackingStatus:
    code: str
    rank: int  # higher wins: a tracker's status is its events' highest
    action_required: bool
    label: str


# Why this order (docs/shipping.md, "Tracking: the order of statuses"):
# - cancelled sits low: a scan after a voided label proves the parcel moves after all;
# - exception (a held, damaged or misaddressed parcel) stands until the parcel is out for
#   delivery or further: a later in-transit scan does not clear it (that would need the scans'
#   order, which a late event breaks);
# - failure (lost, undeliverable) sits below delivered: a parcel found and delivered is delivered;
# - return_to_sender sits above delivered: a parcel going back was not the customer's, and a
#   "delivered" after it is the delivery back to the sender.
STATUSES: dict[str, TrackingStatus] = {
    s.code: s
    for s in (
        TrackingStatus(UNKNOWN, 0, False, "Unknown"),
        TrackingStatus(PRE_TRANSIT, 1, False, "Label created, not yet with the carrier"),
        TrackingStatus(CANCELLED, 2, False, "Cancelled"),
        TrackingStatus(IN_TRANSIT, 3, False, "In transit"),
        TrackingStatus(EXCEPTION, 4, True, "Exception: the carrier needs something"),
        TrackingStatus(OUT_FOR_DELIVERY, 5, False, "Out for delivery"),
        TrackingStatus(AVAILABLE_FOR_PICKUP, 6, False, "Available for pickup"),
        TrackingStatus(FAILURE, 7, True, "Delivery failed"),
        TrackingStatus(DELIVERED, 8, False, "Delivered"),
        TrackingStatus(RETURN_TO_SENDER, 9, True, "Returned to sender"),
    )
}
# Statuses that need a person in the inbox (docs/cases.md): the parcel will not arrive.
CASE_STATUSES = frozenset({FAILURE, RETURN_TO_SENDER})

# EasyPost's Tracker `status` (docs.easypost.com, "Trackers"): its 10 values.
EASYPOST: dict[str, str] = {
    "unknown": UNKNOWN,
    "pre_transit": PRE_TRANSIT,
    "in_transit": IN_TRANSIT,
    "out_for_delivery": OUT_FOR_DELIVERY,
    "delivered": DELIVERED,
    "available_for_pickup": AVAILABLE_FOR_PICKUP,
    "return_to_sender": RETURN_TO_SENDER,
    "failure": FAILURE,
    "cancelled": CANCELLED,
    "error": UNKNOWN,  # EasyPost could not read the carrier's tracking: nothing about the parcel
}

# Shippo's `tracking_status.status` (docs.goshippo.com, "Tracking"): its 6 values.
SHIPPO: dict[str, str] = {
    "PRE_TRANSIT": PRE_TRANSIT,
    "TRANSIT": IN_TRANSIT,
    "DELIVERED": DELIVERED,
    "RETURNED": RETURN_TO_SENDER,
    "FAILURE": FAILURE,
    "UNKNOWN": UNKNOWN,
}
# Shippo's substatus codes that say more than their status: (status, substatus) → ours. The
# TRANSIT substatuses Shippo flags `action_required` are exceptions; the others stay in transit.
SHIPPO_SUBSTATUS: dict[tuple[str, str], str] = {
    ("TRANSIT", "out_for_delivery"): OUT_FOR_DELIVERY,
    ("TRANSIT", "pickup_available"): AVAILABLE_FOR_PICKUP,
    ("TRANSIT", "address_issue"): EXCEPTION,
    ("TRANSIT", "contact_carrier"): EXCEPTION,
    ("TRANSIT", "location_inaccessible"): EXCEPTION,
    ("TRANSIT", "package_damaged"): EXCEPTION,
    ("TRANSIT", "package_held"): EXCEPTION,
    ("TRANSIT", "reschedule_delivery"): EXCEPTION,
}
# Shippo's substatus codes, each with Shippo's own `action_required`: documented, and any other
# code is kept as it came (its status decides).
SHIPPO_SUBSTATUS_CODES: dict[str, bool] = {
    "information_received": False,
    "address_issue": True,
    "contact_carrier": True,
    "delayed": False,
    "delivery_attempted": False,
    "delivery_rescheduled": False,
    "delivery_scheduled": False,
    "location_inaccessible": True,
    "notice_left": False,
    "out_for_delivery": False,
    "package_accepted": False,
    "package_arrived": False,
    "package_damaged": True,
    "package_departed": False,
    "package_forwarded": False,
    "package_held": True,
    "package_processed": False,
    "package_processing": False,
    "pickup_available": False,
    "reschedule_delivery": True,
    "delivered": False,
    "return_to_sender": True,
    "package_unclaimed": True,
    "package_undeliverable": True,
    "package_disposed": True,
    "package_lost": True,
    "other": False,
}

# karrio's `TrackerStatus` (karrioapi/karrio): its 12 values.
KARRIO: dict[str, str] = {
    "pending": PRE_TRANSIT,
    "picked_up": IN_TRANSIT,
    "unknown": UNKNOWN,
    "on_hold": EXCEPTION,
    "cancelled": CANCELLED,
    "delivered": DELIVERED,
    "in_transit": IN_TRANSIT,
    "delivery_delayed": IN_TRANSIT,  # as Shippo's `delayed`: late, nothing to do
    "out_for_delivery": OUT_FOR_DELIVERY,
    "ready_for_pickup": AVAILABLE_FOR_PICKUP,
    "delivery_failed": FAILURE,
    "return_to_sender": RETURN_TO_SENDER,
}

SOURCES = ("easypost", "shippo", "karrio")


def status_map(source: str, status: str, substatus: str = "", action_required: bool = False) -> str:
    """Our status for a carrier's (status, substatus); `unknown` for anything not in the tables.
    A transit event its carrier flags as needing action is an exception."""
    status = (status or "").strip()
    if source == "easypost":
        return EASYPOST.get(status.lower(), UNKNOWN)
    if source == "karrio":
        return KARRIO.get(status.lower(), UNKNOWN)
    if source == "shippo":
        upper = status.upper()
        mapped = SHIPPO_SUBSTATUS.get((upper, (substatus or "").strip().lower()))
        if mapped is None:
            mapped = SHIPPO.get(upper, UNKNOWN)
        if mapped == IN_TRANSIT and action_required:
            return EXCEPTION
        return mapped
    return UNKNOWN
