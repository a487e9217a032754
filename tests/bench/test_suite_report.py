"""The suite's report (bench/run.py, bench/suite_report.py): capture with many orders stored
reaches the summary, and the report lands in bench/results/latest.json and latest.md (the
files git keeps) next to a timestamped copy. No benchmark runs here: the report is made up."""

from __future__ import annotations

import json

from bench.run import FORMAT, markdown, summary
from bench.suite_report import git_state, write


def _side(orders_per_s: float, p99: float) -> dict:
    return {"orders_per_s": orders_per_s, "p50_ms": 10.0, "p99_ms": p99, "rounds": []}


def _report() -> dict:
    loaded = {
        "preload": {"orders": 1_000_000, "rows": {"orders_order": 1_000_000}, "seconds": 300.0},
        "rows": [
            {
                "db": "postgres",
                "clients": 16,
                "path": "ordino_http",
                "empty": _side(40.0, 400.0),
                "loaded": _side(36.0, 450.0),
                "loaded_vs_empty": {"median": 0.9, "rounds": [0.9]},
            }
        ],
        "plans": {
            "explained": [{"sql": "SELECT 1", "nodes": [], "full_scans": []}],
            "full_scans": [
                {
                    "sql": 'SELECT "customers_customer"."id" FROM "customers_customer"',
                    "full_scans": [{"table": "customers_customer", "rows": 600_000}],
                }
            ],
        },
    }
    return {
        "format": FORMAT,
        "started_at": "2026-11-30T18:00:00Z",
        "finished_at": "2026-11-30T18:30:00Z",
        "quick": False,
        "machine": {
            "cores": 2,
            "python": "3.11.7",
            "sqlite": "3.40.1",
            "postgres": "15.20",
            "loadavg_start": [1.0, 1.0, 1.0],
            "loadavg_end": [2.0, 2.0, 2.0],
            "git": {"commit": "abc123", "branch": "main", "dirty": False},
        },
        "config": {"rounds": 3},
        "workloads": {"ingest_loaded": {"postgres": loaded}},
        "errors": [],
    }


def test_capture_with_orders_stored_reaches_the_summary_and_latest_files(tmp_path):
    # given: a report holding a capture-with-orders-stored run
    report = _report()
    report["summary"] = summary(report)
    # when
    stamped = write(report, markdown(report), tmp_path)
    # then: one summary row, loaded ÷ empty as the ratio
    (row,) = report["summary"]
    assert row["workload"] == "ingest, 1,000,000 orders stored"
    assert (row["figure"], row["ordino"], row["baseline"], row["ratio"]) == (
        "16 clients, HTTP",
        36.0,
        40.0,
        0.9,
    )
    # ... written as latest.json / latest.md and a timestamped copy, all the same report
    assert stamped.name == "suite-2026-11-30T180000Z.json"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "latest.json",
        "latest.md",
        "suite-2026-11-30T180000Z.json",
        "suite-2026-11-30T180000Z.md",
    ]
    assert json.loads((tmp_path / "latest.json").read_text()) == json.loads(stamped.read_text())
    text = (tmp_path / "latest.md").read_text()
    assert "- commit: `abc123`" in text
    assert "| ingest, 1,000,000 orders stored | postgres | 16 clients, HTTP | 36.0 | 40.0 |" in text
    assert "- customers_customer (600,000 rows): `SELECT" in text


def test_the_commit_measured_is_the_checked_out_one():
    # when
    state = git_state()
    # then: a full hash, a branch name, and whether the tree differs from it
    assert len(state["commit"]) == 40
    assert state["branch"]
    assert isinstance(state["dirty"], bool)
