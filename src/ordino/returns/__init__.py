"""Returns (docs/returns.md)."""
