"""The connectors' pure decisions: rate limits (docs/connectors-marketplaces.md)."""
