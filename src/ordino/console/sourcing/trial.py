"""Try a draft before activating it: on one order found by search (what the draft would decide
vs what the version in effect decides, in plain words), and back-tested on past orders (the
same `sourcing.simulation` reads the API uses; nothing is reserved)."""

from __future__ import annotations

from datetime import UTC, datetime, time

from django import forms
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse

from ordino.accounts.staff import console_principal
from ordino.console.pages import console_render, console_view
from ordino.console.sourcing.common import require_view, rule_state
from ordino.core.domain.clock import utcnow
from ordino.core.domain.display import status_word
from ordino.core.domain.errors import DomainError
from ordino.locations.models import Location
from ordino.orders.models import Order
from ordino.orders.selectors import order_scope_q
from ordino.sourcing import simulation
from ordino.sourcing.domain.distance import distance_to
from ordino.sourcing.facts import zone_table
from ordino.sourcing.selectors import explanation_sentences
from ordino.sourcing.services import BUILT_IN

MAX_BACKTEST_ORDERS = 500


class SearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        label="Find an order",
        help_text="order number, external id or e-mail",
        widget=forms.TextInput(attrs={"size": 40, "autofocus": True}),
    )


def order_search(request: HttpRequest, text: str, limit: int = 10) -> list[Order]:
    """Orders the user may see whose number, external id or e-mail matches `text`."""
    text = text.strip().lstrip("#")
    if not text:
        return []
    match = Q(external_id__iexact=text) | Q(external_id__istartswith=text)
    if "@" in text:
        match = Q(email__iexact=text)
    elif text.isdigit():
        match |= Q(pk=int(text))
    scope = order_scope_q(console_principal(request).scope)
    return list(
        Order.objects.filter(scope, match).select_related("channel").order_by("-created_at")[:limit]
    )


def _profiles(state, now):
    """(label, Profile) of the version in effect and of the draft (None when no draft)."""
    if state.active is None:
        active = ("the built-in rule", BUILT_IN)
    else:
        profile, _ = simulation.profile_choose(
            profile_code=state.code, version=state.active.number, now=now
        )
        active = (f"version {state.active.number} (in effect)", profile)
    draft = None
    if state.draft is not None:
        profile, _ = simulation.profile_choose(profile_code=state.code, version="draft", now=now)
        draft = (f"draft version {state.draft.number}", profile)
    return active, draft


def plain_decision(case, result: dict, locations: dict[str, Location], zones) -> dict:
    """A simulated decision as a store manager reads it: where each shipment comes from (name,
    kind, distance, items) and what is left over."""
    facts = {c.code: c for c in case.candidates}
    quantities = {line.key: line.quantity for line in case.order.lines}
    wanted = sum(quantities.values())
    shipments = []
    for shipment in result["shipments"]:
        code = shipment["location"]
        loc = locations.get(code)
        items = sum(shipment["lines"].values())
        km = distance_to(facts[code], case.order.destination, zones).km if code in facts else None
        name = loc.name if loc else code
        kind = status_word(loc.kind).lower() if loc else ""
        distance = "distance unknown" if km is None else f"{km:.0f} km away"
        whole = "all" if items == wanted else f"{items} of"
        shipments.append(
            {
                "name": name,
                "kind": kind,
                "items": items,
                "km": None if km is None else round(km),
                "sentence": f"{name} ({kind}) ships {whole} {wanted} items and is {distance}.",
            }
        )
    backordered = sum(result["backordered"].values())
    return {
        "outcome": status_word(str(result["outcome"])),
        "strategy": result["strategy"],
        "shipments": shipments,
        "backordered": backordered,
        "summary": result["explanation"]["summary"],
        "sentences": explanation_sentences(
            result["explanation"], {code: loc.name for code, loc in locations.items()}
        ),
    }


@console_view
def rules_simulate(request: HttpRequest, code: str) -> HttpResponse:
    """Search an order, pick it, see the draft's decision next to the active one's."""
    require_view(request)
    state = rule_state(code)
    if state.profile is None and code != "default":
        raise Http404
    form = SearchForm(request.GET or None)
    found = order_search(request, form.data.get("q", "")) if form.is_bound else []
    chosen, sides, error, captured = None, [], "", None
    if request.GET.get("order", "").isdigit():
        chosen, sides, error = _simulate(request, state, int(request.GET["order"]))
        captured = stored_decision(chosen)
    context = {
        "state": state,
        "code": code,
        "form": form,
        "found": found,
        "searched": form.is_bound and bool(form.data.get("q")),
        "chosen": chosen,
        "sides": sides,
        "error": error,
        "captured": captured,
    }
    return console_render(
        request,
        "console/sourcing/simulate.html",
        context,
        title=f"Try the rule on an order: {code}",
    )


def _simulate(request, state, order_id: int):
    now = utcnow()
    scope = console_principal(request).scope
    order = Order.objects.filter(order_scope_q(scope), pk=order_id).first()
    if order is None:
        raise Http404
    try:
        case = simulation.order_case(order_id=order_id, now=now, scope=scope)
    except DomainError as exc:
        return order, [], exc.message
    locations = {loc.code: loc for loc in Location.objects.all()}
    zones = zone_table()
    sides = []
    active, draft = _profiles(state, now)
    for label, profile in (p for p in (draft, active) if p is not None):
        result = simulation.sourcing_simulate(case=case, profile=profile, label=label, now=now)
        sides.append({"label": label, **plain_decision(case, result, locations, zones)})
    return order, sides, ""


