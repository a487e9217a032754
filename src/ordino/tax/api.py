"""HTTP adapter: parse, call one service or selector, serialise."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from ordino.core.pagination import Page, PageParams, paginate
from ordino.core.params import Code, Country
from ordino.core.principal import principal_of
from ordino.tax import selectors, services
from ordino.tax.schemas import TaxRateIn, TaxRateOut, TaxRatePatch

router = Router(tags=["tax"])


def _writer(request: HttpRequest, what: str) -> None:
    """Rates tax every channel's orders: unrestricted tokens change them (like locations)."""
    principal = principal_of(request)
    principal.require("tax:write")
    principal.scope.require_unrestricted(what)


@router.post("/rates", response={201: TaxRateOut}, summary="Create a tax rate")
def tax_rate_create(request: HttpRequest, payload: TaxRateIn):
    _writer(request, "creating a tax rate")
    return Status(201, services.tax_rate_create(**payload.model_dump()))


@router.get("/rates", response=Page[TaxRateOut], summary="List tax rates")
def tax_rate_list(
    request: HttpRequest,
    page: Query[PageParams],
    country: Country | None = None,
    tax_class: Code | None = None,
):
    principal_of(request).require("tax:read")
    return paginate(selectors.tax_rate_list(country=country, tax_class=tax_class), page)


@router.patch("/rates/{int:rate_id}", response=TaxRateOut, summary="Change a tax rate")
def tax_rate_update(request: HttpRequest, rate_id: int, payload: TaxRatePatch):
    _writer(request, "changing a tax rate")
    rate = selectors.tax_rate_get(rate_id=rate_id)
    return services.tax_rate_update(tax_rate=rate, **payload.model_dump(exclude_unset=True))


@router.delete("/rates/{int:rate_id}", response={204: None}, summary="Delete a tax rate")
def tax_rate_delete(request: HttpRequest, rate_id: int):
    _writer(request, "deleting a tax rate")
    services.tax_rate_delete(tax_rate=selectors.tax_rate_get(rate_id=rate_id))
    return Status(204, None)
