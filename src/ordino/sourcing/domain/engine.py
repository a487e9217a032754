"""decide(order, candidates, profile, now): the sourcing decision, a pure function.

For each strategy in order: if its condition holds, every candidate goes through the built-in
eligibility checks (active; ships, or is the order's pickup store) and the strategy's filters in
their order (the first that fails removes it, with the reason); the kept locations are ranked;
the split places the items. If every item is placed the order is allocated; otherwise the
strategy's fallback decides: the next (or a named) strategy tries again with the whole order,
or the partial plan is kept and the rest backordered (optionally with a cancel-after date), or
nothing is placed and a review case is due. No matching strategy, or a fallback loop, means review.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from ordino.core.domain.errors import DomainError
from ordino.sourcing.domain.distance import NO_ZONES, ZoneTable
from ordino.sourcing.domain.explain import (
    ALLOCATED,
    BACKORDER,
    PARTIAL,
    REVIEW,
    Assignment,
    CandidateTrace,
    Decision,
    Explanation,
    StrategyTrace,
)
from ordino.sourcing.domain.facts import LocationFacts, OrderFacts, order_fact_values
from ordino.sourcing.domain.filters import ELIGIBLE, Context, check, eligibility
from ordino.sourcing.domain.profile import Profile, Strategy
from ordino.sourcing.domain.ranking import rank
from ordino.sourcing.domain.split import Plan, plan_split
from ordino.sourcing.domain.wording import kept_sentence, removed_sentence


class _Ending(NamedTuple):
    """How a decision ends: its outcome, the strategy that decided, the plan kept, the summary."""

    outcome: str
    strategy: str | None
    plan: Plan | None
    summary: str
    cancel_after: datetime | None = None


def decide(
    order: OrderFacts,
    candidates: Sequence[LocationFacts],
    profile: Profile,
    now: datetime,
    *,
    zones: ZoneTable = NO_ZONES,
) -> Decision:
    if now.tzinfo is None or now.utcoffset() is None:
        raise DomainError("naive_datetime", "decide() needs an aware datetime (UTC).")
    locations = _in_id_order(candidates)
    ctx = Context(order, now, zones)
    facts = order_fact_values(order)
    names = {s.name: i for i, s in enumerate(profile.strategies)}
    traces: list[StrategyTrace] = []
    seen: set[int] = set()
    index = 0
    while index < len(profile.strategies):
        strategy = profile.strategies[index]
        if index in seen:
            ending = _review(f"Fallback loop back to strategy {strategy.name!r}: review.")
            return _decision(order, profile, traces, ending)
        seen.add(index)
        if strategy.condition is None:
            matched, why = True, "no condition (always matches)"
        else:
            matched, why = strategy.condition.trace(facts)
        if not matched:
            traces.append(StrategyTrace(strategy.name, False, why))
            index += 1
            continue
        plan, candidate_traces = _run(strategy, locations, ctx)
        result = _trace_result(plan, strategy)
        traces.append(StrategyTrace(strategy.name, True, why, candidate_traces, plan.trace, result))
        after = _after_plan(strategy, plan, index, names, now)
        if isinstance(after, _Ending):
            return _decision(order, profile, traces, after)
        index = after
    if not any(t.matched for t in traces):
        return _decision(order, profile, traces, _review("No strategy matched this order: review."))
    return _decision(order, profile, traces, _review("Every strategy fell through: review."))


def _review(summary: str) -> _Ending:
    """Nothing placed, no strategy to name: a review case."""
    return _Ending(REVIEW, None, None, summary)


def _in_id_order(candidates: Sequence[LocationFacts]) -> list[LocationFacts]:
    by_id = {loc.id: loc for loc in candidates}
    if len(by_id) != len(candidates):
        raise DomainError("duplicate_location", "Candidate locations repeat an id.")
    return [by_id[i] for i in sorted(by_id)]  # input order never matters


def _trace_result(plan: Plan, strategy: Strategy) -> str:
    """What a matched strategy's plan placed, for its trace."""
    placed, wanted = plan.trace.placed, plan.trace.wanted
    if placed == wanted:
        return f"placed all {wanted} items"
    return f"placed {placed} of {wanted} items; {strategy.fallback.describe()}"


