"""Carrier adapters behind one interface (docs/shipping.md, "Carrier adapters"): the offline
rate-sheet carrier, EasyPost and Shippo through their official libraries."""
