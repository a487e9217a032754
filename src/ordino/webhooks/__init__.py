"""Outbound webhooks: subscriptions, signed deliveries, retries, replay (docs/webhooks.md)."""
