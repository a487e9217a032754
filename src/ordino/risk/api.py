"""HTTP adapter of fraud screening: parse, call one service or selector, serialise.

Mounted at /api/v1/orders (`orders_router`: an order's risk, re-score; scope area `orders`) and
/api/v1/risk (`router`: the settings; scope area `holds`, whose rules test the score, and
unrestricted tokens only). docs/risk.md."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from ordino.core.principal import principal_of
from ordino.risk import selectors, services
from ordino.risk.domain.settings import settings_dump
from ordino.risk.schemas import OrderRiskOut, RiskSettingsIn, RiskSettingsOut

router = Router(tags=["risk"])
orders_router = Router(tags=["risk"])


def _actor(request: HttpRequest) -> str:
    return f"token:{principal_of(request).token.name}"


@orders_router.get("/{int:order_id}/risk", response=OrderRiskOut, summary="An order's risk")
def order_risk(request: HttpRequest, order_id: int):
    """The score, each signal's contribution and the inputs it saw. 404 `order_not_found`
    outside the caller's scope, `risk_not_found` for an order never scored."""
    principal = principal_of(request)
    principal.require("orders:read")
    return selectors.risk_serialize(
        selectors.order_risk_get(order_id=order_id, scope=principal.scope)
    )


@orders_router.post(
    "/{int:order_id}/risk/rescore", response=OrderRiskOut, summary="Score an order again"
)
def order_risk_rescore(request: HttpRequest, order_id: int):
    principal = principal_of(request)
    principal.require("orders:write")
    risk = services.order_risk_rescore(
        order_id=order_id, actor=_actor(request), scope=principal.scope
    )
    return selectors.risk_serialize(risk)


def _settings_access(request: HttpRequest, mode: str) -> None:
    principal = principal_of(request)
    principal.require(f"holds:{mode}")
    principal.scope.require_unrestricted("fraud screening's settings")


@router.get("/settings", response=RiskSettingsOut, summary="Fraud screening's settings")
def settings_get(request: HttpRequest):
    _settings_access(request, "read")
    return settings_dump(selectors.risk_settings())


@router.patch("/settings", response=RiskSettingsOut, summary="Change fraud screening's settings")
def settings_change(request: HttpRequest, payload: RiskSettingsIn):
    """The settings given change, the others keep their value; 422 `invalid_risk_settings`
    names each problem (nothing changes). Audited."""
    _settings_access(request, "write")
    settings = services.risk_settings_change(
        values=payload.values(), actor=_actor(request), reason=payload.reason
    )
    return settings_dump(settings)
