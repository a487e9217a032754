"""`/api/v1/shipping`: carriers' services, their zone tables, rate sheets and surcharges, and
quotes (docs/shipping.md, "The API"). Services rate every location's parcels: only tokens not
limited to some channels or locations change them (as tax rates); any `shipping:read` token
reads and quotes."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.pagination import Page, PageParams, paginate
from ordino.core.params import Code
from ordino.core.principal import Principal, principal_of
from ordino.core.problem import PROBLEM_CONTENT as PROBLEM
from ordino.shipping import channel_policies, selectors, services
from ordino.shipping import rating as rating_services
from ordino.shipping import ship as ship_services
from ordino.shipping.commands import BoxTypeSettings, ServiceSettings
from ordino.shipping.domain.files import MAX_BYTES
from ordino.shipping.domain.quote import SURCHARGE_KINDS, Destination, Surcharge
from ordino.shipping.domain.weights import Parcel
from ordino.shipping.rating import RateRequest
from ordino.shipping.schemas import (
    BoxTypeIn,
    BoxTypeOut,
    ChannelPolicyIn,
    ChannelPolicyOut,
    LoadedOut,
    PackingOut,
    QuoteIn,
    QuoteOut,
    RateIn,
    RatingOut,
    ServiceIn,
    ServiceOut,
    ServiceSwitchIn,
    ShipmentCostOut,
    ShipRatedIn,
    SurchargeIn,
)

router = Router(tags=["shipping"])
SERVICE = "/services/{carrier}/{code}"


def _csv_body(columns: str) -> dict:
    return {
        "requestBody": {
            "required": True,
            "description": f"UTF-8 CSV with the header `{columns}`, at most {MAX_BYTES} bytes.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        "responses": {415: {"description": "The body is not text/csv.", "content": PROBLEM}},
    }


def _writer(request: HttpRequest, what: str) -> Principal:
    principal = principal_of(request)
    principal.require("shipping:write")
    principal.scope.require_unrestricted(what)
    return principal


def _actor(principal: Principal) -> str:
    return f"token:{principal.token.name}"


@router.get("/services", response=Page[ServiceOut], summary="List carriers' services")
def service_list(request: HttpRequest, page: Query[PageParams], carrier: str | None = None):
    principal_of(request).require("shipping:read")
    if carrier is not None and not 0 < len(carrier) <= 32:
        raise DomainError("invalid_carrier", "carrier has 1 to 32 characters.", field="carrier")
    return paginate(selectors.service_list(carrier=carrier), page)


@router.get(SERVICE, response=ServiceOut, summary="Get a service")
def service_get(request: HttpRequest, carrier: str, code: str):
    principal_of(request).require("shipping:read")
    return selectors.service_get(carrier=carrier, code=code)


@router.put(SERVICE, response={200: ServiceOut, 201: ServiceOut}, summary="Create or change")
def service_put(request: HttpRequest, carrier: str, code: str, payload: ServiceIn):
    """A carrier's service, created (201) or changed (200): how it weighs parcels (unit,
    dimensional divisor, minimum volume, increment), its limits and transit days. Audited."""
    principal = _writer(request, "changing a carrier's service")
    existed = selectors.service_list(carrier=carrier).filter(code=code).exists()
    command = ServiceSettings(carrier=carrier, code=code, **payload.model_dump())
    services.carrier_service_save(command=command, actor=_actor(principal))
    return Status(200 if existed else 201, selectors.service_get(carrier=carrier, code=code))


def _table_load(request: HttpRequest, carrier: str, code: str, load) -> Status:
    principal = _writer(request, "loading a service's table")
    if (request.content_type or "") not in ("text/csv", "text/plain"):
        raise DomainError("unsupported_media_type", "Send the file as a text/csv body.", status=415)
    data = request.read(MAX_BYTES + 1)  # the domain refuses more than MAX_BYTES, naming it
    rows = load(service_key=f"{carrier}:{code}", data=data, actor=_actor(principal))
    return Status(200, {"rows": rows})


@router.put(
    f"{SERVICE}/zones", response=LoadedOut, summary="Replace a service's zone table",
    openapi_extra=_csv_body("zone,country,region,postal_prefix"),
)  # fmt: skip
def service_zones_put(request: HttpRequest, carrier: str, code: str):
    """The whole zone table, checked whole: any bad row refuses the file (each named) and the
    table loaded before stands. The most specific rule wins (docs/shipping.md, "Zones")."""
    return _table_load(request, carrier, code, services.service_zones_load)


@router.put(
    f"{SERVICE}/rates", response=LoadedOut, summary="Replace a service's rate sheet",
    openapi_extra=_csv_body("zone,above,up_to,price"),
)  # fmt: skip
def service_rates_put(request: HttpRequest, carrier: str, code: str):
    """The whole rate sheet, checked whole: per zone, brackets from 0 with no gap and no
    overlap, prices exact in the service's currency (docs/shipping.md, "Rate sheets")."""
    return _table_load(request, carrier, code, services.service_rates_load)


