"""Invoices (docs/invoices.md)."""
