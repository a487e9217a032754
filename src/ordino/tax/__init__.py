"""Tax (docs/tax.md)."""
