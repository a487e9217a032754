"""The order page's tax panel (docs/tax.md)."""
