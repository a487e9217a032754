"""Channel connectors: Shopify, WooCommerce, Amazon, eBay (docs/connectors.md)."""
