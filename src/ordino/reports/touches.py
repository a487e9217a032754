"""Touches per order (docs/reports.md, "Touches per order"): the actions people took on the
orders captured in a period, read from the orders' timelines and the activity of cases about
them. Two aggregate queries whatever the number of orders (the touches per order as a
histogram per channel; touches per kind and actor), plus small look-ups: the tokens people own,
the channels' codes, the people's roles."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import User
from django.db import connection

from ordino.cases.models import Case, CaseActivity
from ordino.channels.models import Channel
from ordino.core.domain.clock import utcnow
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.fulfillment.models import FulfillmentOrder
from ordino.orders.models import Order, OrderTimelineEntry
from ordino.orders.selectors import order_scope_q
from ordino.reports import ports
from ordino.reports.domain.touches import (
    CASE_KINDS,
    PERSON_PREFIXES,
    ROUTINE_KINDS,
    TouchStats,
    touch_period,
    touch_stats,
    username_of,
)
from ordino.reports.selectors import of_channels


@dataclass(frozen=True)
class ChannelTouches:
    channel: str
    stats: TouchStats


@dataclass(frozen=True)
class TouchesReport:
    since: datetime
    until: datetime
    channel: str | None
    stats: TouchStats
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    by_user: list[dict] = field(default_factory=list)  # actor, user, roles, touches
    by_role: list[tuple[str | None, int]] = field(default_factory=list)
    per_channel: list[ChannelTouches] = field(default_factory=list)


def touches_report_get(
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    channel_code: str | None = None,
    scope: Scope = UNRESTRICTED,
    now: datetime | None = None,
) -> TouchesReport:
    """The touches of the orders captured in [since, until) (default: the last 30 days), of one
    channel if asked, of the orders `scope` reaches (its channels, its locations' orders)."""
    since, until = touch_period(since, until, now=now or utcnow())
    orders, _ = of_channels(
        Order.objects.filter(created_at__gte=since, created_at__lt=until),
        FulfillmentOrder.objects.none(),
        channel_code=channel_code,
        scope=scope,
    )
    ids_sql, ids_params = orders.filter(order_scope_q(scope)).values("id").query.sql_with_params()
    owners = ports.token_owners()
    touches_sql, touches_params = _touches_sql(ids_sql, list(ids_params), sorted(owners))
    histograms = _histograms(touches_sql, touches_params, ids_sql, list(ids_params))
    by_kind_actor = _by_kind_and_actor(touches_sql, touches_params)
    whole: dict[int, int] = defaultdict(int)
    for histogram in histograms.values():
        for n, count in histogram.items():
            whole[n] += count
    codes = dict(Channel.objects.filter(pk__in=histograms).values_list("pk", "code"))
    kinds: dict[str, int] = defaultdict(int)
    actors: dict[str, int] = defaultdict(int)
    for (kind, actor), n in by_kind_actor.items():
        kinds[kind] += n
        actors[actor] += n
    by_user, by_role = _people(actors, owners)
    return TouchesReport(
        since=since,
        until=until,
        channel=channel_code or None,
        stats=touch_stats(whole),
        by_kind=sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])),
        by_user=by_user,
        by_role=by_role,
        per_channel=sorted(
            (ChannelTouches(codes[pk], touch_stats(h)) for pk, h in histograms.items()),
            key=lambda row: row.channel,
        ),
    )


def touches_serialize(report: TouchesReport) -> dict:
    """The report as the API answers it (the console and the command show the same)."""
    return {
        "since": report.since,
        "until": report.until,
        "channel": report.channel,
        **_stats(report.stats),
        "by_kind": [{"kind": k, "touches": n} for k, n in report.by_kind],
        "by_user": report.by_user,
        "by_role": [{"role": r, "touches": n} for r, n in report.by_role],
        "per_channel": [{"channel": c.channel, **_stats(c.stats)} for c in report.per_channel],
    }


def _stats(stats: TouchStats) -> dict:
    return {
        "orders": stats.orders,
        "orders_touched": stats.orders_touched,
        "zero_touch_rate": stats.zero_touch_rate,
        "touches": stats.touches,
        "touches_mean": stats.mean,
        "touches_p50": stats.p50,
        "touches_p90": stats.p90,
        "touches_max": stats.max,
    }


