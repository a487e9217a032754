"""HTTP adapter: parse, call one service or selector, serialise."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from ordino.accounts.auth import principal_of
from ordino.core.domain.errors import DomainError
from ordino.core.pagination import Page, PageParams, paginate
from ordino.core.params import CountryOrBlank, SearchText
from ordino.customers import selectors, services
from ordino.customers.schemas import AddressIn, AddressOut, CustomerIn, CustomerOut, CustomerPatch

router = Router(tags=["customers"])


@router.post("", response={201: CustomerOut}, summary="Create a customer")
def customer_create(request: HttpRequest, payload: CustomerIn):
    principal = principal_of(request)
    principal.require("customers:write")
    if principal.channel_ids is not None:
        raise DomainError(
            "channel_restricted",
            "This token is limited to some channels; its customers come with their orders.",
            status=403,
        )
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
        channel_ids=principal.channel_ids, email=email, phone=phone, country=country, q=q
    )
    return paginate(qs, page)


@router.get("/{int:customer_id}", response=CustomerOut, summary="Get a customer")
def customer_get(request: HttpRequest, customer_id: int):
    principal = principal_of(request)
    principal.require("customers:read")
    return selectors.customer_get(customer_id=customer_id, channel_ids=principal.channel_ids)


@router.patch("/{int:customer_id}", response=CustomerOut, summary="Change a customer")
def customer_update(request: HttpRequest, customer_id: int, payload: CustomerPatch):
    principal = principal_of(request)
    principal.require("customers:write")
    customer = selectors.customer_get(customer_id=customer_id, channel_ids=principal.channel_ids)
    services.customer_update(customer=customer, **payload.model_dump(exclude_unset=True))
    return selectors.customer_get(customer_id=customer_id)


@router.post("/{int:customer_id}/addresses", response={201: AddressOut}, summary="Add an address")
def customer_address_add(request: HttpRequest, customer_id: int, payload: AddressIn):
    principal = principal_of(request)
    principal.require("customers:write")
    customer = selectors.customer_get(customer_id=customer_id, channel_ids=principal.channel_ids)
    return Status(201, services.customer_address_add(customer=customer, **payload.model_dump()))
