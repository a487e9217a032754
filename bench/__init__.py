"""Ordino's benchmarks: they print figures and never fail on a time (see bench/README.md)."""
