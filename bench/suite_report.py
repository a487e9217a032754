"""The suite's report beyond its table (bench/run.py): the rows of capture's statement counts and
of capture with many orders stored, the notes under the table, the commit measured, and where
the report is written (bench/results/latest.json and latest.md, kept in git; timestamped copies,
not kept). See bench/README.md."""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def ingest_rows(w: dict, add) -> None:
    """Summary rows of capture's measured statement counts and of capture with many orders
    stored (loaded ÷ empty database, issue 9's goal ≥ 0.9)."""
    for db, r in w.get("ingest", {}).items():
        two = r.get("statements", {}).get("two_line")
        if two:
            add(
                "ingest, statements",
                db,
                "2-line order, use case / HTTP",
                f"{two['use_case']['count']} / {two['http']['count']}",
                "",
                "statements (measured)",
                None,
                "issue 9's budget: ≤ 10 over HTTP",
            )
    for db, r in w.get("ingest_loaded", {}).items():
        for row in r.get("rows", []):
            pre, scans = r["preload"], len(r["plans"]["full_scans"])
            path = "HTTP" if row["path"] == "ordino_http" else "use case"
            add(
                f"ingest, {pre['orders']:,} orders stored",
                db,
                f"{row['clients']} clients, {path}",
                row["loaded"]["orders_per_s"],
                row["empty"]["orders_per_s"],
                "orders/s (empty database)",
                row["loaded_vs_empty"]["median"],
                f"p99 {row['loaded']['p99_ms']} ms (empty {row['empty']['p99_ms']}); preload "
                f"{pre['seconds']} s; {scans} full scans of big tables",
            )


def loaded_notes(report: dict) -> list[str]:
    """Capture with many orders stored: the preload and the query plans that scan a big table."""
    from bench.ingest_loaded import markdown as loaded_markdown

    databases = {
        db: r for db, r in report["workloads"].get("ingest_loaded", {}).items() if "rows" in r
    }
    if not databases:
        return []
    table = loaded_markdown(databases)
    notes = [line for line in table if not line.startswith("|")]
    return ["", "## Capture with many orders stored", *notes]


def write(report: dict, text: str, results: Path = RESULTS) -> Path:
    """The report as bench/results/latest.json and latest.md (kept in git: the figures of the
    last full run travel with the code they measured) and a timestamped copy of each (not kept,
    /.gitignore). Returns the timestamped JSON's path."""
    results.mkdir(parents=True, exist_ok=True)
    stem = results / f"suite-{report['started_at'].replace(':', '')}"
    body = json.dumps(report, indent=2, default=str) + "\n"
    for path, content in (
        (stem.with_suffix(".json"), body),
        (stem.with_suffix(".md"), text),
        (results / "latest.json", body),
        (results / "latest.md", text),
    ):
        path.write_text(content)
    print()
    print(text)
    print(f"written: {results / 'latest.md'}, latest.json and {stem.name}.json / .md")
    return stem.with_suffix(".json")


def git_state() -> dict:
    """The commit measured, and whether the working tree differed from it."""
    import subprocess

    root = Path(__file__).resolve().parents[1]

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    status = git("status", "--porcelain", "--untracked-files=no")
    return {
        "commit": git("rev-parse", "HEAD") or None,
        "branch": git("rev-parse", "--abbrev-ref", "HEAD") or None,
        "dirty": bool(status),
    }
