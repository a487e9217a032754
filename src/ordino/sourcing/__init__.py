"""Sourcing: which locations ship which lines of an order, and why (docs/design.md §4)."""
