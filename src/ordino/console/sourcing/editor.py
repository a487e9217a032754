"""The rule editor's forms: one block per strategy (name, condition rows, filters, ranking rows,
split, fallback) generated from the definition's shape, and back to a definition for the use
case. The engine's refusals (paths like `strategies[1].split.max_shipments`) land next to the
field they name; the forms keep what the person typed."""

from __future__ import annotations

import re
from collections.abc import Mapping

from django import forms

from ordino.locations.models import Location, LocationGroup
from ordino.sourcing.summary import (
    CRITERION_WORDS,
    FACT_WORDS,
    FALLBACK_WORDS,
    HAS_STOCK_WORDS,
    OPEN_WORDS,
    OPERATOR_WORDS,
    condition_words,
)

SPARE_CONDITIONS, SPARE_CRITERIA = 2, 2
NONE = [("", "—")]
KIND_CHOICES = [(k, label) for k, label in Location.KINDS]


def _split_values(text: str) -> list[str]:
    return [v.strip() for v in text.split(",") if v.strip()]


class ConditionRow(forms.Form):
    negate = forms.BooleanField(required=False, label="not")
    fact = forms.ChoiceField(choices=NONE + list(FACT_WORDS.items()), required=False)
    op = forms.ChoiceField(choices=NONE + list(OPERATOR_WORDS.items()), required=False)
    value = forms.CharField(required=False, help_text="several values: separate with commas")

    def node(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("fact"):
            return None
        value: object = data.get("value") or ""
        if data.get("op") in ("in", "not_in", "contains_any"):
            value = _split_values(str(value))
        node = {"fact": data["fact"], "op": data.get("op") or "eq", "value": value}
        return {"not": node} if data.get("negate") else node


class CriterionRow(forms.Form):
    criterion = forms.ChoiceField(choices=NONE + list(CRITERION_WORDS.items()), required=False)
    weight = forms.FloatField(required=False, help_text="weighted ranking only")
    prefer = forms.CharField(
        required=False, help_text="kind or group: preferred first, separated by commas"
    )

    def item(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("criterion"):
            return None
        out: dict[str, object] = {"criterion": data["criterion"]}
        if data.get("weight") not in (None, 1.0):
            out["weight"] = data["weight"]
        if data.get("prefer"):
            out["prefer"] = _split_values(data["prefer"])
        return out


ConditionRows = forms.formset_factory(ConditionRow, extra=0)
CriterionRows = forms.formset_factory(CriterionRow, extra=0)


class StrategyForm(forms.Form):
    name = forms.CharField(required=False, max_length=128)
    remove = forms.BooleanField(required=False, label="Remove this strategy")
    match = forms.ChoiceField(
        choices=[("all", "all of these are true"), ("any", "any of these is true")],
        initial="all",
        label="Applies when",
    )
    kind_in = forms.MultipleChoiceField(
        choices=KIND_CHOICES,
        required=False,
        label="Only these kinds",
        widget=forms.CheckboxSelectMultiple,
    )
    in_groups = forms.MultipleChoiceField(
        choices=[], required=False, label="Only these groups", widget=forms.CheckboxSelectMultiple
    )
    exclude_locations = forms.MultipleChoiceField(
        choices=[],
        required=False,
        label="Never these locations",
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    within_km = forms.FloatField(required=False, label="Within (km)")
    within_unknown = forms.ChoiceField(
        choices=[("exclude", "leave out"), ("keep", "keep")],
        initial="exclude",
        label="Unknown distance",
    )
    open = forms.ChoiceField(choices=NONE + list(OPEN_WORDS.items()), required=False, label="Open")
    capacity_left = forms.IntegerField(required=False, label="Capacity left at least")
    has_stock = forms.ChoiceField(
        choices=NONE + list(HAS_STOCK_WORDS.items()), required=False, label="Stock"
    )
    ranking_mode = forms.ChoiceField(
        choices=[("lexicographic", "in order: the first decides"), ("weighted", "weighted score")],
        initial="lexicographic",
        label="Ranking",
    )
    max_shipments = forms.IntegerField(
        required=False, label="Split limit", help_text="1 = ship complete; empty = no limit"
    )
    fill = forms.ChoiceField(
        choices=[("fewest_shipments", "fewest shipments first"), ("rank_order", "ranking order")],
        initial="fewest_shipments",
    )
    line_split = forms.BooleanField(required=False, initial=True, label="A line may be split")
    fallback = forms.ChoiceField(
        choices=list(FALLBACK_WORDS.items()), initial="backorder", label="If not everything fits"
    )
    fallback_strategy = forms.CharField(required=False, label="Strategy to jump to")
    fallback_days = forms.IntegerField(required=False, label="Cancel after (days)")
    advanced_condition = forms.JSONField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, groups=(), locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["in_groups"].choices = [(g, g) for g in groups]
        self.fields["exclude_locations"].choices = list(locations)

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("name") or "").strip()

    def filters(self) -> list[dict]:
        d = self.cleaned_data
        out: list[dict] = []
        if d.get("kind_in"):
            out.append({"type": "kind_in", "kinds": list(d["kind_in"])})
        if d.get("in_groups"):
            out.append({"type": "in_groups", "groups": list(d["in_groups"])})
        if d.get("exclude_locations"):
            out.append({"type": "exclude_locations", "codes": list(d["exclude_locations"])})
        if d.get("within_km") is not None:
            out.append(
                {
                    "type": "within_distance",
                    "km": d["within_km"],
                    "unknown": d.get("within_unknown") or "exclude",
                }
            )
        if d.get("open"):
            out.append({"type": "open", "mode": d["open"]})
        if d.get("capacity_left") is not None:
            out.append({"type": "capacity_left", "minimum": d["capacity_left"]})
        if d.get("has_stock"):
            out.append({"type": "has_stock", "mode": d["has_stock"]})
        return out

    def fallback_dict(self) -> dict:
        d = self.cleaned_data
        out: dict[str, object] = {"kind": d.get("fallback") or "backorder"}
        if out["kind"] == "strategy":
            out["strategy"] = d.get("fallback_strategy") or ""
        if out["kind"] == "cancel_after":
            out["days"] = d.get("fallback_days")
        return out


FILTER_FIELDS = {
    "kind_in": "kind_in",
    "in_groups": "in_groups",
    "exclude_locations": "exclude_locations",
    "within_distance": "within_km",
    "open": "open",
    "capacity_left": "capacity_left",
    "has_stock": "has_stock",
}


def strategy_initial(strategy: Mapping) -> tuple[dict, list[dict], list[dict]]:
    """The initial data of one strategy block, its condition rows and its criterion rows."""
    initial: dict[str, object] = {"name": strategy.get("name", "")}
    for rule in strategy.get("filters") or []:
        kind = rule.get("type")
        if kind == "kind_in":
            initial["kind_in"] = list(rule.get("kinds") or [])
        elif kind == "in_groups":
            initial["in_groups"] = list(rule.get("groups") or [])
        elif kind == "exclude_locations":
            initial["exclude_locations"] = list(rule.get("codes") or [])
        elif kind == "within_distance":
            initial["within_km"] = rule.get("km")
            initial["within_unknown"] = rule.get("unknown", "exclude")
        elif kind == "open":
            initial["open"] = rule.get("mode", "before_cutoff")
        elif kind == "capacity_left":
            initial["capacity_left"] = rule.get("minimum", 1)
        elif kind == "has_stock":
            initial["has_stock"] = rule.get("mode", "any")
    ranking = strategy.get("ranking") or {}
    initial["ranking_mode"] = ranking.get("mode", "lexicographic")
    split = strategy.get("split") or {}
    initial["max_shipments"] = split.get("max_shipments")
    initial["fill"] = split.get("fill", "fewest_shipments")
    initial["line_split"] = split.get("line_split", True)
    fallback = strategy.get("fallback") or {}
    initial["fallback"] = fallback.get("kind", "backorder")
    initial["fallback_strategy"] = fallback.get("strategy", "")
    initial["fallback_days"] = fallback.get("days")
    rows, match = _condition_rows(strategy.get("condition"))
    if rows is None:  # nested beyond one level: kept as it is, shown in words
        initial["advanced_condition"] = strategy.get("condition")
        rows = []
    initial["match"] = match
    criteria = [
        {
            "criterion": c.get("criterion"),
            "weight": c.get("weight"),
            "prefer": ", ".join(c.get("prefer") or []),
        }
        # No ranking in the definition means the engine's default: by priority. Show it.
        for c in ranking.get("criteria") or [{"criterion": "priority"}]
    ]
    return initial, rows, criteria


def _condition_rows(node: object) -> tuple[list[dict] | None, str]:
    """Rows for a flat condition (all/any of comparisons, each maybe negated); None otherwise."""
    if not node:
        return [], "all"
    if not isinstance(node, Mapping):
        return None, "all"
    match = "any" if "any" in node else "all"
    items = node.get(match) if match in node else [node]
    rows = []
    for item in items or []:
        negate = isinstance(item, Mapping) and "not" in item
        leaf = item["not"] if negate else item
        if not isinstance(leaf, Mapping) or "fact" not in leaf:
            return None, "all"
        value = leaf.get("value")
        shown = ", ".join(str(v) for v in value) if isinstance(value, list) else value
        rows.append({"negate": negate, "fact": leaf["fact"], "op": leaf.get("op"), "value": shown})
    return rows, match


class StrategyBlock:
    """One strategy's form with its two row formsets, bound or not, under prefix s<i>."""

    def __init__(self, index, data=None, strategy=None, *, groups=(), locations=()):
        self.index = index
        prefix = f"s{index}"
        initial, rows, criteria = strategy_initial(strategy or {})
        self.form = StrategyForm(
            data, prefix=prefix, initial=initial, groups=groups, locations=locations
        )
        self.conditions = ConditionRows(
            data, prefix=f"{prefix}-cond", initial=rows + [{}] * SPARE_CONDITIONS
        )
        self.criteria = CriterionRows(
            data, prefix=f"{prefix}-crit", initial=criteria + [{}] * SPARE_CRITERIA
        )
        if data is not None:  # a bound formset counts the rows posted; keep the spare ones
            self.conditions.extra = self.criteria.extra = 0
        self.condition_positions: list[int] = []
        self.criterion_positions: list[int] = []

    def is_valid(self) -> bool:
        return all([self.form.is_valid(), self.conditions.is_valid(), self.criteria.is_valid()])

    def advanced_words(self) -> str:
        """A condition nested deeper than the rows show, in words ("" when there is none)."""
        if self.form.is_bound:
            node = getattr(self.form, "cleaned_data", {}).get("advanced_condition")
        else:
            node = self.form.initial.get("advanced_condition")
        return condition_words(node) if node else ""

    def definition(self) -> dict:
        d = self.form.cleaned_data
        strategy: dict[str, object] = {"name": d["name"].strip()}
        nodes = []
        self.condition_positions = []
        for i, row in enumerate(self.conditions.forms):
            node = row.node()
            if node is not None:
                nodes.append(node)
                self.condition_positions.append(i)
        if d.get("advanced_condition"):
            strategy["condition"] = d["advanced_condition"]
        elif nodes:
            strategy["condition"] = {d.get("match") or "all": nodes}
        strategy["filters"] = self.form.filters()
        criteria = []
        self.criterion_positions = []
        for i, row in enumerate(self.criteria.forms):
            item = row.item()
            if item is not None:
                criteria.append(item)
                self.criterion_positions.append(i)
        strategy["ranking"] = {
            "mode": d.get("ranking_mode") or "lexicographic",
            "criteria": criteria,
        }
        strategy["split"] = {
            "max_shipments": d.get("max_shipments"),
            "fill": d.get("fill") or "fewest_shipments",
            "line_split": bool(d.get("line_split")),
        }
        strategy["fallback"] = self.form.fallback_dict()
        return strategy

    def place_error(self, rest: str, message: str) -> None:
        """Attach the engine's message about `strategies[i].<rest>` to the field it names."""
        form = self.form
        m = re.match(r"condition\.(?:all|any)\[(\d+)\](?:\.not)?(?:\.(fact|op|value))?", rest)
        if m and not form.cleaned_data.get("advanced_condition"):
            row = self._row(self.conditions, self.condition_positions, int(m.group(1)))
            if row is not None:
                row.add_error(m.group(2) or None, message)
                return
        m = re.match(r"ranking\.criteria\[(\d+)\](?:\.(criterion|weight|prefer))?", rest)
        if m:
            row = self._row(self.criteria, self.criterion_positions, int(m.group(1)))
            if row is not None:
                row.add_error(m.group(2) or None, message)
                return
        m = re.match(r"filters\[(\d+)\]", rest)
        if m:
            filters = self.form.filters()
            index = int(m.group(1))
            if index < len(filters):
                form.add_error(FILTER_FIELDS[filters[index]["type"]], message)
                return
        simple = {
            "name": "name",
            "condition": "match",
            "ranking.mode": "ranking_mode",
            "ranking.criteria": "ranking_mode",
            "split.max_shipments": "max_shipments",
            "split.fill": "fill",
            "fallback.strategy": "fallback_strategy",
            "fallback.days": "fallback_days",
            "fallback": "fallback",
            "fallback.kind": "fallback",
        }
        field = simple.get(rest) or simple.get(rest.split("[")[0].split(".")[0])
        form.add_error(field, message)

    @staticmethod
    def _row(formset, positions: list[int], index: int):
        if index < len(positions):
            return formset.forms[positions[index]]
        return None


class VersionForm(forms.Form):
    effective_from = forms.DateTimeField(
        required=False,
        label="In effect from",
        help_text="empty: as soon as it is activated. Format: 2026-12-01 00:00 (UTC)",
    )
    note = forms.CharField(required=False, max_length=500, label="Note (what changes and why)")


def known_codes() -> tuple[list[str], list[tuple[str, str]]]:
    """Group codes, and (code, "name (code)") of the locations, that the filters may name."""
    groups = list(LocationGroup.objects.order_by("code").values_list("code", flat=True))
    locations = [
        (code, f"{name} ({code})")
        for code, name in Location.objects.order_by("name").values_list("code", "name")
    ]
    return groups, locations


def strip_path(message: str, path: str) -> str:
    """The engine's message without its leading path (the field already says where)."""
    prefix = f"{path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message
