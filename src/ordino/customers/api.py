"""HTTP adapter: parse, call one service or selector, serialise."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from ordino.core.domain.scope import CHANGE
from ordino.core.pagination import Page, PageParams, paginate
from ordino.core.params import CountryOrBlank, SearchText
from ordino.core.principal import principal_of
from ordino.customers import selectors, services
from ordino.customers.schemas import AddressIn, AddressOut, CustomerIn, CustomerOut, CustomerPatch

router = Router(tags=["customers"])


@router.post("", response={201: CustomerOut}, summary="Create a customer")
def customer_create(request: HttpRequest, payload: CustomerIn):
    principal = principal_of(request)
    principal.require("customers:write")
    # A customer made here belongs to no channel and no order: outside every limit.
    principal.scope.require_unrestricted("creating a customer outside an order")
    customer = services.customer_create(**payload.model_dump())
    return Status(201, selectors.customer_get(customer_id=customer.id))


@router.get("", response=Page[CustomerOut], summary="List customers")
def customer_list(
    request: HttpRequest,
    page: Query[PageParams],
    email: SearchText | None = None,
    phone: SearchText | None = None,
    country: CountryOrBlank | None = None,
    q: SearchText | None = None,
):
    principal = principal_of(request)
    principal.require("customers:read")
    qs = selectors.customer_list(
        scope=principal.scope, email=email, phone=phone, country=country, q=q
    )
    return paginate(qs, page)


@router.get("/{int:customer_id}", response=CustomerOut, summary="Get a customer")
def customer_get(request: HttpRequest, customer_id: int):
    principal = principal_of(request)
    principal.require("customers:read")
    return selectors.customer_get(customer_id=customer_id, scope=principal.scope)


@router.patch("/{int:customer_id}", response=CustomerOut, summary="Change a customer")
def customer_update(request: HttpRequest, customer_id: int, payload: CustomerPatch):
    principal = principal_of(request)
    principal.require("customers:write")
    customer = selectors.customer_get(customer_id=customer_id, scope=principal.scope, reach=CHANGE)
    services.customer_update(customer=customer, **payload.model_dump(exclude_unset=True))
    return selectors.customer_get(customer_id=customer_id)


@router.post("/{int:customer_id}/addresses", response={201: AddressOut}, summary="Add an address")
def customer_address_add(request: HttpRequest, customer_id: int, payload: AddressIn):
    principal = principal_of(request)
    principal.require("customers:write")
    customer = selectors.customer_get(customer_id=customer_id, scope=principal.scope, reach=CHANGE)
    return Status(201, services.customer_address_add(customer=customer, **payload.model_dump()))
