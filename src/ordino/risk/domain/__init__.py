"""Fraud screening's pure rules: the settings' bounds, the signals, the score (docs/risk.md)."""
