"""HTTP adapter: parse, call one service or selector, serialise.

Scopes: reads need `inventory:read`, writes `inventory:write`. A token limited to some locations
sees and changes only those; any other location answers 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Query, Router, Status
from pydantic import Field

from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.pagination import Page, PageParams, paginate
from ordino.core.params import Code, IsoDateTime, SearchText
from ordino.core.principal import Principal, principal_of
from ordino.inventory import feed as feeds
from ordino.inventory import selectors, services
from ordino.inventory.schemas import (
    AdjustmentIn,
    AvailabilityOut,
    BalanceOut,
    BulkAvailabilityIn,
    BulkAvailabilityOut,
    CountIn,
    DamageIn,
    IncomingIn,
    MovementOut,
    ReceiptIn,
    SafetyStockIn,
    StockChangeOut,
    StockFeedOut,
    TransferChangeOut,
    TransferIn,
    TransferOut,
    TransferReceiveIn,
    availability_body,
    bulk_availability_body,
    json_answer,
)

# the reasons written on movements are many and owned by several modules: a code-like word
MovementReason = Annotated[str, Field(pattern=r"^[a-z_]{1,32}$", description="e.g. receipt")]

router = Router(tags=["inventory"])


def _writer(request: HttpRequest, *location_codes: str) -> tuple[Principal, str]:
    """The caller, allowed to write stock at these locations; and the actor for the ledger."""
    principal = principal_of(request)
    principal.require("inventory:write")
    for code in location_codes:
        selectors.location_get(code=code, scope=principal.scope)
    return principal, f"token:{principal.token.name}"


def _reader(request: HttpRequest) -> Principal:
    principal = principal_of(request)
    principal.require("inventory:read")
    return principal


def _change(change: services.StockChange) -> dict:
    out: dict = {"balances": change.balances, "movement_ids": change.movement_ids}
    if change.transfer is not None:
        out["transfer"] = change.transfer
    return out


@router.post("/receipts", response={201: StockChangeOut}, summary="Receive stock")
def receipt_create(request: HttpRequest, payload: ReceiptIn):
    """Goods arrived at a location: they become available. With `expected: true` they were
    announced as incoming and leave the incoming quantity."""
    _, actor = _writer(request, payload.location)
    change = services.stock_receive(
        location_code=payload.location,
        sku_code=payload.sku,
        quantity=payload.quantity,
        expected=payload.expected,
        reference=payload.reference,
        note=payload.note,
        actor=actor,
    )
    return Status(201, _change(change))


@router.post("/incoming", response={201: StockChangeOut}, summary="Expect incoming stock")
def incoming_create(request: HttpRequest, payload: IncomingIn):
    """Units on their way (a purchase order): counted as incoming, not available, until
    received with `expected: true`. `action: cancel` withdraws them."""
    _, actor = _writer(request, payload.location)
    use_case = (
        services.stock_incoming_expect
        if payload.action == "expect"
        else services.stock_incoming_cancel
    )
    change = use_case(
        location_code=payload.location,
        sku_code=payload.sku,
        quantity=payload.quantity,
        reference=payload.reference,
        note=payload.note,
        actor=actor,
    )
    return Status(201, _change(change))


@router.post("/adjustments", response={201: StockChangeOut}, summary="Adjust stock with a reason")
def adjustment_create(request: HttpRequest, payload: AdjustmentIn):
    _, actor = _writer(request, payload.location)
    change = services.stock_adjust(
        location_code=payload.location,
        sku_code=payload.sku,
        delta=payload.delta,
        reason=payload.reason,
        reference=payload.reference,
        note=payload.note,
        actor=actor,
    )
    return Status(201, _change(change))


@router.post("/counts", response={201: StockChangeOut}, summary="Record a cycle count")
def count_create(request: HttpRequest, payload: CountIn):
    """On hand becomes the counted quantity; the difference is one `count` movement (none when
    the count matches). Refused below committed + unavailable units."""
    _, actor = _writer(request, payload.location)
    change = services.stock_count(
        location_code=payload.location,
        sku_code=payload.sku,
        counted=payload.counted,
        reference=payload.reference,
        note=payload.note,
        actor=actor,
    )
    return Status(201, _change(change))


@router.post("/damages", response={201: StockChangeOut}, summary="Mark, write off or release")
def damage_create(request: HttpRequest, payload: DamageIn):
    _, actor = _writer(request, payload.location)
    use_case = {
        "mark": services.stock_damage_mark,
        "write_off": services.stock_damage_writeoff,
        "release": services.stock_release_unavailable,
    }[payload.action]
    change = use_case(
        location_code=payload.location,
        sku_code=payload.sku,
        quantity=payload.quantity,
        reference=payload.reference,
        note=payload.note,
        actor=actor,
    )
    return Status(201, _change(change))


@router.post("/safety-stock", response={200: StockChangeOut}, summary="Set the safety stock")
def safety_stock_set(request: HttpRequest, payload: SafetyStockIn):
    _, actor = _writer(request, payload.location)
    change = services.stock_safety_set(
        location_code=payload.location,
        sku_code=payload.sku,
        quantity=payload.quantity,
        reference=payload.reference,
        note=payload.note,
        actor=actor,
    )
    return Status(200, _change(change))


@router.post("/transfers", response={201: TransferChangeOut}, summary="Send a transfer")
def transfer_create(request: HttpRequest, payload: TransferIn):
    """Units leave the source now and are incoming at the destination until received.
    The caller must see the source; the destination must exist."""
    _, actor = _writer(request, payload.source)
    selectors.location_get(code=payload.destination)  # any destination, but a known one
    change = services.stock_transfer_send(
        source_code=payload.source,
        destination_code=payload.destination,
        sku_code=payload.sku,
        quantity=payload.quantity,
        reference=payload.reference,
        note=payload.note,
        actor=actor,
    )
    return Status(201, _change(change))


@router.post(
    "/transfers/{transfer_id}/receive", response={200: TransferChangeOut}, summary="Receive"
)
def transfer_receive(request: HttpRequest, transfer_id: int, payload: TransferReceiveIn):
    """The destination received units of a transfer: all in transit, or `quantity` of them."""
    principal, actor = _writer(request)
    transfer = selectors.transfer_get(transfer_id=transfer_id, scope=principal.scope)
    if not principal.scope.sees_location(transfer.destination_id):  # only the destination receives
        raise NotFound("transfer", transfer_id)
    change = services.stock_transfer_receive(
        transfer_id=transfer.id, quantity=payload.quantity, note=payload.note, actor=actor
    )
    return Status(200, _change(change))


@router.get("/transfers", response=Page[TransferOut], summary="List transfers")
def transfer_list(
    request: HttpRequest,
    page: Query[PageParams],
    status: Literal["in_transit", "received"] | None = None,
    sku: Code | None = None,
    location: Code | None = None,
):
    principal = _reader(request)
    qs = selectors.transfer_list(
        status=status,
        sku_code=sku,
        location_code=location,
        scope=principal.scope,
    )
    return paginate(qs, page)


@router.get("/transfers/{transfer_id}", response=TransferOut, summary="Get a transfer")
def transfer_get(request: HttpRequest, transfer_id: int):
    principal = _reader(request)
    return selectors.transfer_get(transfer_id=transfer_id, scope=principal.scope)


@router.get("/balances", response=Page[BalanceOut], summary="List stock balances")
def balance_list(
    request: HttpRequest,
    page: Query[PageParams],
    sku: Code | None = None,
    location: Code | None = None,
):
    principal = _reader(request)
    qs = selectors.balance_list(sku_code=sku, location_code=location, scope=principal.scope)
    return paginate(qs, page)


@router.get("/movements", response=Page[MovementOut], summary="List ledger movements")
def movement_list(
    request: HttpRequest,
    page: Query[PageParams],
    sku: Code | None = None,
    location: Code | None = None,
    reason: MovementReason | None = None,
    reference: SearchText | None = None,
    created_from: IsoDateTime | None = None,
    created_to: IsoDateTime | None = None,
):
    """The stock ledger, oldest first. `created_from` is inclusive, `created_to` exclusive."""
    principal = _reader(request)
    qs = selectors.movement_list(
        sku_code=sku,
        location_code=location,
        reason=reason,
        reference=reference,
        created_from=created_from,
        created_to=created_to,
        scope=principal.scope,
    )
    return paginate(qs, page)


@router.post(
    "/availability/bulk", response=BulkAvailabilityOut, summary="Availability of many SKUs"
)
def availability_bulk(request: HttpRequest, payload: BulkAvailabilityIn):
    """Up to 1,000 SKUs in one call. A read: it writes nothing (POST only because a list of
    1,000 SKUs does not fit in a URL). Unknown SKUs are listed in `unknown_skus`."""
    principal = _reader(request)
    result = selectors.availability_bulk(
        sku_codes=payload.skus,
        channel_code=payload.channel,
        scope=principal.scope,
    )
    return json_answer(bulk_availability_body(result))


@router.get("/availability/{sku}", response=AvailabilityOut, summary="Availability of a SKU")
def availability_get(request: HttpRequest, sku: str, channel: Code | None = None):
    """Per location (every named quantity), network-wide, and for `?channel=CODE` with the
    channel's stock buffer and excluded locations applied. A kit's availability is computed
    from its components."""
    principal = _reader(request)
    result = selectors.availability_for_sku(
        sku_code=sku,
        channel_code=channel,
        scope=principal.scope,
    )
    return json_answer(availability_body(result))


FEED_BODY = {
    "requestBody": {
        "required": True,
        "description": "The feed: CSV `location,sku,quantity` (optional header), as a "
        "multipart upload in the field `file`, or as the body itself (`text/csv`).",
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
            "text/csv": {"schema": {"type": "string"}},
        },
    },
    "responses": {
        415: {
            "description": "The body is neither multipart/form-data nor text/csv.",
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
    },
}


@router.post(
    "/feeds",
    response={201: StockFeedOut},
    summary="Apply a bulk stock feed",
    openapi_extra=FEED_BODY,
)
def feed_create(request: HttpRequest):
    """Absolute stock counts for many (location, SKU) pairs: on hand becomes each count through
    the ledger (one `feed` movement per changed row; unchanged rows write nothing). Any
    malformed row (unknown location or SKU, not a whole number, negative, kit, duplicate)
    refuses the whole file with errors naming line and column, and nothing changes. Rows whose
    count is below committed + unavailable are skipped and listed in `refusals`. A token limited
    to some locations may feed only those."""
    principal, actor = _writer(request)
    content_type = request.content_type or ""
    if content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError("file_required", "Upload the feed in the field `file`.", field="file")
        source, name = upload.file, upload.name or ""
    elif content_type in ("text/csv", "text/plain"):
        source, name = _decoded_lines(request), request.GET.get("file_name", "")
    else:
        raise DomainError(
            "unsupported_media_type",
            "Send the feed as multipart/form-data (field `file`) or as a text/csv body.",
            status=415,
        )
    feed = feeds.stock_feed_apply(
        rows_or_file=source,
        actor=actor,
        file_name=name,
        visible_location_ids=principal.location_ids,
    )
    return Status(201, feed)


@router.get("/feeds/{feed_id}", response=StockFeedOut, summary="Get a bulk stock feed")
def feed_get(request: HttpRequest, feed_id: int):
    """A feed's outcome. A token limited to some locations sees the feeds it applied."""
    principal = _reader(request)
    actor = f"token:{principal.token.name}" if principal.location_ids is not None else None
    return selectors.stock_feed_get(feed_id=feed_id, actor=actor)


def _decoded_lines(request: HttpRequest):
    """The body's lines as text, streamed (a large body never sits in memory at once)."""
    for number, raw in enumerate(request, start=1):
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            raise DomainError(
                "feed_not_utf8", f"line {number}: the feed is not UTF-8 text.", status=422
            ) from None
