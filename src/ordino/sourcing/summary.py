"""A profile definition in words: the readable summary the console shows (one line per part of
each strategy), so that a draft and the active version can be read and compared side by side
without reading JSON. Pure functions over the definition's dict form (docs/sourcing.md)."""

from __future__ import annotations

from collections.abc import Mapping

from ordino.core.domain.display import status_word

FACT_WORDS = {
    "channel": "channel",
    "delivery_method": "delivery method",
    "destination.country": "destination country",
    "destination.region": "destination region",
    "destination.postal_code": "destination postal code",
    "order.value": "order value",
    "order.currency": "order currency",
    "order.lines": "number of lines",
    "order.units": "number of items",
    "customer.tags": "customer tags",
    "lines.sku_tags": "product tags",
}
OPERATOR_WORDS = {
    "eq": "is",
    "ne": "is not",
    "in": "is one of",
    "not_in": "is none of",
    "prefix": "starts with",
    "gt": "is more than",
    "gte": "is at least",
    "lt": "is less than",
    "lte": "is at most",
    "contains": "include",
    "contains_any": "include any of",
}
CRITERION_WORDS = {
    "priority": "location priority (lower first)",
    "distance": "nearest to the customer",
    "stock_depth": "most stock of the ordered products",
    "cost": "cheapest shipment",
    "fewest_shipments": "covers most of the order alone",
    "capacity_left": "most capacity left today",
    "kind": "location kind",
    "group": "location group",
}
HAS_STOCK_WORDS = {
    "any": "holds at least one ordered item",
    "full_line": "holds at least one line in full",
    "all_lines": "holds the whole order",
}
OPEN_WORDS = {"before_cutoff": "before today's cut-off", "open_now": "open right now"}
FALLBACK_WORDS = {
    "next": "try the next strategy",
    "strategy": "jump to another strategy",
    "backorder": "backorder the rest",
    "review": "send the order to review",
    "cancel_after": "backorder the rest and cancel it after some days",
}


def _listed(values: object) -> str:
    if isinstance(values, list | tuple):
        return ", ".join(str(v) for v in values)
    return str(values)


def condition_words(node: object) -> str:
    """A condition node (rules/domain dict form) as a sentence."""
    if not isinstance(node, Mapping):
        return "always"
    if "all" in node:
        items = node["all"] or []
        return " and ".join(_wrapped(i) for i in items) if items else "always"
    if "any" in node:
        items = node["any"] or []
        return " or ".join(_wrapped(i) for i in items) if items else "never"
    if "not" in node:
        return f"not ({condition_words(node['not'])})"
    fact = FACT_WORDS.get(str(node.get("fact")), str(node.get("fact")))
    op = OPERATOR_WORDS.get(str(node.get("op")), str(node.get("op")))
    return f"{fact} {op} {_listed(node.get('value'))}"


def _wrapped(node: object) -> str:
    text = condition_words(node)
    return f"({text})" if isinstance(node, Mapping) and ("all" in node or "any" in node) else text


def filter_words(rule: Mapping) -> str:
    kind = rule.get("type")
    if kind == "in_groups":
        return f"in group {_listed(rule.get('groups'))}"
    if kind == "has_stock":
        return HAS_STOCK_WORDS.get(str(rule.get("mode", "any")), str(rule.get("mode")))
    if kind == "open":
        return OPEN_WORDS.get(str(rule.get("mode", "before_cutoff")), str(rule.get("mode")))
    if kind == "capacity_left":
        return f"at least {rule.get('minimum', 1)} shipment(s) of capacity left today"
    if kind == "within_distance":
        unknown = "kept" if rule.get("unknown") == "keep" else "left out"
        return f"within {rule.get('km')} km (unknown distance: {unknown})"
    if kind == "kind_in":
        return f"only {_listed([status_word(k) for k in rule.get('kinds') or []]).lower()}"
    if kind == "exclude_locations":
        return f"never {_listed(rule.get('codes'))}"
    return str(kind)


def criterion_words(item: Mapping) -> str:
    name = str(item.get("criterion"))
    text = CRITERION_WORDS.get(name, name)
    if item.get("prefer"):
        text += f" ({' before '.join(str(p) for p in item['prefer'])})"
    if item.get("weight") not in (None, 1, 1.0):
        text += f" × {item['weight']}"
    return text


def split_words(split: Mapping | None) -> str:
    split = split or {}
    limit = split.get("max_shipments")
    if limit == 1:
        text = "ship complete from one location"
    elif limit is None:
        text = "any number of shipments"
    else:
        text = f"at most {limit} shipments"
    if split.get("fill") == "rank_order":
        text += ", filled in ranking order"
    else:
        text += ", fewest shipments first"
    if split.get("line_split") is False:
        text += ", a line never split"
    return text


def fallback_words(fallback: Mapping | None) -> str:
    fallback = fallback or {"kind": "backorder"}
    kind = fallback.get("kind", "backorder")
    if kind == "strategy":
        return f"jump to strategy “{fallback.get('strategy')}”"
    if kind == "cancel_after":
        return f"backorder the rest, cancel it after {fallback.get('days')} days"
    return FALLBACK_WORDS.get(str(kind), str(kind))


def strategy_lines(strategy: Mapping) -> list[tuple[str, str]]:
    """(label, words) for each part of one strategy, in the order the engine applies them."""
    ranking = strategy.get("ranking") or {}
    criteria = ranking.get("criteria") or [{"criterion": "priority"}]
    order = " then ".join(criterion_words(c) for c in criteria)
    if ranking.get("mode") == "weighted":
        order = f"weighted: {order}"
    filters = strategy.get("filters") or []
    return [
        (
            "When",
            condition_words(strategy.get("condition")) if strategy.get("condition") else "always",
        ),
        (
            "Keep locations",
            "; ".join(filter_words(f) for f in filters) or "every location that ships",
        ),
        ("Prefer", order),
        ("Split", split_words(strategy.get("split"))),
        ("If not everything fits", fallback_words(strategy.get("fallback"))),
    ]


def definition_summary(definition: Mapping | None) -> list[dict[str, object]]:
    """[{name, lines: [(label, words)]}] for each strategy of a definition."""
    strategies = (definition or {}).get("strategies") or []
    return [
        {"name": str(s.get("name", "")), "lines": strategy_lines(s)}
        for s in strategies
        if isinstance(s, Mapping)
    ]


def side_by_side(left: Mapping | None, right: Mapping | None) -> list[dict[str, object]]:
    """Rows comparing two definitions strategy by strategy (matched by position):
    {name_left, name_right, rows: [{label, left, right, changed}]}, `changed` marks a difference."""
    a, b = definition_summary(left), definition_summary(right)
    out = []
    for i in range(max(len(a), len(b))):
        sa = a[i] if i < len(a) else {"name": "", "lines": []}
        sb = b[i] if i < len(b) else {"name": "", "lines": []}
        la, lb = dict(sa["lines"]), dict(sb["lines"])  # type: ignore[arg-type]
        labels = [label for label, _ in (sa["lines"] or sb["lines"])]  # type: ignore[union-attr]
        rows = [
            {
                "label": label,
                "left": la.get(label, "—"),
                "right": lb.get(label, "—"),
                "changed": la.get(label) != lb.get(label),
            }
            for label in labels
        ]
        out.append(
            {
                "left_name": sa["name"],
                "right_name": sb["name"],
                "renamed": sa["name"] != sb["name"],
                "rows": rows,
            }
        )
    return out
