"""The pure rules of cases: the business calendar, the status table, the escalation ladder and
the built-in case types (no Django, no tables)."""
