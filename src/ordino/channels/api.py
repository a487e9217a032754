"""HTTP adapter: parse, call one service or selector, serialise."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Status

from ordino.channels import selectors, services
from ordino.channels.schemas import ChannelIn, ChannelOut, ChannelPatch
from ordino.core.pagination import Page, PageParams, paginate
from ordino.core.principal import principal_of

router = Router(tags=["channels"])


@router.post("", response={201: ChannelOut}, summary="Create a sales channel")
def channel_create(request: HttpRequest, payload: ChannelIn):
    principal = principal_of(request)
    principal.require("channels:write")
    principal.scope.require_unrestricted("creating a channel")
    data = payload.model_dump()
    channel = services.channel_create(
        excluded_location_codes=data.pop("excluded_locations"), **data
    )
    return Status(201, selectors.channel_get(code=channel.code))


@router.get("", response=Page[ChannelOut], summary="List sales channels")
def channel_list(
    request: HttpRequest,
    page: Query[PageParams],
    kind: Literal["web", "marketplace", "pos", "phone", "api", "csv"] | None = None,
    active: bool | None = None,
):
    principal = principal_of(request)
    principal.require("channels:read")
    qs = selectors.channel_list(scope=principal.scope, kind=kind, active=active)
    return paginate(qs, page)


@router.get("/{code}", response=ChannelOut, summary="Get a sales channel")
def channel_get(request: HttpRequest, code: str):
    principal = principal_of(request)
    principal.require("channels:read")
    return selectors.channel_get(code=code, scope=principal.scope)


@router.patch("/{code}", response=ChannelOut, summary="Change a sales channel")
def channel_update(request: HttpRequest, code: str, payload: ChannelPatch):
    principal = principal_of(request)
    principal.require("channels:write")
    channel = selectors.channel_get(code=code, scope=principal.scope)
    principal.scope.require_unrestricted("changing a channel")
    data = payload.model_dump(exclude_unset=True)
    if "excluded_locations" in data:
        data["excluded_location_codes"] = data.pop("excluded_locations")
    services.channel_update(channel=channel, **data)
    return selectors.channel_get(code=code)
