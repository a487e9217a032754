"""Shipping's pure decisions (docs/shipping.md): billable weight, zones, rate sheets, quotes
explained and the policy that chooses among them. No Django, no tables."""
