"""The sourcing engine, pure Python (no Django, no database, no network).

    decision = decide(order_facts, candidate_locations, profile, now)

See docs/sourcing.md for the model, the explanation format and a worked example.
"""

from ordino.sourcing.domain.backtest import (
    BacktestCase,
    Comparison,
    Metrics,
    backtest,
    backtest_compare,
)
from ordino.sourcing.domain.distance import ZoneTable, distance_to, haversine_km
from ordino.sourcing.domain.engine import decide
from ordino.sourcing.domain.explain import (
    ALLOCATED,
    BACKORDER,
    PARTIAL,
    REVIEW,
    Assignment,
    CandidateTrace,
    Decision,
    Explanation,
    SplitTrace,
    StrategyTrace,
    address_unserved,
)
from ordino.sourcing.domain.facts import (
    ORDER_FACTS,
    Destination,
    LocationFacts,
    OrderFacts,
    OrderLine,
    order_fact_values,
)
from ordino.sourcing.domain.opening import Calendar, weekly
from ordino.sourcing.domain.profile import (
    CapacityLeft,
    Criterion,
    ExcludeLocations,
    Fallback,
    HasStock,
    InGroups,
    IsOpen,
    KindIn,
    Profile,
    Ranking,
    SplitLimit,
    Strategy,
    WithinDistance,
    profile_in_effect,
)
from ordino.sourcing.domain.promise import Promise, PromisedShipment, TransitTable, promise
from ordino.sourcing.domain.validation import profile_from_dict, profile_problems

__all__ = [
    "ALLOCATED",
    "BACKORDER",
    "ORDER_FACTS",
    "PARTIAL",
    "REVIEW",
    "Assignment",
    "BacktestCase",
    "Calendar",
    "CandidateTrace",
    "CapacityLeft",
    "Comparison",
    "Criterion",
    "Decision",
    "Destination",
    "ExcludeLocations",
    "Explanation",
    "Fallback",
    "HasStock",
    "InGroups",
    "IsOpen",
    "KindIn",
    "LocationFacts",
    "Metrics",
    "OrderFacts",
    "OrderLine",
    "Profile",
    "Promise",
    "PromisedShipment",
    "Ranking",
    "SplitLimit",
    "SplitTrace",
    "Strategy",
    "StrategyTrace",
    "TransitTable",
    "WithinDistance",
    "ZoneTable",
    "address_unserved",
    "backtest",
    "backtest_compare",
    "decide",
    "distance_to",
    "haversine_km",
    "order_fact_values",
    "profile_from_dict",
    "profile_in_effect",
    "profile_problems",
    "promise",
    "weekly",
]