def _after_plan(
    strategy: Strategy, plan: Plan, index: int, names: dict[str, int], now: datetime
) -> _Ending | int:
    """What follows a matched strategy's plan: how the decision ends, or the index of the
    strategy to try next with the whole order (its fallback `next` or a named strategy)."""
    placed, wanted = plan.trace.placed, plan.trace.wanted
    fallback = strategy.fallback
    if placed == wanted:
        shipments = plan.trace.shipments
        return _Ending(
            ALLOCATED,
            strategy.name,
            plan,
            f"Allocated by strategy {strategy.name!r}: {wanted} items in "
            f"{shipments} shipment{'s' if shipments != 1 else ''}.",
        )
    if fallback.kind == "next":
        return index + 1
    if fallback.kind == "strategy":
        target = names.get(fallback.strategy or "")
        if target is None:
            return _review(f"Unknown fallback strategy {fallback.strategy!r}: review.")
        return target
    if fallback.kind == "review":
        return _Ending(
            REVIEW,
            strategy.name,
            None,
            f"Strategy {strategy.name!r} placed {placed} of {wanted} items: review case; "
            "nothing reserved.",
        )
    cancel_after = None
    summary = (
        f"Strategy {strategy.name!r} placed {placed} of {wanted} items; "
        f"{wanted - placed} backordered"
    )
    if fallback.kind == "cancel_after" and fallback.days is not None:
        cancel_after = now + timedelta(days=fallback.days)
        summary += f", cancelled if still backordered after {cancel_after:%Y-%m-%d}"
    return _Ending(
        PARTIAL if placed else BACKORDER, strategy.name, plan, summary + ".", cancel_after
    )


def _decision(
    order: OrderFacts, profile: Profile, traces: Sequence[StrategyTrace], ending: _Ending
) -> Decision:
    """The decision an ending makes: what the plan assigns (nothing without a plan: every
    item backordered), the rest backordered, and the explanation of every strategy tried."""
    assignments: dict[int, tuple[Assignment, ...]] = {}
    backordered = {line.key: line.quantity for line in order.lines if line.quantity}
    if ending.plan is not None:
        assignments = {
            key: tuple(Assignment(loc, qty) for loc, qty in picks)
            for key, picks in sorted(ending.plan.picks.items())
        }
        backordered = dict(sorted(ending.plan.remaining.items()))
    explanation = Explanation(profile.code, profile.version, tuple(traces), ending.summary)
    return Decision(
        order.order_id,
        ending.outcome,
        ending.strategy,
        assignments,
        backordered,
        explanation,
        ending.cancel_after,
    )


def _run(
    strategy: Strategy, locations: Sequence[LocationFacts], ctx: Context
) -> tuple[Plan, tuple[CandidateTrace, ...]]:
    kept: list[LocationFacts] = []
    removed: list[CandidateTrace] = []
    for loc in locations:
        reason = eligibility(loc, ctx)
        by = ELIGIBLE
        if reason is None:
            for rule in strategy.filters:
                reason = check(rule, loc, ctx)
                if reason is not None:
                    by = rule.type
                    break
        if reason is None:
            kept.append(loc)
        else:
            removed.append(
                CandidateTrace(loc.id, loc.code, removed_sentence(loc, reason), removed_by=by)
            )
    ranked = rank(kept, strategy.ranking, ctx)
    by_id = {loc.id: loc for loc in kept}
    ranks = {r.location_id: r.rank for r in ranked}
    plan = plan_split([by_id[r.location_id] for r in ranked], ctx.lines, strategy.split, ranks)
    used = set(plan.trace.location_ids)
    kept_traces = [
        CandidateTrace(
            r.location_id,
            r.code,
            kept_sentence(
                by_id[r.location_id],
                placed=ctx.alone(by_id[r.location_id]).placed,
                wanted=ctx.wanted,
                km=ctx.distance(by_id[r.location_id]).km,
                rank=r.rank,
                kept=len(ranked),
                values=r.values,
                score=r.score,
                ships=r.location_id in used,
            ),
            rank=r.rank,
            score=r.score,
            values=r.values,
        )
        for r in ranked
    ]
    return plan, (*kept_traces, *removed)