def _kind(kind: str) -> str:
    if kind not in SURCHARGE_KINDS:
        raise DomainError(
            "invalid_surcharge", f"kind is one of {', '.join(SURCHARGE_KINDS)}.", field="kind"
        )
    return kind


@router.put(f"{SERVICE}/surcharges/{{kind}}", response=ServiceOut, summary="Set a surcharge")
def service_surcharge_put(
    request: HttpRequest, carrier: str, code: str, kind: str, payload: SurchargeIn
):
    """fuel (`percent`), residential (`amount`), oversize (`amount` past `longest` or
    `length_plus_girth`) or remote_area (`amount` to `prefixes`). Audited."""
    principal = _writer(request, "changing a service's surcharges")
    data = payload.model_dump()
    surcharge = Surcharge(_kind(kind), **{**data, "prefixes": tuple(data["prefixes"])})
    services.service_surcharge_set(
        service_key=f"{carrier}:{code}", surcharge=surcharge, actor=_actor(principal)
    )
    return selectors.service_get(carrier=carrier, code=code)


@router.delete(f"{SERVICE}/surcharges/{{kind}}", response={204: None}, summary="Remove a surcharge")
def service_surcharge_delete(request: HttpRequest, carrier: str, code: str, kind: str):
    principal = _writer(request, "changing a service's surcharges")
    services.service_surcharge_set(
        service_key=f"{carrier}:{code}",
        surcharge=Surcharge(_kind(kind)),
        actor=_actor(principal),
        remove=True,
    )
    return Status(204, None)


def _service_active(request: HttpRequest, carrier: str, code: str, active: bool, reason: str):
    principal = _writer(request, "changing a carrier's service")
    services.carrier_service_activate(
        service_key=f"{carrier}:{code}", active=active, reason=reason, actor=_actor(principal)
    )
    return selectors.service_get(carrier=carrier, code=code)


@router.post(f"{SERVICE}/deactivate", response=ServiceOut, summary="Deactivate a service")
def service_deactivate(request: HttpRequest, carrier: str, code: str, payload: ServiceSwitchIn):
    """No longer quoted nor chosen (its zones, rates and surcharges stay). Audited."""
    return _service_active(request, carrier, code, False, payload.reason)


@router.post(f"{SERVICE}/activate", response=ServiceOut, summary="Activate a service")
def service_activate(request: HttpRequest, carrier: str, code: str, payload: ServiceSwitchIn):
    """Quoted and chosen again. Audited."""
    return _service_active(request, carrier, code, True, payload.reason)


@router.post("/quote", response=QuoteOut, summary="Rate a shipment and choose a service")
def quote(request: HttpRequest, payload: QuoteIn):
    """Every active service's quote for every parcel, explained (zone, weights, bracket,
    surcharges), and the policy's choice among those that carry all the parcels, with the
    runners-up and the services left out with why. Writes nothing."""
    principal_of(request).require("shipping:read")
    d = payload.destination
    choice = selectors.shipment_rates(
        parcels=[_parcel(i, p.model_dump()) for i, p in enumerate(payload.parcels)],
        destination=Destination(d.country, d.region, d.postal_code, d.residential),
        policy=payload.policy,
        ship_day=payload.ship_day or utcnow().date(),
        promised=payload.promised,
        keys=tuple(payload.services),
    )
    return selectors.choice_serialize(choice)


def _parcel(index: int, measures: dict) -> Parcel:
    contents = tuple((i["sku"], i["quantity"]) for i in measures.pop("contents", ()))
    try:
        return Parcel(**measures, contents=contents)
    except DomainError as exc:  # name the parcel: "parcels.1.weight_kg"
        field = exc.errors[0]["field"] if exc.errors else ""
        raise DomainError(exc.code, exc.message, field=f"parcels.{index}.{field}") from None


# -- a fulfillment order rated (docs/shipping.md, "Rating a fulfillment order") ----------------

fulfillment_router = Router(tags=["shipping"])


@fulfillment_router.post(
    "/orders/{int:fo_id}/rates", response={201: RatingOut}, summary="Rate a fulfillment order"
)
def fulfillment_rate(request: HttpRequest, fo_id: int, payload: RateIn):
    """Quote the parcels to the order's shipping address with every active service, choose by
    the policy, and keep the choice, its runners-up and the services left out (with why) on
    the fulfillment order; a line on the order's timeline says what was chosen. Active
    EasyPost or Shippo accounts are asked for live rates beside the sheets (`live: false` to
    skip them); a live choice is shipped by buying its labels (`.../labels/buy-chosen`)."""
    principal = principal_of(request)
    principal.require("fulfillment:write")
    command = RateRequest(
        fo_id=fo_id,
        parcels=[_parcel(i, p.model_dump()) for i, p in enumerate(payload.parcels)],
        policy=payload.policy,
        promised=payload.promised,
        ship_day=payload.ship_day,
        services=tuple(payload.services),
        residential=payload.residential,
        live=payload.live,
    )
    rating = rating_services.fulfillment_rate(
        command=command, actor=_actor(principal), scope=principal.scope
    )
    return Status(201, rating)


