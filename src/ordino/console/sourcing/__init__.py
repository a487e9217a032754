"""The sourcing rule pages of the console: what is in effect now, the rule editor (forms, no
JSON), draft vs active side by side with activation and retirement confirmed with a reason,
simulation on an order found by search, and the back-test report (docs/console/rules.md)."""
