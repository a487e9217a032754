"""API shapes of shipping's services and quotes (docs/shipping.md, "The API"). Inputs forbid
unknown fields and are bounded as the columns and the domain's checks are; outputs are separate."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from ordino.core.domain.money import quantum
from ordino.core.params import Country, Currency, IsoDate, amount_type
from ordino.shipping.domain.packing import MAX_SIDE_MM, MAX_WEIGHT_G
from ordino.shipping.domain.policy import POLICIES
from ordino.shipping.domain.weights import MAX_CONTENT_LINES, MAX_PARCEL, MAX_SKU, MAX_UNITS

Weight = amount_type(Decimal(1000))
Divisor = amount_type(Decimal(100000))
Increment = amount_type(Decimal(100))
Volume = amount_type(Decimal(10**8))
Longest = amount_type(Decimal(1000))
Girth = amount_type(Decimal(3000))
Percent = amount_type(Decimal(100))
Price = amount_type(Decimal(100000))
Measure = amount_type(MAX_PARCEL)
Policy = Literal[POLICIES]  # type: ignore[valid-type]
# the first and last days a quote may ship on or promise: what Python can step past
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(9998, 12, 31)


class Input(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)


class ServiceIn(Input):
    name: str = Field(..., min_length=1, max_length=100, description='e.g. "DHL Paket"')
    currency: Currency
    max_weight: Weight = Field(..., description="In the service's unit; above 0.")
    unit: Literal["kg", "lb"] = "kg"
    divisor: Divisor = Field(Decimal(5000), description="cm³/kg (kg) or in³/lb (lb); above 0")
    min_volume: Volume = Field(Decimal(0), description="Volume weighed only above this.")
    increment: Increment = Field(Decimal("0.5"), description="Billable weight rounded up to it.")
    transit_days: int = Field(2, ge=0, le=60, description="Working days on the way.")
    max_longest: Longest = Field(Decimal(0), description="0: no limit.")
    max_length_plus_girth: Girth = Field(Decimal(0), description="0: no limit.")
    carrier_name: str = Field("", max_length=100, description="Names a new carrier.")
    reason: str = Field("", max_length=500, description="Kept in the audit log.")


class ServiceSwitchIn(Input):
    reason: str = Field("", max_length=500, description="Kept in the audit log.")


class SurchargeIn(Input):
    amount: Price = Decimal(0)
    percent: Percent = Field(Decimal(0), description="fuel: a percent of the base price")
    longest: Longest = Field(Decimal(0), description="oversize: past this longest side")
    length_plus_girth: Girth = Field(Decimal(0), description="oversize: past this")
    prefixes: list[Annotated[str, Field(min_length=1, max_length=32)]] = Field(
        [], max_length=1000, description="remote_area: postal code prefixes (1 to 16 characters)"
    )


class SurchargeOut(Schema):
    kind: str
    amount: Decimal
    percent: Decimal
    longest: Decimal
    length_plus_girth: Decimal
    prefixes: list[str]


class ServiceOut(Schema):
    key: str = Field(..., description="carrier:code")
    carrier: str
    code: str
    name: str
    currency: str
    unit: str
    divisor: Decimal
    min_volume: Decimal
    increment: Decimal
    transit_days: int
    max_weight: Decimal
    max_longest: Decimal
    max_length_plus_girth: Decimal
    is_active: bool
    zones: int = Field(..., description="Rows of its zone table.")
    brackets: int = Field(..., description="Rows of its rate sheet.")
    zones_loaded_at: datetime | None
    rates_loaded_at: datetime | None
    surcharges: list[SurchargeOut]

    # rows of `selectors.service_list` (annotated counts, prefetched surcharges)
    @staticmethod
    def resolve_key(obj) -> str:
        return f"{obj.carrier.code}:{obj.code}"

    @staticmethod
    def resolve_carrier(obj) -> str:
        return obj.carrier.code

    @staticmethod
    def resolve_zones(obj) -> int:
        return obj.zone_rows

    @staticmethod
    def resolve_brackets(obj) -> int:
        return obj.bracket_rows

    @staticmethod
    def resolve_surcharges(obj) -> list:
        return list(obj.surcharges.all())


class LoadedOut(Schema):
    rows: int


class ParcelItemIn(Input):
    sku: str = Field(..., min_length=1, max_length=MAX_SKU)
    quantity: int = Field(..., ge=1, le=MAX_UNITS)


class ParcelIn(Input):
    length_cm: Measure
    width_cm: Measure
    height_cm: Measure
    weight_kg: Measure
    contents: list[ParcelItemIn] = Field(
        [],
        max_length=MAX_CONTENT_LINES,
        description="What the parcel holds (each SKU once); its customs declaration names "
        "these units only. Say it for every parcel or for none.",
    )


class QuoteDestinationIn(Input):
    country: Country
    region: str = Field("", max_length=128)  # as an order's address holds them
    postal_code: str = Field("", max_length=32)
    residential: bool = False


class ShopIn(Input):
    """What a rate shop is asked: the parcels, the policy, the days and the services."""

    parcels: list[ParcelIn] = Field(..., min_length=1, max_length=50)
    policy: Policy = "cheapest"  # type: ignore[valid-type]
    ship_day: IsoDate | None = Field(None, ge=FIRST_DAY, le=LAST_DAY, description="Default today")
    promised: IsoDate | None = Field(
        None, ge=FIRST_DAY, le=LAST_DAY, description="The day promised to the customer."
    )
    services: list[Annotated[str, Field(min_length=3, max_length=65)]] = Field(
        [], max_length=100, description="carrier:code of the services to compare; none: all"
    )


class QuoteIn(ShopIn):
    destination: QuoteDestinationIn


class SurchargeQuoted(Schema):
    kind: str
    amount: str
    why: str


class ParcelQuoted(Schema):
    zone: str | None = Field(
        ..., description="Blank (null) for a live rate: its provider priced it."
    )
    billable_weight: str | None
    unit: str | None
    base: str
    surcharges: list[SurchargeQuoted]
    total: str
    why: list[str]


class OfferOut(Schema):
    service: str
    name: str
    total: str
    currency: str
    delivery: str
    account: str | None = Field(
        None, description="A live rate: the carrier account whose provider priced it."
    )
    offered_as: str | None = Field(
        None, description="A live rate: the provider's carrier:service, as buying names it."
    )
    parcels: list[ParcelQuoted]


class LeftOut(Schema):
    service: str
    code: str
    why: str


class QuoteOut(Schema):
    policy: str
    why: str
    chosen: OfferOut | None
    runners_up: list[OfferOut]
    left_out: list[LeftOut]


class RateIn(ShopIn):
    policy: Policy | None = Field(  # type: ignore[valid-type]
        None, description="Default: the order's channel's policy (cheapest without one)."
    )
    promised: IsoDate | None = Field(
        None, ge=FIRST_DAY, le=LAST_DAY, description="Default: the order's promised day."
    )
    residential: bool | None = Field(
        None, description="Default: a home address unless the order's address names a company."
    )
    live: bool = Field(
        True, description="Ask the active EasyPost and Shippo accounts for live rates too."
    )


class RatingOut(Schema):
    id: int
    fulfillment_order_id: int
    policy: str
    service: str = Field(..., description="The chosen carrier:code; blank when none carries.")
    service_name: str
    total: Decimal | None
    currency: str
    ship_day: date
    delivery: date | None
    promised: date | None
    why: str
    parcels: list[dict]
    destination: dict
    chosen: OfferOut | None
    runners_up: list[OfferOut]
    left_out: list[LeftOut]
    actor: str
    created_at: datetime

    @staticmethod
    def resolve_total(obj) -> Decimal | None:
        return None if obj.total is None else obj.total.quantize(quantum(obj.currency))

    @staticmethod
    def resolve_chosen(obj) -> dict | None:
        return obj.answer.get("chosen")

    @staticmethod
    def resolve_runners_up(obj) -> list:
        return obj.answer.get("runners_up", [])

    @staticmethod
    def resolve_left_out(obj) -> list:
        return obj.answer.get("left_out", [])


class ChannelPolicyIn(Input):
    policy: Policy  # type: ignore[valid-type]
    promise_service: str = Field(
        "",
        max_length=65,
        description="carrier:code: the service Ordino promises the channel's orders by when "
        "the channel promised nothing; blank: no promise",
    )
    reason: str = Field("", max_length=255)


class ChannelPolicyOut(Schema):
    channel: str
    policy: str
    promise_service: str
    updated_at: datetime

    @staticmethod
    def resolve_channel(obj) -> str:
        return obj.channel.code


class ShipRatedIn(Input):
    tracking_numbers: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        ..., min_length=1, max_length=50, description="One per rated parcel, in their order."
    )


class ShipmentCostOut(Schema):
    shipment_id: int
    rating_id: int | None
    service: str
    service_name: str
    amount: Decimal
    currency: str
    parcels: int
    created_at: datetime

    @staticmethod
    def resolve_amount(obj) -> Decimal:
        return obj.amount.quantize(quantum(obj.currency))


# ----------------------------------------------------------------------------- box types, packing

Side = Annotated[int, Field(ge=1, le=MAX_SIDE_MM, description="mm")]
Grams = Annotated[int, Field(ge=0, le=MAX_WEIGHT_G, description="g")]


class BoxTypeIn(Input):
    """The whole box type (PUT): created when new, replaced otherwise."""

    location: str | None = Field(
        None, min_length=1, max_length=64, description="A location's code; none: every location."
    )
    name: str = Field(..., min_length=1, max_length=100)
    inner_length_mm: Side
    inner_width_mm: Side
    inner_height_mm: Side
    outer_length_mm: Side
    outer_width_mm: Side
    outer_height_mm: Side
    tare_g: Grams
    max_weight_g: Grams
    is_active: bool = True
    reason: str = Field("", max_length=500)


class BoxTypeOut(Schema):
    code: str
    location: str | None
    name: str
    inner_length_mm: int
    inner_width_mm: int
    inner_height_mm: int
    outer_length_mm: int
    outer_width_mm: int
    outer_height_mm: int
    tare_g: int
    max_weight_g: int
    is_active: bool
    updated_at: datetime

    @staticmethod
    def resolve_location(obj) -> str | None:
        return obj.location.code if obj.location_id else None


class PackedItemOut(Schema):
    sku: str
    quantity: int


class RatedParcelOut(Schema):
    length_cm: str
    width_cm: str
    height_cm: str
    weight_kg: str


class PackedParcelOut(Schema):
    box: str
    items: list[PackedItemOut]
    items_volume_mm3: int
    gross_weight_g: int
    outer_mm: list[int]
    parcel: RatedParcelOut = Field(..., description="As shipping rates it: outer cm, gross kg.")
    why: str


class PackingOut(Schema):
    fulfillment_order_id: int
    location: str
    units: int
    parcels: list[PackedParcelOut]
    why: list[str]
