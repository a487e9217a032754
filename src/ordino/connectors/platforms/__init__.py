"""The platforms the connector core knows, by code (docs/connectors.md). A new platform: a module
with a `PLATFORM` object of `base.Platform`'s shape, and one line here."""

from __future__ import annotations

from ordino.connectors.platforms import amazon, ebay, shopify, woocommerce
from ordino.connectors.platforms.base import Platform

# Amazon's v0 Orders API (`amazon_v0.py`, retired 2027-03-27) maps too, but its pull needs the
# connection's marketplace ids, which a connection does not hold yet (docs/connectors.md).
PLATFORMS: dict[str, Platform] = {
    "shopify": shopify.PLATFORM,
    "woocommerce": woocommerce.PLATFORM,
    "amazon": amazon.PLATFORM,
    "ebay": ebay.PLATFORM,
}