def _touches_sql(ids_sql: str, ids_params: list, tokens: list[str]) -> tuple[str, list]:
    """One row (order_id, kind, actor) per touch of the orders of `ids_sql`: the timeline's
    rows by people that are no routine step, and the steps of cases about those orders that
    the timeline does not carry (CASE_KINDS), as `case_<kind>`."""
    q = connection.ops.quote_name
    timeline, activity, case = (
        q(m._meta.db_table) for m in (OrderTimelineEntry, CaseActivity, Case)
    )

    def person(column: str) -> tuple[str, list]:
        tests = [f"{column} LIKE %s" for _ in PERSON_PREFIXES]
        if tokens:
            tests.append(f"{column} IN ({', '.join(['%s'] * len(tokens))})")
        return "(" + " OR ".join(tests) + ")", [f"{p}%" for p in PERSON_PREFIXES] + tokens

    by_person_t, person_t = person("t.actor")
    by_person_a, person_a = person("a.actor")
    routine = ", ".join(["%s"] * len(ROUTINE_KINDS))
    case_kinds = ", ".join(["%s"] * len(CASE_KINDS))
    sql = (
        f"SELECT t.order_id AS order_id, t.kind AS kind, t.actor AS actor FROM {timeline} t "
        f"WHERE t.order_id IN ({ids_sql}) AND t.kind NOT IN ({routine}) AND {by_person_t} "
        f"UNION ALL SELECT c.order_id, 'case_' || a.kind, a.actor FROM {activity} a "
        f"JOIN {case} c ON c.id = a.case_id "
        f"WHERE c.order_id IN ({ids_sql}) AND a.kind IN ({case_kinds}) AND {by_person_a}"
    )
    params = [*ids_params, *ROUTINE_KINDS, *person_t, *ids_params, *CASE_KINDS, *person_a]
    return sql, params


def _histograms(
    touches_sql: str, touches_params: list, ids_sql: str, ids_params: list
) -> dict[int, dict[int, int]]:
    """1. Per channel id: {touches on one order: orders}, untouched orders counted at 0."""
    orders = connection.ops.quote_name(Order._meta.db_table)
    sql = (
        f"SELECT o.channel_id, COALESCE(x.n, 0), COUNT(*) FROM {orders} o LEFT JOIN ("
        f"SELECT u.order_id, COUNT(*) AS n FROM ({touches_sql}) u GROUP BY u.order_id"
        f") x ON x.order_id = o.id WHERE o.id IN ({ids_sql}) "
        "GROUP BY o.channel_id, COALESCE(x.n, 0)"
    )
    out: dict[int, dict[int, int]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*touches_params, *ids_params])
        for channel_id, n, count in cursor.fetchall():
            out[channel_id][int(n)] = int(count)
    return dict(out)


def _by_kind_and_actor(touches_sql: str, touches_params: list) -> dict[tuple[str, str], int]:
    """2. Touches per (kind, actor)."""
    sql = f"SELECT u.kind, u.actor, COUNT(*) FROM ({touches_sql}) u GROUP BY u.kind, u.actor"
    with connection.cursor() as cursor:
        cursor.execute(sql, touches_params)
        return {(kind, actor): int(n) for kind, actor, n in cursor.fetchall()}


def _people(
    actors: dict[str, int], owners: dict[str, str]
) -> tuple[list[dict], list[tuple[str | None, int]]]:
    """Touches per actor (with the console user and their roles) and per role: a person with
    two roles counts in both; a touch by no console user or a user with no role under None."""
    names = {actor: username_of(actor, owners) for actor in actors}
    users = {
        u.username: sorted(g.name for g in u.groups.all())
        for u in User.objects.filter(
            username__in={n for n in names.values() if n}
        ).prefetch_related("groups")
    }
    by_user, by_role = [], defaultdict(int)
    for actor, n in sorted(actors.items(), key=lambda kv: (-kv[1], kv[0])):
        username = names[actor] if names[actor] in users else None
        roles = users.get(username, []) if username else []
        by_user.append({"actor": actor, "user": username, "roles": roles, "touches": n})
        for role in roles or [None]:
            by_role[role] += n
    return by_user, sorted(by_role.items(), key=lambda kv: (-kv[1], kv[0] or "~"))
