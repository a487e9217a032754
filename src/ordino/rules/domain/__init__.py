"""The condition language (docs/design.md §5), pure Python: parse, validate, evaluate, explain.

It knows nothing of orders: callers describe their facts with `FactSpec`s and hand in the
values as a mapping. See `ordino.sourcing.domain.facts.ORDER_FACTS` for the order facts.
"""

from ordino.rules.domain.conditions import (
    All,
    Any,
    Compare,
    Condition,
    FactSpec,
    Not,
    condition_parse,
)
from ordino.rules.domain.satisfiability import never_matches

__all__ = [
    "All",
    "Any",
    "Compare",
    "Condition",
    "FactSpec",
    "Not",
    "condition_parse",
    "never_matches",
]