@fulfillment_router.get(
    "/orders/{int:fo_id}/rates", response=RatingOut, summary="A fulfillment order's rating"
)
def fulfillment_rating(request: HttpRequest, fo_id: int):
    """The latest rating of the fulfillment order (404 `rating_not_found` before the first)."""
    principal = principal_of(request)
    principal.require("fulfillment:read")
    return rating_services.fulfillment_rating_latest(fo_id=fo_id, scope=principal.scope)


@fulfillment_router.post(
    "/orders/{int:fo_id}/ship-rated",
    response={201: ShipmentCostOut},
    summary="Ship with the rated choice",
)
def fulfillment_ship_rated(request: HttpRequest, fo_id: int, payload: ShipRatedIn):
    """Ship every open item with the service the latest rating chose: one package per rated
    parcel (its weight) with the tracking number given for it. The shipment's cost (the
    rating's total) is kept beside it for the shipping cost reports. 409
    `no_service_chosen` without a rating that chose one."""
    principal = principal_of(request)
    principal.require("fulfillment:write")
    cost = ship_services.fulfillment_ship_rated(
        fo_id=fo_id,
        tracking_numbers=payload.tracking_numbers,
        actor=_actor(principal),
        scope=principal.scope,
    )
    return Status(201, cost)


# ----------------------------------------------------------------------------- box types, packing
# docs/shipping.md, "Parcels and packing": box types are shared configuration (like services);
# a fulfillment order's packing proposal follows the fulfillment order's scope.


@router.get("/boxes", response=list[BoxTypeOut], summary="List box types")
def box_type_list(request: HttpRequest, location: Code | None = None, active: bool | None = None):
    principal_of(request).require("shipping:read")
    return list(selectors.box_type_list(location=location, active=active)[:500])


@router.get("/boxes/{code}", response=BoxTypeOut, summary="One box type")
def box_type_get(request: HttpRequest, code: str, location: Code | None = None):
    principal_of(request).require("shipping:read")
    return selectors.box_type_get(code=code, location=location)


@router.put("/boxes/{code}", response=BoxTypeOut, summary="Create or replace a box type")
def box_type_put(request: HttpRequest, code: str, payload: BoxTypeIn):
    principal = _writer(request, "changing box types")
    p = payload
    command = BoxTypeSettings(
        code=code,
        name=p.name,
        inner=(p.inner_length_mm, p.inner_width_mm, p.inner_height_mm),
        outer=(p.outer_length_mm, p.outer_width_mm, p.outer_height_mm),
        tare_g=p.tare_g,
        max_weight_g=p.max_weight_g,
        location=p.location,
        is_active=p.is_active,
        reason=p.reason,
    )
    return services.box_type_save(command=command, actor=_actor(principal))


@fulfillment_router.get(
    "/orders/{int:fo_id}/packing", response=PackingOut, summary="Boxes proposed for its items"
)
def fulfillment_packing(request: HttpRequest, fo_id: int):
    principal = principal_of(request)
    principal.require("fulfillment:read")
    return selectors.fulfillment_packing_propose(fo_id=fo_id, scope=principal.scope)


# -- policies per channel (docs/shipping.md, "Policies per channel") ---------------------------


@router.get("/policies", response=list[ChannelPolicyOut], summary="List the channels' policies")
def channel_policy_list(request: HttpRequest):
    principal_of(request).require("shipping:read")
    return list(channel_policies.channel_policy_list()[:500])


@router.put(
    "/policies/{channel}",
    response={200: ChannelPolicyOut, 201: ChannelPolicyOut},
    summary="Set a channel's policy",
)
def channel_policy_put(request: HttpRequest, channel: Code, payload: ChannelPolicyIn):
    """The policy the channel's rate shops choose by when the request names none, and the
    service Ordino promises the channel's orders by when the channel promised nothing;
    audited (201 when created, 200 when changed)."""
    principal = _writer(request, "changing shipping policies")
    row, created = channel_policies.channel_policy_set(
        channel=channel,
        policy=payload.policy,
        promise_service=payload.promise_service,
        actor=_actor(principal),
        reason=payload.reason,
    )
    return Status(201 if created else 200, row)


@router.delete("/policies/{channel}", response={204: None}, summary="Remove a channel's policy")
def channel_policy_delete(
    request: HttpRequest, channel: Code, reason: str = Query("", max_length=255)
):
    """Back to cheapest; 404 `channel_policy_not_found` when the channel has none."""
    principal = _writer(request, "changing shipping policies")
    channel_policies.channel_policy_remove(channel=channel, actor=_actor(principal), reason=reason)
    return Status(204, None)
