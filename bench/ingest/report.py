"""Figures of a run: per database and client count, each side's throughput and latency, the
ratios issue 9 names (each the median of the per-round ratios), statement counts, Markdown."""

from __future__ import annotations

import statistics
from collections import Counter

from bench.ingest.clients import percentile

SIDE_NAMES = {
    "ordino_http": "Ordino over HTTP",
    "http_floor": "HTTP floor",
    "use_case": "Ordino use case",
    "statement_floor": "statement floor",
    "raw": "raw transaction",
}
# name: (numerator side, denominator side, goal or None)
RATIOS = {
    "http_vs_http_floor": ("ordino_http", "http_floor", 0.5),
    "use_case_vs_statement_floor": ("use_case", "statement_floor", 0.5),
    "http_vs_use_case": ("ordino_http", "use_case", None),
    "statement_floor_vs_raw": ("statement_floor", "raw", None),
    "http_floor_vs_raw": ("http_floor", "raw", None),
    "http_vs_raw": ("ordino_http", "raw", None),
}
STATEMENT_GOAL = 10  # per 2-line order over HTTP, token and Idempotency-Key included
P99_GOAL_MS = 50  # at 16 clients on PostgreSQL


def _statements_sent(statuses: dict) -> float | None:
    """Mean statements per order from statuses like "12 statements" (the floors count what
    they send); None for sides whose status is an HTTP code."""
    counted = {k: n for k, n in statuses.items() if k.endswith(" statements")}
    if not counted:
        return None
    total = sum(int(k.split()[0]) * n for k, n in counted.items())
    return round(total / sum(counted.values()), 2)


def _side(figures: list[dict]) -> dict:
    latencies = [x for f in figures for x in f.pop("latencies", [])]
    statuses: Counter = Counter()
    for f in figures:
        statuses.update(f["statuses"])
    return {
        "orders_per_s": round(statistics.median(f["orders_per_s"] for f in figures), 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 2),
        "p95_ms": round(percentile(latencies, 95) * 1000, 2),
        "p99_ms": round(percentile(latencies, 99) * 1000, 2),
        "statuses": dict(statuses),
        "statements_sent_per_order": _statements_sent(dict(statuses)),
        "rounds": figures,
    }


def rows(kind: str, runs: dict[int, dict[str, list[dict]]]) -> list[dict]:
    out = []
    for clients, sides in runs.items():
        row: dict = {"db": kind, "clients": clients}
        for side, figures in sides.items():
            row[side] = _side(figures)
        for name, (top, bottom, _goal) in RATIOS.items():
            per_round = [
                a["orders_per_s"] / b["orders_per_s"]
                for a, b in zip(sides[top], sides[bottom], strict=True)
            ]
            row[name] = {
                "median": round(statistics.median(per_round), 3),
                "rounds": [round(x, 3) for x in per_round],
            }
        out.append(row)
    return out


def round_line(kind: str, rnd: int, rounds: int, clients: int, sides: dict) -> str:
    last = {side: figures[-1] for side, figures in sides.items()}
    parts = [f"{side} {f['orders_per_s']:.1f}/s" for side, f in last.items()]
    http = last["ordino_http"]["orders_per_s"] / last["http_floor"]["orders_per_s"]
    use = last["use_case"]["orders_per_s"] / last["statement_floor"]["orders_per_s"]
    return (
        f"[{kind}] round {rnd + 1}/{rounds} clients {clients:>2}: "
        + "  ".join(parts)
        + f"  | HTTP÷floor {http:.3f}  use case÷statement floor {use:.3f}"
        + f"  statuses {last['ordino_http']['statuses']}"
    )


def goals(report: dict) -> list[str]:
    """Issue 9's goals that this run measures, each met or missed and by how much."""
    out = []
    for kind, result in report["databases"].items():
        for row in result["rows"]:
            for name, (_top, _bottom, goal) in RATIOS.items():
                if goal is not None:
                    got = row[name]["median"]
                    verdict = "met" if got >= goal else f"missed ({got / goal:.2f} of the goal)"
                    where = f"{kind}, {row['clients']} clients"
                    out.append(f"{where}: {name} {got} ≥ {goal}: {verdict}")
            if kind == "postgres" and row["clients"] == 16:
                p99 = row["ordino_http"]["p99_ms"]
                verdict = "met" if p99 < P99_GOAL_MS else "missed"
                out.append(f"{kind}, 16 clients: HTTP p99 {p99} ms < {P99_GOAL_MS} ms: {verdict}")
        count = result["statements"]["two_line"]["http"]["count"]
        verdict = "met" if count <= STATEMENT_GOAL else f"missed by {count - STATEMENT_GOAL}"
        goal = f"≤ {STATEMENT_GOAL}"
        out.append(f"{kind}: {count} statements per 2-line order over HTTP {goal}: {verdict}")
    return out
