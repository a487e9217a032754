"""HTTP adapter of sourcing: parse, call one service or selector, serialise.

Mounted at /api/v1/sourcing (`router`) and /api/v1/promise (`promise_router`). The stored
decisions of an order are served by the orders API (GET /orders/{id}/sourcing).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from ordino.accounts.auth import principal_of
from ordino.core.domain.clock import utcnow
from ordino.sourcing import selectors, services, simulation
from ordino.sourcing.schemas import (
    ActivateIn,
    AuditOut,
    BacktestIn,
    BacktestOut,
    CartIn,
    DraftIn,
    ProfileCreateIn,
    ProfileOut,
    PromiseIn,
    PromiseOut,
    ScheduleIn,
    ScheduleOut,
    SimulateIn,
    SimulateOut,
    TransitTimesIn,
    ValidateIn,
    ValidationOut,
    VersionOut,
    ZonesIn,
    ZonesOut,
)

router = Router(tags=["sourcing"])
promise_router = Router(tags=["sourcing"])


def _actor(request: HttpRequest) -> str:
    return f"token:{principal_of(request).token.name}"


def _writer(request: HttpRequest) -> None:
    """Sourcing configuration steers the whole network: unrestricted tokens change it."""
    principal = principal_of(request)
    principal.require("sourcing:write")
    principal.scope.require_unrestricted("changing sourcing configuration")


def _profile_reader(request: HttpRequest) -> None:
    """Profiles name every location, group and channel they route: unrestricted tokens only."""
    _what_if(request, "reading sourcing profiles")


def _what_if(request: HttpRequest, what: str) -> None:
    """Simulations and back-tests replay any order over every location: unrestricted only."""
    principal = principal_of(request)
    principal.require("sourcing:read")
    principal.scope.require_unrestricted(what)


def _profile_out(code: str):
    return selectors.profile_serialize(selectors.profile_get(code=code), utcnow())


@router.post("/profiles", response={201: ProfileOut}, summary="Create a sourcing profile")
def profile_create(request: HttpRequest, payload: ProfileCreateIn):
    """A profile, with a first draft when `definition` is given (validated: refused with every
    problem's path when wrong). The first profile is the one order capture uses."""
    _writer(request)
    profile = services.profile_create(**payload.model_dump(), actor=_actor(request))
    return Status(201, _profile_out(profile.code))


@router.get("/profiles", response=list[ProfileOut], summary="List sourcing profiles")
def profile_list(request: HttpRequest):
    _profile_reader(request)
    now = utcnow()
    return [selectors.profile_serialize(p, now) for p in selectors.profile_list()]


@router.get("/profiles/{code}", response=ProfileOut, summary="Get a sourcing profile")
def profile_get(request: HttpRequest, code: str):
    _profile_reader(request)
    return _profile_out(code)


@router.put("/profiles/{code}/draft", response=VersionOut, summary="Save the profile's draft")
def draft_save(request: HttpRequest, code: str, payload: DraftIn):
    """Create or replace the draft. Bad configuration (an unknown location group, a strategy
    that can never match, a cycle of fallbacks, ...) is refused and nothing is saved."""
    _writer(request)
    profile = selectors.profile_get(code=code)
    values = payload.model_dump(exclude_unset=True)
    draft = services.profile_draft_save(profile=profile, actor=_actor(request), **values)
    return selectors.version_serialize(draft)


@router.post(
    "/profiles/{code}/draft/validate", response=ValidationOut, summary="Validate a definition"
)
def draft_validate(request: HttpRequest, code: str, payload: ValidateIn):
    """Check the stored draft, or `definition`, without saving anything."""
    _profile_reader(request)
    profile = selectors.profile_get(code=code)
    return services.profile_draft_validate(profile=profile, definition=payload.definition)


@router.post(
    "/profiles/{code}/versions/{int:number}/activate",
    response=ProfileOut,
    summary="Activate a draft",
)
def version_activate(
    request: HttpRequest, code: str, number: int, payload: ActivateIn | None = None
):
    """Activate the draft `number`, at once or from `effective_from`. The next order captured
    once it is in effect uses it; versions it supersedes are retired."""
    _writer(request)
    profile = selectors.profile_get(code=code)
    values = payload.model_dump(exclude_unset=True) if payload is not None else {}
    services.profile_version_activate(
        profile=profile, number=number, actor=_actor(request), **values
    )
    return _profile_out(code)


@router.post(
    "/profiles/{code}/default", response=ProfileOut, summary="Make this the profile capture uses"
)
def profile_default(request: HttpRequest, code: str):
    _writer(request)
    services.profile_default_set(profile=selectors.profile_get(code=code), actor=_actor(request))
    return _profile_out(code)


@router.get("/profiles/{code}/versions", response=list[VersionOut], summary="List versions")
def version_list(request: HttpRequest, code: str):
    _profile_reader(request)
    return selectors.versions_serialize(selectors.profile_get(code=code), utcnow())


@router.get("/profiles/{code}/audit", response=list[AuditOut], summary="Who changed what")
def audit_list(request: HttpRequest, code: str):
    _profile_reader(request)
    return [
        {
            "action": a.action,
            "version": a.version.number if a.version else a.data.get("number"),
            "actor": a.actor,
            "data": a.data,
            "created_at": a.created_at,
        }
        for a in selectors.audit_list(profile=selectors.profile_get(code=code))
    ]


def _case(order_id: int | None, cart: CartIn | None, request: HttpRequest):
    scope = principal_of(request).scope
    if order_id is not None:
        return simulation.order_case(order_id=order_id, now=utcnow(), scope=scope)
    assert cart is not None
    return simulation.cart_case(
        lines=[line.model_dump() for line in cart.lines],
        destination=cart.destination.model_dump() if cart.destination else {},
        channel=cart.channel,
        delivery_method=cart.delivery_method,
        pickup_location=cart.pickup_location,
        value=cart.value,
        currency=cart.currency,
        customer_tags=cart.customer_tags,
        scope=scope,
    )


@router.post("/simulate", response=SimulateOut, summary="Simulate a profile on an order or cart")
def simulate(request: HttpRequest, payload: SimulateIn):
    """The decision a profile version (or a definition not yet saved) would take for an
    existing order or a hypothetical cart, with its explanation. Nothing is reserved."""
    _what_if(request, "simulating sourcing")
    now = payload.at or utcnow()
    profile, label = simulation.profile_choose(
        profile_code=payload.profile,
        version=payload.version,
        definition=payload.definition,
        now=now,
    )
    case = _case(payload.order_id, payload.cart, request)
    return simulation.sourcing_simulate(case=case, profile=profile, label=label, now=now)


@router.post("/backtest", response=BacktestOut, summary="Back-test a draft on past orders")
def backtest(request: HttpRequest, payload: BacktestIn):
    """Run the candidate (the draft by default) and the baseline (the version in effect) over
    the last N orders and compare split rate, average distance, share shipped from stores,
    unfillable lines, reviews and locations over capacity. Nothing is reserved."""
    _what_if(request, "back-testing sourcing")
    now = utcnow()
    candidate, candidate_label = simulation.profile_choose(
        profile_code=payload.profile,
        version=payload.version,
        definition=payload.definition,
        now=now,
    )
    baseline, baseline_label = simulation.profile_choose(
        profile_code=payload.profile, version=payload.baseline, now=now
    )
    result = simulation.sourcing_backtest(
        candidate=candidate, baseline=baseline, orders=payload.orders, channel=payload.channel
    )
    return {**result, "baseline_profile": baseline_label, "candidate_profile": candidate_label}


@router.get("/zones", response=ZonesOut, summary="The zone table")
def zones_get(request: HttpRequest):
    principal_of(request).require("sourcing:read")
    return selectors.zones_read()


@router.put("/zones", response=ZonesOut, summary="Load the zone table (replaces it)")
def zones_put(request: HttpRequest, payload: ZonesIn):
    """Zones by postal prefix (longest wins), region or country, and km between zones: used
    for distances when a location or the customer has no coordinates."""
    _writer(request)
    services.zones_load(
        zones=[z.model_dump() for z in payload.zones],
        distances=[d.model_dump() for d in payload.distances],
    )
    return selectors.zones_read()


@router.get("/transit-times", response=TransitTimesIn, summary="Transit days per service")
def transit_get(request: HttpRequest):
    principal_of(request).require("sourcing:read")
    return {"transit_times": selectors.transit_times_read()}


@router.put("/transit-times", response=TransitTimesIn, summary="Load transit days (replaces)")
def transit_put(request: HttpRequest, payload: TransitTimesIn):
    _writer(request)
    services.transit_times_load(rows=[t.model_dump() for t in payload.transit_times])
    return {"transit_times": selectors.transit_times_read()}


@router.get("/schedules/{code}", response=ScheduleOut, summary="A location's calendar")
def schedule_get(request: HttpRequest, code: str):
    principal = principal_of(request)
    principal.require("sourcing:read")
    location = selectors.location_by_code(code=code, scope=principal.scope)
    return selectors.schedule_read(location=location)


@router.put("/schedules/{code}", response=ScheduleOut, summary="Set a location's calendar")
def schedule_put(request: HttpRequest, code: str, payload: ScheduleIn):
    """Opening hours, same-day cut-off, closed dates and timezone (validated), and the cost
    per shipment. The open filter, the ranking by cost and promised dates use them."""
    principal = principal_of(request)
    principal.require("sourcing:write")
    location = selectors.location_by_code(code=code, scope=principal.scope)
    principal.scope.require_unrestricted("changing a location's calendar")
    services.location_schedule_set(
        location=location,
        calendar=payload.calendar,
        cost_per_shipment=payload.cost_per_shipment,
    )
    return selectors.schedule_read(location=location)


@promise_router.post("", response=PromiseOut, summary="Promise a date for a cart")
def promise(request: HttpRequest, payload: PromiseIn):
    """Can the cart ship to the destination, from where, and the estimated ship and delivery
    dates: the sourcing profile in effect, each location's cut-off and calendar, and the
    transit days of `service` between zones. Nothing is reserved. A token limited to some
    channels promises in those; one limited to locations is refused (403 `token_restricted`):
    the answer ranks every location."""
    principal = principal_of(request)
    principal.require("sourcing:read")
    principal.scope.require_whole_network("promising a cart")
    now = payload.at or utcnow()
    case = _case(None, payload, request)
    return simulation.sourcing_promise(case=case, service=payload.service, now=now)
