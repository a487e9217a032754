"""The order page's money panel and its actions (docs/payments.md)."""
