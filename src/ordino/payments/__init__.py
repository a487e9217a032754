"""Payments (docs/payments.md)."""
