"""The run's report as Markdown (bench/results/ingest-*.md; docs/performance.md quotes one)."""

from __future__ import annotations

from bench.ingest.report import RATIOS, SIDE_NAMES, goals


def _header(report: dict) -> list[str]:
    m, c = report["machine"], report["config"]
    return [
        "# Ordino ingest benchmark",
        "",
        f"- when: {report['started_at']} · format `{report['format']}` · command: "
        f"`{report['command']}`",
        f"- machine: {m['cores']} cores, Python {m['python']}, SQLite {m['sqlite']}, "
        f"PostgreSQL {m['postgres']}, load average at start {m['loadavg_start']} / end "
        f"{m.get('loadavg_end')}",
        f"- servers: `ordino serve`'s gunicorn command line ({c['workers']} workers, "
        f"{c['worker_class']}, {c['threads']} threads) for Ordino and for the HTTP floor; "
        f"clients spread over {c['processes']} processes, keep-alive connections, the same "
        "number of orders in flight on every side",
        f"- order mix: the first {c['orders']} orders of the Olist sample "
        f"({c['lines_per_order']:.2f} lines per order on average), BRL; {c['rounds']} rounds, "
        "the five sides one after the other, their order rotating"
        + (" (quick mode)" if c.get("quick") else ""),
    ]


def _throughput(report: dict) -> list[str]:
    out = [
        "",
        "## Throughput and latency",
        "",
        "orders/s (median over rounds) · p50 / p99 ms (over every order of every round)",
        "",
        "| db | clients | " + " | ".join(SIDE_NAMES.values()) + " |",
        "| --- | ---: | " + " | ".join("---:" for _ in SIDE_NAMES) + " |",
    ]
    for kind, result in report["databases"].items():
        for row in result["rows"]:
            cells = [
                f"{row[s]['orders_per_s']} · {row[s]['p50_ms']} / {row[s]['p99_ms']}"
                for s in SIDE_NAMES
            ]
            out.append(f"| {kind} | {row['clients']} | " + " | ".join(cells) + " |")
    out += [
        "",
        "## Ratios (median of the per-round ratios)",
        "",
        "| db | clients | " + " | ".join(RATIOS) + " |",
        "| --- | ---: | " + " | ".join("---:" for _ in RATIOS) + " |",
    ]
    for kind, result in report["databases"].items():
        for row in result["rows"]:
            cells = [str(row[name]["median"]) for name in RATIOS]
            out.append(f"| {kind} | {row['clients']} | " + " | ".join(cells) + " |")
    return out


def _statements(report: dict) -> list[str]:
    out = [
        "",
        "## SQL statements per order (measured)",
        "",
        "Recorded with `connection.execute_wrapper` around one capture of each order (use case: "
        "`order_capture`; HTTP: `django.test.Client` POST with token and Idempotency-Key); "
        "BEGIN/COMMIT left out, SAVEPOINT/RELEASE counted. The floors count what they send.",
        "",
        "| db | 2-line order, use case | 2-line order, HTTP | mix mean, use case | mix mean, "
        "HTTP | statement floor sent | raw sent | savepoints (HTTP) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind, result in report["databases"].items():
        s = result["statements"]
        two, mean = s["two_line"], s["mix_mean"]
        row = result["rows"][0]
        out.append(
            f"| {kind} | {two['use_case']['count']} | {two['http']['count']} | "
            f"{mean['use_case']} | {mean['http']} | "
            f"{row['statement_floor']['statements_sent_per_order']} | "
            f"{row['raw']['statements_sent_per_order']} | {two['http']['savepoints']} |"
        )
    for kind, result in report["databases"].items():
        out += ["", f"### The 2-line order over HTTP on {kind}", "", "```"]
        out += result["statements"]["two_line"]["http"]["statements"]
        out += ["```"]
    return out


def markdown(report: dict) -> str:
    out = _header(report) + _throughput(report) + _statements(report)
    out += ["", "## Issue 9's goals in this run", ""]
    out += [f"- {line}" for line in goals(report)]
    return "\n".join(out) + "\n"
