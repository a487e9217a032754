"""The returns' rules, pure Python: states, eligibility, dispositions and the refund decision
(docs/returns.md)."""
