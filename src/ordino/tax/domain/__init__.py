"""Tax rules as plain Python: which rate applies, and the tax of an order (docs/tax.md)."""
