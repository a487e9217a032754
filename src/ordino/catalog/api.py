"""HTTP adapter: parse, call one service or selector, serialise."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Status

from ordino.catalog import selectors, services
from ordino.catalog.schemas import (
    ComponentsIn,
    ProductIn,
    ProductOut,
    ProductPatch,
    SkuIn,
    SkuOut,
    SkuPatch,
)
from ordino.core.pagination import Page, PageParams, paginate
from ordino.core.params import Code, SearchText, Tag
from ordino.core.principal import principal_of

router = Router(tags=["catalog"])


def _writer(request: HttpRequest) -> None:
    """The catalog is shared by every channel and location: unrestricted tokens change it."""
    principal = principal_of(request)
    principal.require("catalog:write")
    principal.scope.require_unrestricted("changing the catalog")


@router.post("/products", response={201: ProductOut}, summary="Create a product")
def product_create(request: HttpRequest, payload: ProductIn):
    _writer(request)
    return Status(201, services.product_create(**payload.model_dump()))


@router.get("/products", response=Page[ProductOut], summary="List products")
def product_list(
    request: HttpRequest,
    page: Query[PageParams],
    q: SearchText | None = None,
    tag: Tag | None = None,
    active: bool | None = None,
):
    principal_of(request).require("catalog:read")
    return paginate(selectors.product_list(q=q, tag=tag, active=active), page)


@router.get("/products/{code}", response=ProductOut, summary="Get a product")
def product_get(request: HttpRequest, code: str):
    principal_of(request).require("catalog:read")
    return selectors.product_get(code=code)


@router.patch("/products/{code}", response=ProductOut, summary="Change a product")
def product_update(request: HttpRequest, code: str, payload: ProductPatch):
    _writer(request)
    product = selectors.product_get(code=code)
    return services.product_update(product=product, **payload.model_dump(exclude_unset=True))


@router.post("/skus", response={201: SkuOut}, summary="Create a SKU (or a kit)")
def sku_create(request: HttpRequest, payload: SkuIn):
    _writer(request)
    data = payload.model_dump()
    components = data.pop("components")
    sku = services.sku_create(
        product_code=data.pop("product"),
        components=[(c["sku"], c["quantity"]) for c in components] if components else None,
        **data,
    )
    return Status(201, selectors.sku_get(code=sku.code))


@router.get("/skus", response=Page[SkuOut], summary="List SKUs")
def sku_list(
    request: HttpRequest,
    page: Query[PageParams],
    product: Code | None = None,
    tag: Tag | None = None,
    barcode: Code | None = None,
    kind: Literal["simple", "kit"] | None = None,
    q: SearchText | None = None,
    active: bool | None = None,
):
    principal_of(request).require("catalog:read")
    qs = selectors.sku_list(
        product=product, tag=tag, barcode=barcode, kind=kind, q=q, active=active
    )
    return paginate(qs, page)


@router.get("/skus/{code}", response=SkuOut, summary="Get a SKU")
def sku_get(request: HttpRequest, code: str):
    principal_of(request).require("catalog:read")
    return selectors.sku_get(code=code)


@router.patch("/skus/{code}", response=SkuOut, summary="Change a SKU")
def sku_update(request: HttpRequest, code: str, payload: SkuPatch):
    _writer(request)
    sku = selectors.sku_get(code=code)
    services.sku_update(sku=sku, **payload.model_dump(exclude_unset=True))
    return selectors.sku_get(code=code)


@router.put("/skus/{code}/components", response=SkuOut, summary="Set a kit's components")
def kit_components_set(request: HttpRequest, code: str, payload: ComponentsIn):
    _writer(request)
    kit = selectors.sku_get(code=code)
    services.kit_components_set(
        kit=kit, components=[(c.sku, c.quantity) for c in payload.components]
    )
    return selectors.sku_get(code=code)
