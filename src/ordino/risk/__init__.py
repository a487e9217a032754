"""Fraud screening: risk signals per order, combined into a score holds test (docs/risk.md)."""
