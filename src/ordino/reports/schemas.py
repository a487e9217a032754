"""Response bodies of the reports API. Money and rates are decimal strings."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema


class DayOut(Schema):
    day: str = Field(..., description="UTC calendar day, YYYY-MM-DD.")
    currency: str
    orders: int
    cancelled: int
    revenue: Decimal = Field(..., description="Sum of current totals (after cancellations).")


class CurrencyOut(Schema):
    currency: str
    orders: int
    cancelled: int
    revenue: Decimal
    average_order_value: Decimal | None = Field(None, description="Revenue ÷ orders not cancelled.")


class QueueOut(Schema):
    location: str
    status: str
    fulfillment_orders: int


class SkuUnitsOut(Schema):
    sku: str
    units: int


class KpisOut(Schema):
    date_from: date
    date_to: date
    channel: str | None
    ship_target_hours: int
    orders: int
    per_day: list[DayOut]
    per_currency: list[CurrencyOut]
    units_ordered: int
    units_per_order: Decimal | None
    backorder_rate: Decimal | None = Field(
        None, description="Orders with a unit not allocated at capture ÷ orders."
    )
    cancellation_rate: Decimal | None = Field(None, description="Orders cancelled ÷ orders.")
    fill_rate: Decimal | None = Field(
        None, description="Units allocated at capture ÷ units ordered."
    )
    split_rate: Decimal | None = Field(
        None, description="Orders with more than one fulfillment order (rejected ones aside)."
    )
    store_ship_share: Decimal | None = Field(
        None, description="Units shipped from stores ÷ units shipped."
    )
    units_shipped: int
    orders_by_status: dict[str, int]
    queue: list[QueueOut] = Field(
        ..., description="Fulfillment orders open now, per location and status."
    )
    shipments: int
    ship_hours_p50: Decimal | None = Field(None, description="Capture → shipment, hours.")
    ship_hours_p90: Decimal | None
    on_time_rate: Decimal | None = Field(
        None, description="Shipments within `ship_target_hours` of capture ÷ shipments."
    )
    top_skus: list[SkuUnitsOut]


class SalesOut(Schema):
    bucket: str = Field(..., description="The UTC day, or the Monday of the week, YYYY-MM-DD.")
    channel: str
    channel_name: str
    currency: str
    orders: int
    cancelled: int
    revenue: Decimal = Field(..., description="Sum of current totals, in `currency` only.")


class RateOut(Schema):
    bucket: str
    orders: int
    cancelled: int
    short_orders: int
    split_orders: int
    units_ordered: int
    units_allocated: int = Field(..., description="Units allocated at capture.")
    units_shipped: int
    units_shipped_from_stores: int
    fill_rate: Decimal | None
    backorder_rate: Decimal | None
    cancellation_rate: Decimal | None
    split_rate: Decimal | None
    store_ship_share: Decimal | None


class ShipTimeOut(Schema):
    bucket: str
    shipments: int
    hours_p50: Decimal | None
    hours_p90: Decimal | None


class LocationQueueOut(Schema):
    location_id: int
    location: str
    location_name: str
    status: str
    fulfillment_orders: int


class ReturnsDayOut(Schema):
    bucket: str
    returns: int = Field(..., description="Returns requested in the bucket")
    units_requested: int


class RefundsDayOut(Schema):
    bucket: str
    currency: str
    refunds: int = Field(..., description="Refunds recorded in the bucket (failed ones aside)")
    amount: Decimal


class SeriesOut(Schema):
    date_from: date
    date_to: date
    channel: str | None
    bucket: str = Field(..., description="`day` or `week`.")
    buckets: list[str] = Field(..., description="Every bucket of the period, empty ones too.")
    sales: list[SalesOut]
    rates: list[RateOut] = Field(..., description="One per bucket, of the orders captured in it.")
    ship_times: list[ShipTimeOut] = Field(..., description="One per bucket.")
    queue: list[LocationQueueOut] = Field(
        ..., description="Fulfillment orders open now, per location and status."
    )
    returns: list[ReturnsDayOut] = Field(
        ..., description="One per bucket: returns requested then (by request time)."
    )
    refunds: list[RefundsDayOut] = Field(
        ..., description="Per bucket and currency: refunds recorded then; empty buckets left out."
    )


class ReturnRateOut(Schema):
    key: str = Field(..., description="The SKU, reason, channel or receiving location code.")
    units_requested: int
    units_returned: int = Field(..., description="Received and back: all but missing.")
    units_shipped: int | None = Field(None, description="The rate's whole, where there is one.")
    return_rate: Decimal | None = Field(None, description="Returned ÷ shipped, 4 decimals.")


class ReturnMoneyOut(Schema):
    currency: str
    status: str = Field(..., description="`decided`, or the refund's status.")
    refunds: int
    amount: Decimal


class RefundTimeOut(Schema):
    channel: str
    returns_refunded: int
    hours_p50: Decimal | None = Field(None, description="Request → first refund, median hours")
    hours_p90: Decimal | None


class ReturnsOut(Schema):
    date_from: date
    date_to: date
    channel: str | None
    top: int
    returns: int
    returns_by_state: dict[str, int]
    units_shipped: int
    units_requested: int
    units_returned: int
    return_rate: Decimal | None = Field(None, description="Returned ÷ shipped, 4 decimals.")
    dispositions: dict[str, int]
    per_sku: list[ReturnRateOut]
    per_reason: list[ReturnRateOut]
    per_channel: list[ReturnRateOut]
    per_location: list[ReturnRateOut]
    refund_decisions: list[ReturnMoneyOut]
    refunds: list[ReturnMoneyOut]
    hours_to_receipt_p50: Decimal | None
    hours_to_receipt_p90: Decimal | None
    hours_to_refund_p50: Decimal | None
    hours_to_refund_p90: Decimal | None
    refund_time_per_channel: list[RefundTimeOut] = Field(
        ..., description="Request → first refund per channel of the returns' orders"
    )


class TouchStatsOut(Schema):
    orders: int = Field(..., description="Orders captured in the period.")
    orders_touched: int = Field(..., description="Orders a person acted on at least once.")
    zero_touch_rate: Decimal | None = Field(None, description="Orders with no touch ÷ orders.")
    touches: int
    touches_mean: Decimal | None = Field(None, description="Touches ÷ orders, 2 decimals.")
    touches_p50: int | None = Field(None, description="Nearest-rank, zero-touch orders included.")
    touches_p90: int | None
    touches_max: int | None


class ChannelTouchesOut(TouchStatsOut):
    channel: str


class KindTouchesOut(Schema):
    kind: str = Field(..., description="The timeline's kind, or `case_<step>` of a case.")
    touches: int


class UserTouchesOut(Schema):
    actor: str = Field(
        ..., description="As recorded: `user:<name>`, `cli:<login>`, `token:<name>`."
    )
    user: str | None = Field(None, description="The console user (a token's owner).")
    roles: list[str]
    touches: int


class RoleTouchesOut(Schema):
    role: str | None = Field(None, description="None: no console user, or a user with no role.")
    touches: int


class TouchesOut(TouchStatsOut):
    since: datetime
    until: datetime
    channel: str | None
    by_kind: list[KindTouchesOut]
    by_user: list[UserTouchesOut]
    by_role: list[RoleTouchesOut] = Field(
        ..., description="A person with two roles counts in both."
    )
    per_channel: list[ChannelTouchesOut]


class TeamMemberOut(Schema):
    username: str
    name: str
    active: bool
    last_login: datetime | None = Field(None, description="Last sign-in; null: never.")
    roles: list[str]
    lead: bool = Field(..., description="This member leads the team.")


class TeamOut(Schema):
    team: str
    lead: str | None
    lead_active: bool | None = Field(None, description="False: the lead is deactivated.")
    manager: str | None
    active_members: int
    members: list[TeamMemberOut]


class ShippingCostOut(Schema):
    service: str = Field(..., description="carrier:code")
    name: str
    currency: str
    shipments: int
    orders: int
    parcels: int
    units: int
    cost: Decimal
    cost_per_order: Decimal | None
    cost_per_unit: Decimal | None


class ShippingOnTimeOut(Schema):
    service: str
    with_promise: int
    on_time: int
    late: int
    pending: int
    on_time_rate: Decimal | None = Field(..., description="on time ÷ (on time + late)")


class ShippingLaneOut(Schema):
    service: str
    origin: str = Field(..., description="The shipping location's country.")
    destination: str = Field(..., description="The shipping address's country.")
    delivered: int
    hours_p50: Decimal | None
    hours_p90: Decimal | None


class ShippingOut(Schema):
    date_from: date
    date_to: date
    channel: str | None
    shipments: int
    unrated: int = Field(..., description="Shipped without a rated choice: no cost known.")
    costs: list[ShippingCostOut]
    on_time: list[ShippingOnTimeOut]
    lanes: list[ShippingLaneOut]