def stored_decision(order: Order) -> dict | None:
    """The decision actually taken for the order (the latest stored), in the same words."""
    record = order.sourcing_decisions.order_by("-id").first()
    if record is None:
        return None
    by_id = {loc.pk: loc for loc in Location.objects.all()}
    items: dict[int, int] = {}
    for picks in (record.explanation or {}).get("assignments", {}).values():
        for pick in picks:
            items[pick["location_id"]] = items.get(pick["location_id"], 0) + pick["quantity"]
    version = (
        "the built-in rule"
        if record.profile_version_id is None
        else (f"{record.profile_code} version {record.version_number}")
    )
    return {
        "label": f"{version}, {record.created_at:%d %b %Y %H:%M} ({record.trigger})",
        "outcome": status_word(record.outcome),
        "summary": record.summary,
        "shipments": [
            f"{by_id[loc].name if loc in by_id else loc} "
            f"({status_word(by_id[loc].kind).lower() if loc in by_id else ''}) "
            f"ships {count} item{'s' if count != 1 else ''}."
            for loc, count in sorted(items.items())
        ],
    }


class BacktestForm(forms.Form):
    orders = forms.IntegerField(
        min_value=1,
        max_value=MAX_BACKTEST_ORDERS,
        initial=100,
        label="Last orders",
        help_text=f"at most {MAX_BACKTEST_ORDERS}",
    )
    channel = forms.ChoiceField(required=False, label="Channel")
    since = forms.DateField(required=False, label="Captured from", help_text="e.g. 2026-11-01")
    until = forms.DateField(required=False, label="Captured before", help_text="empty: until now")

    def period(self) -> dict[str, datetime]:
        """The days chosen as UTC instants: [since 00:00, until 00:00)."""
        out = {}
        for name in ("since", "until"):
            day = self.cleaned_data.get(name)
            if day is not None:
                out[name] = datetime.combine(day, time.min, tzinfo=UTC)
        return out

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from ordino.channels.models import Channel

        self.fields["channel"].choices = [("", "every channel")] + [
            (c.code, c.name) for c in Channel.objects.order_by("code")
        ]


@console_view
def rules_backtest(request: HttpRequest, code: str) -> HttpResponse:
    """The draft against the version in effect over the last N orders, as a report."""
    require_view(request)
    state = rule_state(code)
    form = BacktestForm(request.GET or None)
    report, error = None, ""
    if state.draft is None:
        error = "There is no draft to back-test: start one from the active version first."
    elif form.is_valid():
        now = utcnow()
        active, draft = _profiles(state, now)
        result = simulation.sourcing_backtest(
            candidate=draft[1],
            baseline=active[1],
            orders=form.cleaned_data["orders"],
            channel=form.cleaned_data["channel"] or None,
            **form.period(),
        )
        report = backtest_report(result, active[0], draft[0])
    context = {"state": state, "code": code, "form": form, "report": report, "error": error}
    return console_render(
        request, "console/sourcing/backtest.html", context, title=f"Back-test: {code}"
    )


def _percent(value: object) -> str:
    return f"{float(value) * 100:.1f} %"  # type: ignore[arg-type]


def _cost(metrics: dict) -> str:
    if metrics.get("average_cost") is None:
        return "unknown"
    return f"{metrics['average_cost']} over {metrics['costed_shipments']} shipments"


def backtest_report(result: dict, baseline_label: str, candidate_label: str) -> dict:
    """The comparison as rows of words and numbers, and the changed orders with links."""
    base, new = result["baseline"], result["candidate"]

    def km(v):
        return "unknown" if v is None else f"{v} km"

    metrics = [
        ("Orders", base["orders"], new["orders"]),
        ("Fully allocated", base["allocated"], new["allocated"]),
        ("Shipments", base["shipments"], new["shipments"]),
        ("Split orders", _percent(base["split_rate"]), _percent(new["split_rate"])),
        ("Average distance per shipment", km(base["average_km"]), km(new["average_km"])),
        ("Shipments from stores", _percent(base["store_share"]), _percent(new["store_share"])),
        ("Lines left unfilled", base["unfillable_lines"], new["unfillable_lines"]),
        ("Sent to review", base["reviews"], new["reviews"]),
        ("Average cost per shipment", _cost(base), _cost(new)),
        (
            "Locations over daily capacity",
            ", ".join(base["over_capacity"]) or "none",
            ", ".join(new["over_capacity"]) or "none",
        ),
    ]
    changed_ids = [int(i) for i in result["changed"] if str(i).isdigit()]
    orders = {o.pk: o for o in Order.objects.filter(pk__in=changed_ids).select_related("channel")}
    return {
        "baseline": baseline_label,
        "candidate": candidate_label,
        "orders": result["orders"],
        "rows": [
            {"label": label, "before": a, "after": b, "changed": a != b} for label, a, b in metrics
        ],
        "changed_count": result["changed_orders"],
        "changed": [orders[i] for i in changed_ids if i in orders],
    }
