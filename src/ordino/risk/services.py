"""Fraud screening's use cases: score an order at capture (orders' port, in the capture's
transaction, before holds test it), re-score it (an edit that changed what the score saw, a
person asking), change the settings (audited). docs/risk.md."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from django.core.cache import cache as django_cache
from django.db import transaction

from ordino.audit.services import audit_record
from ordino.core.domain.clock import utcnow
from ordino.core.domain.scope import CHANGE, UNRESTRICTED, Scope
from ordino.core.transactions import use_case_atomic
from ordino.events.services import event_emit
from ordino.orders.models import Order
from ordino.orders.selectors import order_get
from ordino.orders.timeline import order_timeline_add
from ordino.risk.domain.settings import RiskSettings, settings_check, settings_dump
from ordino.risk.domain.signals import RiskInputs, Signal, address_key, score_of, signals_of
from ordino.risk.events import OrderRiskCleared, OrderRiskFlagged
from ordino.risk.models import OrderRisk, OrderRiskSignal, RiskSetting
from ordino.risk.selectors import SETTINGS_KEY, risk_history, risk_settings


def order_risk_assess(*, order: Order, payments: Sequence = (), actor: str, now: datetime) -> int:
    """Score a just-captured order (served to orders' port `order_risk_assess`): its signals
    and score stored, a review flagged when it reaches the threshold. Answers the score."""
    settings = risk_settings()
    inputs = _inputs(order, *_card(payments))
    return _score_write(order, inputs, settings, None, actor, now)


def order_risk_refresh(*, order_id: int, actor: str, now: datetime) -> int | None:
    """After an edit (orders' port): re-score when what the score saw changed (address, total,
    contact); the score in force either way (None: never scored)."""
    risk = _locked(order_id)
    if risk is None:
        return None
    order = Order.objects.get(pk=order_id)
    inputs = _inputs(order, risk.card_key, str(risk.inputs.get("card_holder", "")))
    if _stored(inputs) == risk.inputs.get("seen"):
        return risk.score
    return _score_write(order, inputs, risk_settings(), risk, actor, now, asked=False)


def order_risk_rescore(*, order_id: int, actor: str, scope: Scope = UNRESTRICTED) -> OrderRisk:
    """Score the order again now (a person asks: the settings or other orders changed)."""
    with use_case_atomic():
        order = order_get(order_id=order_id, scope=scope, reach=CHANGE)
        risk = _locked(order_id)
        card = (risk.card_key, str(risk.inputs.get("card_holder", ""))) if risk else ("", "")
        _score_write(order, _inputs(order, *card), risk_settings(), risk, actor, utcnow())
        return OrderRisk.objects.prefetch_related("signals").get(order_id=order_id)


def risk_settings_change(
    *, values: Mapping[str, object], actor: str, reason: str = ""
) -> RiskSettings:
    """Change some settings (the others, and the weights not given, keep their value; a given
    `high_value` replaces the whole table): checked first, every problem named
    (422 `invalid_risk_settings`), audited with before and after."""
    with use_case_atomic():
        before = settings_dump(risk_settings())
        merged = {**before, **values}
        if isinstance(values.get("weights"), Mapping):  # the weights given change, others stay
            merged["weights"] = {**before["weights"], **values["weights"]}
        settings = settings_check(merged)
        after = settings_dump(settings)
        RiskSetting.objects.update_or_create(
            pk=1, defaults={"values": after, "updated_at": utcnow(), "updated_by": actor[:128]}
        )
        audit_record(
            object_type="risk_settings", object_id=1, action="changed", before=before,
            after=after, reason=reason, label="Fraud screening settings", actor=actor,
        )  # fmt: skip
        django_cache.delete(SETTINGS_KEY)
        transaction.on_commit(lambda: django_cache.delete(SETTINGS_KEY))
        return settings


def _locked(order_id: int) -> OrderRisk | None:
    """The order's risk row, locked (PostgreSQL) so that two re-scores of one order take turns
    and never leave two sets of signals; SQLite's IMMEDIATE transactions queue them anyway."""
    return OrderRisk.objects.select_for_update().filter(order_id=order_id).first()


def _card(payments: Sequence) -> tuple[str, str]:
    """The first card's fingerprint and holder name the channel sent (never a card number)."""
    for p in payments:
        key, holder = getattr(p, "card_fingerprint", ""), getattr(p, "card_holder", "")
        if key or holder:
            return key, holder
    return "", ""


def _inputs(order: Order, card_key: str, card_holder: str) -> RiskInputs:
    ship, bill = order.shipping_address or {}, order.billing_address or {}
    return RiskInputs(
        email=(order.email or "").strip().lower(),
        phone=(order.phone or "").strip(),
        address_key=address_key(ship) if order.delivery_method == "ship" else "",
        card_key=card_key,
        shipping_country=str(ship.get("country", "")),
        billing_country=str(bill.get("country", "")),
        shipping_name=str(ship.get("name", "")),
        billing_name=str(bill.get("name", "")),
        card_holder=card_holder,
        currency=order.currency,
        total=order.current_total,
    )


def _stored(inputs: RiskInputs) -> dict:
    """The inputs as stored (JSON): what an edit compares to decide a re-score."""
    return {k: (format(v.normalize(), "f") if k == "total" else v) for k, v in vars(inputs).items()}


def _score_write(
    order: Order, inputs: RiskInputs, settings: RiskSettings, risk: OrderRisk | None,
    actor: str, now: datetime, *, asked: bool = True,
) -> int:  # fmt: skip
    """Score, store, and tell: the timeline when a person asked or the score moved (an edit
    that leaves it as it was adds nothing to the edit's own row), the event on a crossing."""
    history = risk_history(order_id=order.pk, inputs=inputs, customer_id=order.customer_id,
                           at=order.created_at, hours=settings.velocity_hours)  # fmt: skip
    signals = signals_of(inputs, history, settings)
    score = score_of(signals)
    review = score >= settings.review_threshold
    seen = {"seen": _stored(inputs), "history": vars(history), "card_holder": inputs.card_holder}
    fields = dict(score=score, review=review, email=inputs.email, phone=inputs.phone,
                  address_key=inputs.address_key, card_key=inputs.card_key, inputs=seen,
                  scored_at=now, scored_by=actor[:128])  # fmt: skip
    was_review = risk.review if risk else False
    if risk is None:
        risk = OrderRisk.objects.create(order=order, order_created_at=order.created_at, **fields)
    else:
        before = risk.score
        for name, value in fields.items():
            setattr(risk, name, value)
        risk.version += 1
        risk.save()
        risk.signals.all().delete()
        if asked or score != before:
            order_timeline_add(order_id=order.pk, kind="risk_rescored",
                               message=f"Risk re-scored: {before} → {score}", actor=actor,
                               data={"before": before, "score": score}, now=now)  # fmt: skip
    OrderRiskSignal.objects.bulk_create([_row(risk, s) for s in signals])
    if review != was_review:
        kind = OrderRiskFlagged if review else OrderRiskCleared
        event = kind(order_id=order.pk, score=score, review_threshold=settings.review_threshold)
        event_emit(event=event, aggregate_id=order.pk, now=now)
    return score


def _row(risk: OrderRisk, s: Signal) -> OrderRiskSignal:
    return OrderRiskSignal(risk=risk, code=s.code, weight=s.weight, strength=s.strength,
                           points=s.points, detail=s.detail[:300])  # fmt: skip
