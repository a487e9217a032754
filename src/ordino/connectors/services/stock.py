"""Stock pushed to the channel (docs/connectors.md, "Stock pushed to the channel"): the feeds'
`InventoryPusher` port (feeds/ports.py) served by a channel's active connection, registered in
`pusher_resolvers` by wiring.py. Each call goes through the core's transport (rate limits, the
integration log); the requests are built by platforms/stock.py.

A SKU's id at the platform is learned once by a lookup call and kept (`SkuId`); a SKU the
platform has no product for is refused ("unknown SKU at the channel"), and asked about again at
its next push (feeds retry it with backoff). A failed call raises: feeds keep the batch pending
and retry it. A 404 for a kept id (the product was deleted) forgets it and refuses the SKU.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ordino.connectors.models import Connection, SkuId
from ordino.connectors.platforms import stock
from ordino.connectors.services.poll import transport_for
from ordino.connectors.transport import ConnectorTransport, TransportFailed

Level = tuple[str, int]
REFUSED_STATUSES = frozenset({404, 422})  # the platform refused this SKU's write, not the batch


class _StockPusher:
    def __init__(self, connection: Connection, **transport_options: Any) -> None:
        self.connection = connection
        self.transport_options = transport_options
        self._transport: ConnectorTransport | None = None

    @property
    def transport(self) -> ConnectorTransport:
        """Made at the first call: credentials the key cannot read fail the batch (feeds log
        and retry it), not the round before it starts."""
        if self._transport is None:
            self._transport = transport_for(self.connection, **self.transport_options)
        return self._transport


class ShopifyStockPusher(_StockPusher):
    system = "shopify"
    operation = "inventory_levels/set"

    def push(self, channel_code: str, levels: list[Level]) -> list[tuple[str, str]]:
        location_id = self._location()
        ids = _known(self.connection, [sku for sku, _ in levels])
        missing = [sku for sku, _ in levels if sku not in ids]
        for chunk in _chunks(missing, stock.LOOKUP_MAX):
            answer = self.transport.post(
                f"/admin/api/{stock.SHOPIFY_API_VERSION}/graphql.json",
                json=stock.shopify_sku_query(chunk), operation="graphql/productVariants",
            )  # fmt: skip
            try:
                learned = stock.shopify_sku_ids(chunk, answer)
            except ValueError as exc:
                raise TransportFailed(str(exc)) from None
            ids.update(_learn(self.connection, {sku: (i, None) for sku, i in learned.items()}))
        built = stock.shopify_inventory_set(
            levels, location_id=location_id, inventory_item_ids={s: i for s, (i, _) in ids.items()}
        )
        refused = dict(built.refused)
        for request in built.requests:
            try:
                self.transport.post(request.path, json=request.body, operation=self.operation)
            except TransportFailed as exc:
                if exc.status_code not in REFUSED_STATUSES:
                    raise
                refused.update(_refused(self.connection, request.skus, exc))
        return list(refused.items())

    def _location(self) -> int:
        if self.connection.inventory_location_id is not None:
            return self.connection.inventory_location_id
        answer = self.transport.get(
            f"/admin/api/{stock.SHOPIFY_API_VERSION}/locations.json", operation="locations/list"
        )
        location = stock.shopify_location(answer)
        if location is None:
            raise TransportFailed(
                "the shop has several active locations: set the connection's inventory "
                "location (inventory_location_id)"
            )
        Connection.objects.filter(pk=self.connection.pk).update(inventory_location_id=location)
        self.connection.inventory_location_id = location
        return location


class WooCommerceStockPusher(_StockPusher):
    system = "woocommerce"
    operation = "products/batch"

    def push(self, channel_code: str, levels: list[Level]) -> list[tuple[str, str]]:
        ids = _known(self.connection, [sku for sku, _ in levels])
        missing = [sku for sku, _ in levels if sku not in ids]
        for chunk in _chunks(missing, stock.LOOKUP_MAX):
            answer = self.transport.get(
                "/wp-json/wc/v3/products",
                params=stock.woocommerce_sku_params(chunk), operation="products/list",
            )  # fmt: skip
            learned = stock.woocommerce_sku_ids(chunk, answer)
            ids.update(
                _learn(
                    self.connection,
                    {sku: (w.product_id, w.parent_id) for sku, w in learned.items()},
                )
            )
        built = stock.woocommerce_stock_batch(
            levels, ids={sku: stock.WooId(i, parent) for sku, (i, parent) in ids.items()}
        )
        refused = dict(built.refused)
        for request in built.requests:
            answer = self.transport.post(request.path, json=request.body, operation=self.operation)
            refused.update(stock.woocommerce_batch_refused(request, answer))
        return list(refused.items())


PUSHERS = {"shopify": ShopifyStockPusher, "woocommerce": WooCommerceStockPusher}


def stock_pusher_for(channel_code: str) -> ShopifyStockPusher | WooCommerceStockPusher | None:
    """The pusher of the channel's active connection, when its platform takes stock and it has
    credentials; None: feeds use their default (feeds/ports.py)."""
    connection = (
        Connection.objects.filter(
            channel__code=channel_code, is_active=True, platform__in=list(PUSHERS)
        )
        .exclude(credentials_encrypted="")
        .first()
    )
    if connection is None:
        return None
    return PUSHERS[connection.platform](connection)


def _known(connection: Connection, skus: list[str]) -> dict[str, tuple[int, int | None]]:
    rows = SkuId.objects.filter(connection=connection, sku__in=skus)
    return {
        sku: (i, parent) for sku, i, parent in rows.values_list("sku", "external_id", "parent_id")
    }


def _learn(
    connection: Connection, learned: Mapping[str, tuple[int, int | None]]
) -> dict[str, tuple[int, int | None]]:
    SkuId.objects.bulk_create(
        [
            SkuId(connection=connection, sku=sku, external_id=i, parent_id=parent)
            for sku, (i, parent) in learned.items()
        ],
        ignore_conflicts=True,  # another worker learned it meanwhile: the same id
    )
    return dict(learned)


def _refused(connection: Connection, skus: Iterable[str], exc: TransportFailed) -> dict[str, str]:
    """A 404: the kept id is gone at the platform (forgotten, looked up again next time)."""
    if exc.status_code == 404:
        SkuId.objects.filter(connection=connection, sku__in=list(skus)).delete()
        return {sku: f"{stock.UNMAPPED} (its id answered 404)" for sku in skus}
    return {sku: f"refused by the platform: {exc}"[:300] for sku in skus}


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
