"""HTTP adapter for carrier accounts and label purchase (docs/shipping.md, "Carrier adapters",
"Label purchase"). Accounts are shared configuration (`shipping:read` / `shipping:write`, only
tokens not limited to some channels or locations change them); a fulfillment order's labels
follow its scope (`fulfillment:write` at its location, else 404). The purchase and the void keep
their own transactions (accounts/idempotency.py: OWN_TRANSACTIONS): the purchase's row commits
before the carrier is called, whatever the call then does."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from ordino.core.domain.money import quantum
from ordino.core.principal import Principal, principal_of
from ordino.shipping import buy_chosen, purchases, ship
from ordino.shipping import carrier_accounts as accounts
from ordino.shipping.carriers.base import ParcelSpec
from ordino.shipping.domain.weights import MAX_CONTENT_LINES
from ordino.shipping.schemas import Measure, ParcelItemIn, ShipmentCostOut

router = Router(tags=["shipping"])  # mounted at /shipping
fulfillment_router = Router(tags=["shipping"])  # mounted at /fulfillment
LABELS = "/orders/{int:fo_id}/labels"


class Input(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)


class AccountIn(Input):
    name: str | None = Field(None, min_length=1, max_length=100)
    adapter: Literal["offline", "easypost", "shippo"] | None = None
    api_key: str | None = Field(None, min_length=1, max_length=200, description="write-only")
    is_active: bool | None = None
    reason: str = Field("", max_length=500)


class AccountOut(Schema):
    code: str
    name: str
    adapter: str
    is_active: bool
    has_api_key: bool
    updated_at: datetime

    @staticmethod
    def resolve_has_api_key(obj) -> bool:
        return bool(obj.api_key_encrypted)


class PurchaseIn(Input):
    account: str = Field(..., min_length=1, max_length=32)
    parcel: int = Field(1, ge=1, le=99, description="which parcel of the fulfillment order")
    length_cm: Measure
    width_cm: Measure
    height_cm: Measure
    weight_kg: Measure
    service: str = Field("", max_length=100, description='"USPS:Priority"; blank: the cheapest')
    contents: list[ParcelItemIn] = Field(
        [],
        max_length=MAX_CONTENT_LINES,
        description="What the parcel holds; its customs declaration names these units only "
        "(none: every open unit).",
    )


class PurchaseOut(Schema):
    id: int
    fulfillment_order_id: int
    parcel: int
    account: str
    status: str
    service: str
    carrier_service: str
    tracking_number: str
    label_url: str
    amount: str | None
    currency: str
    error: str
    attempts: int
    refund_status: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_account(obj) -> str:
        return obj.account.code

    @staticmethod
    def resolve_amount(obj) -> str | None:
        """In the currency's minor unit (the column keeps 3 decimals)."""
        return None if obj.amount is None else str(obj.amount.quantize(quantum(obj.currency)))

    @staticmethod
    def resolve_carrier_service(obj) -> str:
        rate = obj.rate or {}
        return f"{rate['carrier']}:{rate['service']}" if rate.get("carrier") else ""


def _actor(principal: Principal) -> str:
    return f"token:{principal.token.name}"


@router.get("/accounts", response=list[AccountOut], summary="List carrier accounts")
def account_list(request: HttpRequest):
    principal_of(request).require("shipping:read")
    return list(accounts.carrier_account_list()[:500])


@router.put(
    "/accounts/{code}",
    response={200: AccountOut, 201: AccountOut},
    summary="Create or change a carrier account",
)
def account_put(request: HttpRequest, code: str, payload: AccountIn):
    """Which adapter (offline, easypost, shippo) and its API key, encrypted at rest and never
    shown (`has_api_key`). Created (201, name and adapter required) or changed (200); audited."""
    principal = principal_of(request)
    principal.require("shipping:write")
    principal.scope.require_unrestricted("changing carrier accounts")
    values = accounts.AccountSettings(code=code, **payload.model_dump())
    account, created = accounts.carrier_account_save(values=values, actor=_actor(principal))
    return Status(201 if created else 200, account)


@fulfillment_router.post(
    f"{LABELS}/purchase",
    response={200: PurchaseOut, 201: PurchaseOut},
    summary="Buy a parcel's label",
)
def label_purchase(request: HttpRequest, fo_id: int, payload: PurchaseIn):
    """Buy the parcel's label from the carrier account: its rates for the parcel (from the
    location to the order's address), the service asked for or the cheapest, bought once. 201
    when bought now, 200 when it was bought before (nothing is bought again). 409
    `carrier_refused` leaves the purchase failed, 409 `carrier_unanswered` leaves it unknown:
    send the same request again — an unknown label is looked up before anything is bought."""
    principal = principal_of(request)
    principal.require("fulfillment:write")
    p = payload
    command = purchases.PurchaseRequest(
        fo_id=fo_id,
        account=p.account,
        parcel=p.parcel,
        service=p.service.strip(),
        measures=ParcelSpec(p.length_cm, p.width_cm, p.height_cm, p.weight_kg),
        contents=tuple((item.sku, item.quantity) for item in p.contents),
    )
    purchase, bought_now = purchases.label_purchase(
        command=command, actor=_actor(principal), scope=principal.scope
    )
    return Status(201 if bought_now else 200, purchase)


@fulfillment_router.post(
    f"{LABELS}/buy-chosen", response=list[PurchaseOut], summary="Buy the live choice's labels"
)
def labels_buy_chosen(request: HttpRequest, fo_id: int):
    """When the latest rating chose a live rate (`chosen.account`), buy every rated parcel's
    label from that account with that service; labels bought before are kept, not bought
    again. 409 `no_live_choice` otherwise; a refusal or silence stops at its parcel (409
    `carrier_refused` / `carrier_unanswered`) and the same request goes on from there."""
    principal = principal_of(request)
    principal.require("fulfillment:write")
    return buy_chosen.labels_buy_chosen(fo_id=fo_id, actor=_actor(principal), scope=principal.scope)


@fulfillment_router.get(LABELS, response=list[PurchaseOut], summary="A fulfillment order's labels")
def label_list(request: HttpRequest, fo_id: int):
    principal = principal_of(request)
    principal.require("fulfillment:read")
    return purchases.purchases_of(fo_id=fo_id, scope=principal.scope)


@fulfillment_router.post(
    f"{LABELS}/{{int:purchase_id}}/void", response=PurchaseOut, summary="Void a bought label"
)
def label_void(request: HttpRequest, fo_id: int, purchase_id: int):
    """Refund the label at the carrier: the purchase is voided and the parcel may get a new
    label. Only a bought label (409 `not_voidable`)."""
    principal = principal_of(request)
    principal.require("fulfillment:write")
    return purchases.label_void(
        purchase_id=purchase_id, fo_id=fo_id, actor=_actor(principal), scope=principal.scope
    )


@fulfillment_router.post(
    "/orders/{int:fo_id}/ship-labels",
    response={201: ShipmentCostOut},
    summary="Ship the bought labels",
)
def fulfillment_ship_labels(request: HttpRequest, fo_id: int):
    """Ship every open item with the labels bought for its parcels: one package per label,
    the carrier's tracking numbers, the labels' price kept as the shipment's cost. 409
    `no_label_bought`, `labels_incomplete` (a parcel in between has none) or `labels_mixed`."""
    principal = principal_of(request)
    principal.require("fulfillment:write")
    cost = ship.fulfillment_ship_purchased(
        fo_id=fo_id, actor=_actor(principal), scope=principal.scope
    )
    return Status(201, cost)
