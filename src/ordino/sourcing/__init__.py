"""Sourcing: which locations ship which lines of an order, and why (DESIGN decision 4)."""
