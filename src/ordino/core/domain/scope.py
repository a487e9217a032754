"""Object scope: what a principal limited to some channels and/or locations may see and do.

The one statement of the rule (docs/security.md, "Principals and their scopes"). Selectors and
services apply it as query filters that mirror these predicates (`order_scope_q`,
`fulfillment_scope_q`, `customer_scope_q`, ...); tests check that filter and predicate agree.
Anything outside a principal's reach answers 404, exactly as if it did not exist.

- channel limit `C`: orders of channels in C, their fulfillment orders, the customers known in
  C, the channels in C; captures orders only in C.
- location limit `L`: the fulfillment orders at L (it works them) and those it hands over as the
  pickup location (ship-to-store, pickup); the orders those belong to and the orders captured at
  its till (`origin_location` in L), and their customers; the stock, transfers and calendars of
  L. It changes (cancels, edits) only orders captured at L, and captures only in channels it is
  also limited to.
- both: the intersection — an object must pass both limits.
- configuration shared by the whole network (catalog, locations, groups, channels, sourcing
  profiles, zones, transit times, calendars) is written by unrestricted principals only: a
  restricted one gets 403 `token_restricted`. Network-wide what-ifs and reports follow the
  same rule where they would show what lies outside the limits.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ordino.core.domain.errors import DomainError

# How far a principal reaches into an order or a fulfillment order.
READ = "read"  # see it
CHANGE = "change"  # cancel or edit an order
WORK = "work"  # accept, pick, pack, hold, release, ship, reject, deliver a fulfillment order
HAND_OVER = "hand_over"  # mark a pickup ready, hand it over at the counter
REACHES = (READ, CHANGE, WORK, HAND_OVER)


@dataclass(frozen=True)
class OrderFacts:
    """What the scope rule reads of an order."""

    channel_id: int
    origin_location_id: int | None = None
    pickup_location_id: int | None = None
    fulfillment_location_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class FulfillmentFacts:
    """What the scope rule reads of a fulfillment order."""

    channel_id: int
    location_id: int
    pickup_location_id: int | None = None


@dataclass(frozen=True)
class Scope:
    """The limits of a principal. None means no limit on that dimension."""

    channel_ids: frozenset[int] | None = None
    location_ids: frozenset[int] | None = None

    @property
    def restricted(self) -> bool:
        return self.channel_ids is not None or self.location_ids is not None

    def sees_channel(self, channel_id: int | None) -> bool:
        return self.channel_ids is None or channel_id in self.channel_ids

    def sees_location(self, location_id: int | None) -> bool:
        return self.location_ids is None or location_id in self.location_ids

    def sells_in(self, channel_id: int) -> bool:
        """May capture an order in this channel. A principal limited to locations only sells in
        no channel: nothing says which channels its locations sell through, so a till's token
        names its channel too (`--location STORE-1 --channel pos`)."""
        if self.channel_ids is None:
            return self.location_ids is None
        return channel_id in self.channel_ids

    def sees_order(self, order: OrderFacts) -> bool:
        return self.reaches_order(order, READ)

    def reaches_order(self, order: OrderFacts, reach: str) -> bool:
        if not self.sees_channel(order.channel_id):
            return False
        if self.location_ids is None:
            return True
        if reach == CHANGE:
            return order.origin_location_id in self.location_ids
        return bool(
            order.origin_location_id in self.location_ids
            or order.pickup_location_id in self.location_ids
            or order.fulfillment_location_ids & self.location_ids
        )

    def reaches_fulfillment(self, fo: FulfillmentFacts, reach: str) -> bool:
        if not self.sees_channel(fo.channel_id):
            return False
        if self.location_ids is None:
            return True
        if reach == WORK:
            return fo.location_id in self.location_ids
        handed_over_at = fo.pickup_location_id or fo.location_id
        if reach == HAND_OVER:
            return handed_over_at in self.location_ids
        return fo.location_id in self.location_ids or handed_over_at in self.location_ids

    def sees_customer(self, *, known_in: Collection[int], orders_reached: bool) -> bool:
        """A customer known in a channel of C (`known_in`: the channels where it has an
        identity or an order) and, under a location limit, the customer of an order the
        principal reaches (`orders_reached`)."""
        if self.channel_ids is not None and not set(known_in) & self.channel_ids:
            return False
        return self.location_ids is None or orders_reached

    def origin_location(self, requested_id: int | None) -> int | None:
        """The till an order is captured at: the one asked for (which the caller must see;
        the caller checks that), else the principal's only location, else none."""
        if requested_id is not None:
            return requested_id
        if self.location_ids is not None and len(self.location_ids) == 1:
            return next(iter(self.location_ids))
        return None

    def require_unrestricted(self, what: str) -> None:
        """Shared configuration, and what-ifs over the whole network and every channel's orders,
        are for unrestricted principals only."""
        if self.restricted:
            raise DomainError(
                "token_restricted",
                f"This token is limited to some channels or locations; {what} is for "
                "unrestricted tokens.",
                status=403,
            )

    def require_whole_network(self, what: str) -> None:
        """Answers that describe every location (a sourcing explanation ranks every candidate
        location, reports add up every location's work) are not for a location limit."""
        if self.location_ids is not None:
            raise DomainError(
                "token_restricted",
                f"This token is limited to some locations; {what} concerns every location.",
                status=403,
            )


UNRESTRICTED = Scope()
