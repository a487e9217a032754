"""Request and response bodies of the inventory API. Inputs refuse unknown fields."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpResponse
from ninja import Field, Schema
from pydantic import ConfigDict

from ordino.core.params import MAX_QUANTITY
from ordino.inventory.domain.operations import ADJUST_REASONS
from ordino.inventory.selectors import (
    BULK_MAX_SKUS,
    BulkAvailability,
    LocationStock,
    SkuAvailability,
)

AdjustReason = Literal[ADJUST_REASONS]  # type: ignore[valid-type]
Code = Field(..., min_length=1, max_length=64)
Reference = Field("", max_length=128, description="Your document: PO, ASN, count sheet, ticket.")
Note = Field("", max_length=255)


class In(Schema):
    # strict: JSON types as documented (0 is no boolean, "5" no integer); unknown fields refused
    model_config = ConfigDict(extra="forbid", strict=True)


class ReceiptIn(In):
    location: str = Code
    sku: str = Code
    quantity: int = Field(..., gt=0, le=MAX_QUANTITY)
    expected: bool = Field(
        False, description="The units were announced as incoming (POST /inventory/incoming)."
    )
    reference: str = Reference
    note: str = Note


class IncomingIn(In):
    location: str = Code
    sku: str = Code
    quantity: int = Field(..., gt=0, le=MAX_QUANTITY)
    action: Literal["expect", "cancel"] = Field(
        "expect", description="`expect` announces units on their way; `cancel` withdraws them."
    )
    reference: str = Reference
    note: str = Note


class AdjustmentIn(In):
    location: str = Code
    sku: str = Code
    delta: int = Field(
        ...,
        ge=-MAX_QUANTITY,
        le=MAX_QUANTITY,
        description="Signed: +3 adds three units, -2 removes two. Not 0.",
    )
    reason: AdjustReason = Field(..., description=f"One of: {', '.join(ADJUST_REASONS)}.")
    reference: str = Reference
    note: str = Note


class CountIn(In):
    location: str = Code
    sku: str = Code
    counted: int = Field(
        ..., ge=0, le=MAX_QUANTITY, description="Units physically on hand, damaged ones included."
    )
    reference: str = Reference
    note: str = Note


class TransferIn(In):
    source: str = Code
    destination: str = Code
    sku: str = Code
    quantity: int = Field(..., gt=0, le=MAX_QUANTITY)
    reference: str = Reference
    note: str = Note


class TransferReceiveIn(In):
    quantity: int | None = Field(
        None,
        gt=0,
        le=MAX_QUANTITY,
        description="Units received; omit to receive everything still in transit.",
    )
    note: str = Note


class DamageIn(In):
    location: str = Code
    sku: str = Code
    quantity: int = Field(..., gt=0, le=MAX_QUANTITY)
    action: Literal["mark", "write_off", "release"] = Field(
        "mark",
        description=(
            "`mark`: available → unavailable (damaged, quality hold); "
            "`write_off`: unavailable units leave; `release`: unavailable → available."
        ),
    )
    reference: str = Reference
    note: str = Note


class SafetyStockIn(In):
    location: str = Code
    sku: str = Code
    quantity: int = Field(
        ..., ge=0, le=MAX_QUANTITY, description="The new safety stock; 0 removes it."
    )
    reference: str = Reference
    note: str = Note


class BulkAvailabilityIn(In):
    skus: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        ..., min_length=1, max_length=BULK_MAX_SKUS
    )
    channel: str | None = Field(None, min_length=1, max_length=64)


class BalanceOut(Schema):
    id: int
    location: str = Field(..., alias="location.code")
    sku: str = Field(..., alias="sku.code")
    on_hand: int
    committed: int
    safety_stock: int
    unavailable: int
    incoming: int
    available: int
    updated_at: datetime


class TransferOut(Schema):
    id: int
    source: str = Field(..., alias="source.code")
    destination: str = Field(..., alias="destination.code")
    sku: str = Field(..., alias="sku.code")
    quantity: int
    quantity_received: int
    status: str
    reference: str
    created_at: datetime
    received_at: datetime | None


class StockChangeOut(Schema):
    balances: list[BalanceOut]
    movement_ids: list[int]


class TransferChangeOut(StockChangeOut):
    transfer: TransferOut


class MovementOut(Schema):
    id: int
    location: str = Field(..., alias="location.code")
    sku: str = Field(..., alias="sku.code")
    from_state: str
    to_state: str
    quantity: int
    reason: str
    reference: str
    actor: str
    note: str
    created_at: datetime


class QuantitiesOut(Schema):
    on_hand: int
    committed: int
    safety_stock: int
    unavailable: int
    incoming: int


class LocationStockOut(Schema):
    location: str = Field(..., alias="location_code")
    available: int
    quantities: QuantitiesOut | None = Field(
        None, description="The named quantities; null for a kit (computed from components)."
    )


class ChannelViewOut(Schema):
    code: str
    stock_buffer: int
    excluded_locations: list[str] = Field(..., alias="excluded_location_codes")
    available: int


class AvailabilityOut(Schema):
    sku: str = Field(..., alias="sku_code")
    kind: str
    network: int = Field(..., description="Available over every active location you can see.")
    channel: ChannelViewOut | None = None
    locations: list[LocationStockOut]


class BulkItemOut(Schema):
    sku: str = Field(..., alias="sku_code")
    kind: str
    network: int
    channel: int | None = Field(None, description="Available to the channel asked for.")
    locations: dict[str, int] = Field(..., description="location code → available")


class BulkAvailabilityOut(Schema):
    items: list[BulkItemOut]
    unknown_skus: list[str]


# --- availability answers, built by hand ---------------------------------------------------------
# The availability reads are a hot path (inventory/availability_reads.py): validating 1,000 SKUs ×
# 50 locations through the response schema costs more than reading them. These functions build
# exactly the JSON that AvailabilityOut and BulkAvailabilityOut describe (same fields, same order;
# tests/inventory/test_availability_reads.py compares them byte for byte); the schemas stay the
# documented shapes of the OpenAPI document.


def json_answer(body: dict) -> HttpResponse:
    """A 200 JSON answer as django-ninja renders one (json.dumps, its default separators)."""
    return HttpResponse(json.dumps(body), content_type="application/json; charset=utf-8")


def availability_body(item: SkuAvailability) -> dict:
    channel = item.channel
    return {
        "sku": item.sku_code,
        "kind": item.kind,
        "network": item.network,
        "channel": None
        if channel is None
        else {
            "code": channel.code,
            "stock_buffer": channel.stock_buffer,
            "excluded_locations": channel.excluded_location_codes,
            "available": channel.available,
        },
        "locations": [_location_body(line) for line in item.locations],
    }


def _location_body(line: LocationStock) -> dict:
    q = line.quantities
    return {
        "location": line.location_code,
        "available": line.available,
        "quantities": None
        if q is None
        else {
            "on_hand": q.on_hand,
            "committed": q.committed,
            "safety_stock": q.safety_stock,
            "unavailable": q.unavailable,
            "incoming": q.incoming,
        },
    }


def bulk_availability_body(result: BulkAvailability) -> dict:
    return {
        "items": [
            {
                "sku": item.sku_code,
                "kind": item.kind,
                "network": item.network,
                "channel": item.channel,
                "locations": item.locations,
            }
            for item in result.items
        ],
        "unknown_skus": result.unknown_sku_codes,
    }


class FeedRefusalOut(Schema):
    line: int
    location: str
    sku: str
    counted: int
    on_hand: int
    committed: int
    unavailable: int
    code: str
    message: str


class StockFeedOut(Schema):
    id: int
    file_name: str
    status: str = Field(..., description="`applying` while it runs, then `applied`.")
    rows: int
    applied: int = Field(..., description="Rows that changed on hand (one `feed` movement each).")
    unchanged: int
    refused: int = Field(
        ..., description="Rows skipped: the count is below committed + unavailable."
    )
    refusals: list[FeedRefusalOut] = Field(..., description="The first 1,000 refused rows.")
    actor: str
    started_at: datetime
    finished_at: datetime | None
