"""Rules: the one condition language of holds, approvals, sourcing and case routing."""
