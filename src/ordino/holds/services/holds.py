"""Holds on orders: placed when a rule matches (at capture, at edit) or a system cause stops the
order (a declined payment), released by a person, by the cause clearing, or by the rule's
retirement. A hold stops the order's work: its fulfillment orders that have not shipped go on
hold through fulfillment's own use case, and come back when the order's last hold is released
(docs/holds.md)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from django.db import IntegrityError

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import Conflict, DomainError, NotFound
from ordino.core.principal import Principal
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.events.services import event_emit
from ordino.fulfillment.domain import status as fs
from ordino.fulfillment.models import FulfillmentOrder
from ordino.fulfillment.services import fulfillment_hold, fulfillment_release
from ordino.fulfillment.services.common import held_work_resuming
from ordino.holds import ports
from ordino.holds.domain.rules import (
    RULE_CAUSE_PREFIX,
    ActiveRule,
    ReleaseNeed,
    condition_reads,
    release_need,
    rules_evaluate,
)
from ordino.holds.events import HoldEvent, OrderHeld, OrderHoldReleased
from ordino.holds.models import OrderHold
from ordino.holds.services.active import active_rules

# Work not yet out of the door: what a hold stops.
HOLDABLE = (fs.OPEN, fs.ACCEPTED, fs.PICKING, fs.PACKED)
PAYMENT_DECLINED = "payment_declined"
SYSTEM_REASONS = {PAYMENT_DECLINED: "payment declined"}
RELEASE_REASON_MAX = 500


def holds_active() -> bool:
    """Whether any rule is in force (no statement while the cached set is current)."""
    return bool(active_rules())


def order_holds_evaluate(
    *, order_id: int, facts: Mapping[str, object], actor: str, trigger: str, now: datetime
) -> list[OrderHold]:
    """Test the active rules against the order's facts: hold for each rule that matches and
    has no open hold yet; release (auto) the open holds of rules that no longer match. Answers
    the holds placed."""
    rules = active_rules()
    verdicts = {v.rule.cause: v for v in rules_evaluate(rules, facts)}
    placed = []
    open_causes = (
        set(
            OrderHold.objects.filter(
                order_id=order_id, released_at__isnull=True, cause__startswith=RULE_CAUSE_PREFIX
            ).values_list("cause", flat=True)
        )
        if trigger != "capture"
        else set()
    )
    for cause, verdict in verdicts.items():
        if verdict.matched and cause not in open_causes:
            hold = _rule_hold_place(order_id, verdict.rule, verdict.why, actor, trigger, now)
            if hold is not None:
                placed.append(hold)
    for cause in sorted(open_causes):
        verdict = verdicts.get(cause)
        if verdict is not None and not verdict.matched:
            holds_release_cause(
                cause=cause,
                order_id=order_id,
                how=OrderHold.AUTO,
                actor=actor,
                reason=f"no longer matches after {trigger}: {verdict.why}",
                now=now,
            )
    if trigger != "capture":
        order_work_restop(order_id=order_id, actor=actor)
    return placed


def order_work_unstop(*, order_id: int, actor: str) -> bool:
    """Before an edit: the work holds stopped before any location started on it goes back to
    the queue, so the edit may change it (the edit's transaction stops it again after, unless
    the edit cleared every cause). Answers whether the order had open holds."""
    if not OrderHold.objects.filter(order_id=order_id, released_at__isnull=True).exists():
        return False
    _work_resume(order_id, actor)
    return True


def order_work_restop(*, order_id: int, actor: str) -> None:
    """After an edit of a held order: its work waits again, new work included."""
    hold = (
        OrderHold.objects.filter(order_id=order_id, released_at__isnull=True).order_by("id").first()
    )
    if hold is not None:
        stopped = _work_stop(order_id, hold.reason, actor)
        if stopped:
            hold.held_fulfillment_orders = [*hold.held_fulfillment_orders, *stopped]
            hold.save(update_fields=["held_fulfillment_orders"])


def _rule_hold_place(
    order_id: int, rule: ActiveRule, why: str, actor: str, trigger: str, now: datetime
) -> OrderHold | None:
    return hold_place(
        order_id=order_id,
        cause=rule.cause,
        reason=rule.reason,
        kind=rule.kind,
        release_permission=rule.release_permission,
        rule_id=rule.rule_id,
        version_id=rule.version_id,
        actor=actor,
        now=now,
        detail={"rule": rule.code, "version": rule.number, "why": why, "trigger": trigger},
    )


def order_hold_system(*, order_id: int, cause: str, actor: str, now: datetime | None = None):
    """A system cause stops the order (a declined payment): one open hold per cause."""
    return hold_place(
        order_id=order_id,
        cause=cause,
        reason=SYSTEM_REASONS.get(cause, cause.replace("_", " ")),
        actor=actor,
        now=now or utcnow(),
    )


def hold_place(
    *,
    order_id: int,
    cause: str,
    reason: str,
    actor: str,
    now: datetime,
    kind: str = "hold",
    release_permission: str = "",
    rule_id: int | None = None,
    version_id: int | None = None,
    detail: dict | None = None,
) -> OrderHold | None:
    """One open hold of `cause` on the order (None when one is open already), its work stopped,
    a timeline row and `order.held`."""
    with use_case_atomic():
        try:
            with savepoint():
                hold = OrderHold.objects.create(
                    order_id=order_id,
                    cause=cause,
                    kind=kind,
                    reason=reason,
                    release_permission=release_permission,
                    rule_id=rule_id,
                    version_id=version_id,
                    placed_at=now,
                    placed_by=actor,
                )
        except IntegrityError:
            return None
        hold.held_fulfillment_orders = _work_stop(order_id, reason, actor)
        OrderHold.objects.filter(pk=hold.pk).update(
            held_fulfillment_orders=hold.held_fulfillment_orders
        )
        ports.order_hold_status(order_id=order_id, held=True, now=now)
        what = "Approval required" if kind == "approval" else "Held"
        _tell(hold, OrderHeld, f"{what}: {reason}.", actor, now, detail or {})
    return hold


def hold_release(
    *,
    hold_id: int,
    actor: str,
    reason: str,
    how: str = OrderHold.MANUAL,
    now=None,
    permitted: Callable[[ReleaseNeed], bool] | None = None,
) -> OrderHold:
    """Release one open hold (a person's decision: `reason` is required). `permitted`: may the
    caller release a hold that needs this (the console asks the user's action permission, the
    API the token's owner's: docs/holds.md, "Releasing"); None for the operator's command line.
    Refused (403 `permission_denied`), nothing changes."""
    text = (reason or "").strip()
    if how == OrderHold.MANUAL and not text:
        raise DomainError("reason_required", "Say why the hold is released.", field="reason")
    if len(text) > RELEASE_REASON_MAX:
        raise DomainError(
            "too_long", f"reason is at most {RELEASE_REASON_MAX} characters.", field="reason"
        )
    now = now or utcnow()
    with use_case_atomic():
        hold = OrderHold.objects.select_for_update().filter(pk=hold_id).first()
        if hold is None:
            raise NotFound("hold", hold_id)
        need = release_need(hold.kind, hold.release_permission)
        if permitted is not None and not permitted(need):
            what = "This approval" if need.approval else "This hold"
            raise DomainError(
                "permission_denied",
                f"{what} is released by someone with the {need.permission!r} permission.",
                status=403,
            )
        if hold.released_at is not None:
            raise Conflict("hold_released", f"Hold {hold_id} was released already.")
        _release(hold, how, actor, text, now)
    return hold


def order_holds_release_reading(
    *, order_id: int, fact: str, actor: str, reason: str,
    permitted: Callable[[ReleaseNeed], bool] | None = None,
) -> list[int]:  # fmt: skip
    """Release (manually, as a person's decision) the order's open holds placed by a rule whose
    condition reads `fact` (approving a fraud review releases those on `risk.score`: docs/risk.md).
    Every hold's permission is asked first: one refused (403 `permission_denied`), none is
    released. Answers the holds' ids."""
    now = utcnow()
    with use_case_atomic():
        holds = [
            hold
            for hold in OrderHold.objects.select_for_update(of=("self",))
            .select_related("version")
            .filter(order_id=order_id, released_at__isnull=True, version__isnull=False)
            .order_by("id")
            if condition_reads(hold.version.condition, fact)
        ]
        for hold in holds:
            need = release_need(hold.kind, hold.release_permission)
            if permitted is not None and not permitted(need):
                raise DomainError(
                    "permission_denied",
                    f"The hold {hold.reason!r} is released by someone with the "
                    f"{need.permission!r} permission.",
                    status=403,
                )
        for hold in holds:
            _release(hold, OrderHold.MANUAL, actor, reason[:RELEASE_REASON_MAX], now)
    return [hold.pk for hold in holds]


def release_permitted(principal: Principal) -> Callable[[ReleaseNeed], bool]:
    """Who may release a hold through the API (docs/holds.md, "Releasing"): a token owned by a
    person, when that person holds the hold's permission; a token nobody owns (an
    integration's), holds and system causes but never an approval (a person decides those)."""

    def permitted(need: ReleaseNeed) -> bool:
        person = principal.person_may(need.permission)
        return not need.approval if person is None else person

    return permitted


def holds_release_cause(
    *,
    cause: str,
    how: str,
    actor: str,
    reason: str = "",
    order_id: int | None = None,
    now: datetime | None = None,
) -> list[int]:
    """Release every open hold of `cause` (on one order, or all orders): the cause cleared
    (auto) or its rule was retired. Answers the holds' ids."""
    now = now or utcnow()
    with use_case_atomic():
        holds = OrderHold.objects.select_for_update().filter(cause=cause, released_at__isnull=True)
        if order_id is not None:
            holds = holds.filter(order_id=order_id)
        released = []
        for hold in holds.order_by("id"):
            _release(hold, how, actor, reason[:RELEASE_REASON_MAX], now)
            released.append(hold.pk)
    return released


def order_holds_end(*, order_id: int, actor: str, reason: str) -> list[int]:
    """The order was cancelled: its open holds stop nothing any more and are released (auto)."""
    now = utcnow()
    with use_case_atomic():
        causes = (
            OrderHold.objects.filter(order_id=order_id, released_at__isnull=True)
            .order_by("id")
            .values_list("cause", flat=True)
        )
        return [
            hold_id
            for cause in list(causes)
            for hold_id in holds_release_cause(
                cause=cause, order_id=order_id, how=OrderHold.AUTO, actor=actor,
                reason=reason, now=now,
            )
        ]  # fmt: skip


def _release(hold: OrderHold, how: str, actor: str, reason: str, now: datetime) -> None:
    hold.released_at, hold.released_by, hold.released_how = now, actor, how
    hold.release_reason = reason
    hold.save(update_fields=["released_at", "released_by", "released_how", "release_reason"])
    if not OrderHold.objects.filter(order_id=hold.order_id, released_at__isnull=True).exists():
        _work_resume(hold.order_id, actor)
        ports.order_hold_status(order_id=hold.order_id, held=False, now=now)
    message = f"Hold released ({how.replace('_', ' ')}): {hold.reason}"
    _tell(
        hold,
        OrderHoldReleased,
        message + (f" — {reason}." if reason else "."),
        actor,
        now,
        {"how": how, "reason": reason},
        {"how": how, "actor": actor},
    )


def _work_stop(order_id: int, reason: str, actor: str) -> list[int]:
    """Hold the order's fulfillment orders that have not started to leave; answer their ids."""
    held = []
    open_work = (
        FulfillmentOrder.objects.filter(order_id=order_id, status__in=HOLDABLE)
        .order_by("id")
        .values_list("id", flat=True)
    )
    for fo_id in open_work:
        try:
            with savepoint():
                fulfillment_hold(fo_id=fo_id, reason=reason, actor=actor)
            held.append(fo_id)
        except DomainError:  # moved on meanwhile (shipped, cancelled): nothing to hold
            continue
    return held


def _work_resume(order_id: int, actor: str) -> None:
    """The work holds stopped goes back to the queue (the order's last hold went, or an edit
    is about to change it)."""
    ids = {
        fo
        for held in OrderHold.objects.filter(order_id=order_id).values_list(
            "held_fulfillment_orders", flat=True
        )
        for fo in held
    }
    on_hold = FulfillmentOrder.objects.filter(pk__in=ids, status=fs.ON_HOLD).order_by("id")
    for fo_id in on_hold.values_list("id", flat=True):
        try:
            with savepoint(), held_work_resuming():
                fulfillment_release(fo_id=fo_id, actor=actor)
        except DomainError:
            continue


def _tell(
    hold: OrderHold,
    event: type[HoldEvent],
    message: str,
    actor: str,
    now: datetime,
    detail: dict,
    extra: dict | None = None,
) -> None:
    rule = hold.cause.removeprefix(RULE_CAUSE_PREFIX) if hold.rule_id else ""
    data = {"hold_id": hold.pk, "cause": hold.cause, **detail}
    kind = "order_held" if event is OrderHeld else "order_hold_released"
    ports.order_timeline_add(
        order_id=hold.order_id, kind=kind, message=message, actor=actor, data=data, now=now
    )
    event_emit(
        event=event(
            order_id=hold.order_id,
            hold_id=hold.pk,
            cause=hold.cause,
            kind=hold.kind,
            reason=hold.reason,
            rule=rule,
            version=detail.get("version"),
            **(extra or {}),
        ),
        aggregate_id=hold.order_id,
        now=now,
    )
