"""Fraud screening's reads: the settings in force, what other orders say (velocity, earlier
orders), an order's risk for the API, the console and holds' `risk.score` fact."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache

from django.core.cache import cache as django_cache
from django.db import connection

from ordino.core.domain.errors import NotFound
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.orders.models import Order
from ordino.orders.selectors import order_get
from ordino.risk.domain.settings import DEFAULTS, RiskSettings, settings_check, settings_dump
from ordino.risk.domain.signals import History, RiskInputs
from ordino.risk.models import OrderRisk, OrderRiskSignal, RiskSetting

SETTINGS_KEY = "ordino:risk:settings"
EARLIER_MAX = 1000  # the customer's earlier orders are counted up to this many


def risk_settings() -> RiskSettings:
    """The settings in force, from Django's cache (a file or Redis, shared by every process)
    while nothing changed: capture reads no row for them."""
    data = django_cache.get(SETTINGS_KEY)
    if data is None:
        stored = RiskSetting.objects.filter(pk=1).values_list("values", flat=True).first()
        data = stored if stored is not None else settings_dump(DEFAULTS)
        django_cache.set(SETTINGS_KEY, data, timeout=None)
    return settings_check(data)


def risk_history(
    *, order_id: int, inputs: RiskInputs, customer_id: int | None, at: datetime, hours: int
) -> History:
    """How many earlier orders in the `hours` before `at` share each key, and how many
    orders the customer placed before: one statement, each count an index range."""
    since = at - timedelta(hours=hours)
    keys = (inputs.email, inputs.phone, inputs.address_key, inputs.card_key)
    params: list[object] = []
    for key in keys:
        params += [key or None, since, at, order_id]
    params += [customer_id, at, order_id]
    with connection.cursor() as cursor:
        cursor.execute(_history_sql(connection.vendor), params)
        email, phone, address, card, earlier = cursor.fetchone()
    return History(
        same_email=email,
        same_phone=phone,
        same_address=address,
        same_card=card,
        earlier_orders=earlier if customer_id is not None else None,
    )


@cache
def _history_sql(vendor: str) -> str:
    q = connection.ops.quote_name
    risks, orders = q(OrderRisk._meta.db_table), q(Order._meta.db_table)
    same = [
        f"(SELECT COUNT(*) FROM {risks} WHERE {column} = %s AND order_created_at >= %s"
        " AND order_created_at <= %s AND order_id <> %s)"
        for column in ("email", "phone", "address_key", "card_key")
    ]
    earlier = (
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM {orders} WHERE customer_id = %s"
        f" AND created_at < %s AND id <> %s LIMIT {EARLIER_MAX}) e)"
    )
    return f"SELECT {', '.join(same)}, {earlier}"


def risk_scores_of(*, order_ids: Sequence[int]) -> dict[int, int]:
    """Each scored order's score (holds' `risk.score`; an order not scored is left out)."""
    if not order_ids:
        return {}
    rows = OrderRisk.objects.filter(order_id__in=order_ids).values_list("order_id", "score")
    return dict(rows)


def order_risk_find(*, order_id: int) -> OrderRisk | None:
    return OrderRisk.objects.filter(order_id=order_id).prefetch_related("signals").first()


def order_risk_get(*, order_id: int, scope: Scope = UNRESTRICTED) -> OrderRisk:
    """The order's risk; 404 `order_not_found` outside the caller's scope, `risk_not_found`
    when it was never scored."""
    order_get(order_id=order_id, scope=scope)
    risk = order_risk_find(order_id=order_id)
    if risk is None:
        raise NotFound("risk", order_id)
    return risk


def risk_serialize(risk: OrderRisk) -> dict:
    settings = risk_settings()
    return {
        "order_id": risk.order_id,
        "score": risk.score,
        "review": risk.review,
        "review_threshold": settings.review_threshold,
        "signals": [
            {
                "code": s.code,
                "weight": s.weight,
                "strength": format(s.strength, "f"),
                "points": s.points,
                "detail": s.detail,
            }
            for s in risk.signals.all()
        ],
        "inputs": risk.inputs,
        "scored_at": risk.scored_at,
        "scored_by": risk.scored_by,
        "version": risk.version,
    }


def order_risk_signals(*, order_id: int) -> list[OrderRiskSignal]:
    """The order's signals with their risk (one query; empty when never scored)."""
    return list(OrderRiskSignal.objects.filter(risk__order_id=order_id).select_related("risk"))
