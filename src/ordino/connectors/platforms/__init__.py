"""The platforms the connector core knows, by code (docs/connectors.md). A new platform: a module
with a `PLATFORM` object of `base.Platform`'s shape, and one line here."""

from __future__ import annotations

from ordino.connectors.platforms import shopify
from ordino.connectors.platforms.base import Platform

PLATFORMS: dict[str, Platform] = {
    "shopify": shopify.PLATFORM,
}
