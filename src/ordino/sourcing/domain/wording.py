"""The candidate sentences of an explanation in a store manager's words: the location's kind, what
it holds of the order, how far it is, its place in the ranking with the values that decided it
in plain units, and whether it ships ("(store) has all 3 items and is 4 km away; ranked 1st of
2 (stores 1st in the kind preference, priority 10); ships"). The numbers stay in the structured
fields."""

from __future__ import annotations

from collections.abc import Mapping

from ordino.sourcing.domain.facts import LocationFacts

KIND_WORDS = {"warehouse": "warehouse", "store": "store", "dropship": "dropship supplier"}


def ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def kind_word(location: LocationFacts) -> str:
    return KIND_WORDS.get(location.kind, location.kind)


def holding(placed: int, wanted: int) -> str:
    if wanted and placed >= wanted:
        return "has the 1 item" if wanted == 1 else f"has all {wanted} items"
    if placed == 0:
        return f"has none of the {wanted} items"
    return f"has {placed} of the {wanted} items"


def distance_words(km: float | None) -> str:
    return "its distance is unknown" if km is None else f"is {km:.0f} km away"


def value_words(name: str, value: object, location: LocationFacts) -> str:
    """One ranking criterion's value, as a person reads it."""
    if name == "priority":
        return f"priority {value}"
    if name == "distance":
        return "distance unknown" if value is None else f"{float(value):.0f} km"  # type: ignore[arg-type]
    if name == "stock_depth":
        return f"{value} units in stock"
    if name == "cost":
        return "cost unknown" if value is None else f"{value} per shipment"
    if name == "fewest_shipments":
        return f"covers {float(value) * 100:.0f}% of the order alone"  # type: ignore[arg-type]
    if name == "capacity_left":
        return "no daily limit" if value is None else f"{value} shipments left today"
    if name == "kind":
        return f"{kind_word(location)}s {ordinal(int(value) + 1)} in the kind preference"  # type: ignore[call-overload]
    if name == "group":
        return f"{ordinal(int(value) + 1)} in the group preference"  # type: ignore[call-overload]
    return f"{name} {value}"


def kept_sentence(
    location: LocationFacts,
    *,
    placed: int,
    wanted: int,
    km: float | None,
    rank: int,
    kept: int,
    values: Mapping[str, object],
    score: float | None,
    ships: bool,
) -> str:
    """Why a kept location ranks where it does, and whether it ships."""
    by = ", ".join(value_words(name, value, location) for name, value in values.items())
    scored = "" if score is None else f", score {score:.3f}"
    role = "ships" if ships else "not needed"
    return (
        f"({kind_word(location)}) {holding(placed, wanted)} and {distance_words(km)}; "
        f"ranked {ordinal(rank)} of {kept} ({by}{scored}); {role}"
    )


def removed_sentence(location: LocationFacts, reason: str) -> str:
    """Why a location was left out (the filter's reason, with its numbers)."""
    return f"({kind_word(location)}) left out: {reason}"
