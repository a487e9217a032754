"""`ordino integrations log|show|themes|export|prune` (docs/integrations.md, "Command line"):

    ordino integrations log [--system S] [--failed] [--since 2026-11-01] [--q TEXT] [--json]
    ordino integrations show ID
    ordino integrations themes [--days 7] [--system S]
    ordino integrations export --since 2026-06-01 [--until ...] --out calls.csv|calls.jsonl
    ordino integrations prune [--older-than-days 180]

The filters are the API's (`GET /integrations/calls`); a time is a day (UTC midnight) or an ISO
8601 time with its offset."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ordino.core.domain.errors import DomainError
from ordino.integrations.export import FORMATS, call_row, integration_calls_export
from ordino.integrations.selectors import (
    THEME_DAYS_MAX,
    CallFilters,
    integration_call_get,
    integration_calls_list,
    integration_themes,
)
from ordino.integrations.services import integration_calls_prune

LIMIT_MAX = 1000
KEEP_DAYS = 180


def _moment(text: str) -> datetime:
    """`2026-11-01` (that day's midnight, UTC) or an ISO 8601 time with its offset."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a day (2026-11-01) or an ISO 8601 time.") from None
    if len(text) == 10:
        return moment.replace(tzinfo=UTC)
    return moment


def _bounded(low: int, high: int, name: str):
    def parse(text: str) -> int:
        if not text.isdigit() or not low <= int(text) <= high:
            raise CommandError(f"{name} is {low} to {high}.")
        return int(text)

    return parse


def _filters(parser: CommandParser) -> None:
    parser.add_argument("--system", help="e.g. shopify, stripe, webhook")
    parser.add_argument("--direction", choices=("in", "out"))
    parser.add_argument("--failed", action="store_true", help="failures only")
    parser.add_argument("--status", type=_bounded(100, 599, "--status"), help="HTTP status")
    parser.add_argument("--operation", help="e.g. orders/create, payment_intents.create")
    parser.add_argument("--signature", help="a failure theme's signature")
    parser.add_argument("--since", type=_moment, help="from (a day, or a time with its offset)")
    parser.add_argument("--until", type=_moment, help="before (a day, or a time with its offset)")
    parser.add_argument("--q", help="text in the error or the endpoint")


def _filters_of(options: dict) -> CallFilters:
    return CallFilters(system=options["system"], direction=options["direction"],
                       ok=False if options["failed"] else None, status_code=options["status"],
                       operation=options["operation"], signature=options["signature"],
                       q=options["q"], since=options["since"], until=options["until"])  # fmt: skip


class Command(BaseCommand):
    help = "The integration log: search it, read a call, its failure themes, export, prune."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action_name",
                                        metavar="{log,show,themes,export,prune}")  # fmt: skip
        actions.required = True
        log = actions.add_parser("log", help="the newest matching calls, newest first")
        _filters(log)
        log.add_argument("--limit", type=_bounded(1, LIMIT_MAX, "--limit"), default=50)
        log.add_argument("--json", action="store_true", help="one JSON object per line")
        show = actions.add_parser("show", help="one call with its redacted headers and bodies")
        show.add_argument("call_id", type=_bounded(1, 2**63 - 1, "the call's id"))
        themes = actions.add_parser("themes", help="failures grouped by signature")
        themes.add_argument("--days", type=_bounded(1, THEME_DAYS_MAX, "--days"), default=7)
        themes.add_argument("--system")
        export = actions.add_parser("export", help="CSV or JSON lines, read in chunks")
        _filters(export)
        export.add_argument("--out", required=True, help="the file: .csv or .jsonl")
        export.add_argument("--format", choices=FORMATS, help="default: from --out's ending")
        prune = actions.add_parser("prune", help="delete calls older than N days")
        prune.add_argument("--older-than-days", type=_bounded(1, 3650, "--older-than-days"),
                           default=KEEP_DAYS)  # fmt: skip

    def handle(self, *args, **options) -> None:
        try:
            getattr(self, f"_{options['action_name']}")(options)
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def _log(self, options: dict) -> None:
        calls = list(integration_calls_list(_filters_of(options)).order_by("-id")
                     [: options["limit"]])  # fmt: skip
        if options["json"]:
            for call in calls:
                row = call_row(call)
                for payload in ("request_headers", "request_body", "response_body"):
                    row.pop(payload)
                self.stdout.write(json.dumps(row, sort_keys=True))
            return
        if not calls:
            self.stdout.write("No calls.")
            return
        self.stdout.write(f"{'id':>8} {'at (UTC)':<19} dir {'system':<12} {'operation':<24} "
                          "status  ms     error")  # fmt: skip
        for c in calls:
            at = c.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
            status = "-" if c.status_code is None else str(c.status_code)
            ms = "-" if c.latency_ms is None else str(c.latency_ms)
            mark = "ok" if c.ok else "FAIL"
            line = f"{c.pk:>8} {at:<19} {c.direction:<3} {c.system:<12} {c.operation:<24} "
            self.stdout.write(f"{line}{status:<4} {mark:<4} {ms:<6} {c.error}")

    def _show(self, options: dict) -> None:
        call = integration_call_get(options["call_id"])
        for name, value in call_row(call).items():
            if name in ("request_headers", "request_body", "response_body"):
                continue
            self.stdout.write(f"{name + ':':<17}{'' if value is None else value}")
        self.stdout.write("request headers:")
        for header, value in (call.request_headers or {}).items():
            self.stdout.write(f"  {header}: {value}")
        self.stdout.write(f"request body:\n{call.request_body}")
        self.stdout.write(f"response body:\n{call.response_body}")

    def _themes(self, options: dict) -> None:
        report = integration_themes(days=options["days"], system=options["system"])
        if not report.themes:
            self.stdout.write(f"No failures in the last {options['days']} days.")
            return
        for theme in report.themes:
            last = theme.last_seen.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(theme.heading)
            self.stdout.write(f"  per day: {' '.join(map(str, theme.per_day))}; last {last}; "
                              f"example: ordino integrations show {theme.example_id}")  # fmt: skip
            if theme.fix is not None:
                self.stdout.write(f"  fix: {theme.fix.title} ({theme.fix.docs})")
        if report.more:
            self.stdout.write(f"... and {report.more} more themes.")

    def _export(self, options: dict) -> None:
        out = Path(options["out"])
        fmt = options["format"] or {".csv": "csv", ".jsonl": "jsonl", ".json": "jsonl"}.get(
            out.suffix.lower()
        )
        if fmt is None:
            raise CommandError("--out ends in .csv or .jsonl, or give --format.")
        if options["since"] is None:
            raise CommandError("--since is required: the first day to export.")
        filters = _filters_of(options)
        integration_calls_list(filters)  # a bad filter is refused before a file is made
        partial = out.with_name(out.name + ".partial")
        try:
            with partial.open("w", encoding="utf-8", newline="") as file:
                written = integration_calls_export(file, filters=filters, fmt=fmt)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        os.replace(partial, out)  # a file that is there is complete
        self.stdout.write(f"Exported {written} calls to {out} ({fmt}).")

    def _prune(self, options: dict) -> None:
        deleted = integration_calls_prune(older_than_days=options["older_than_days"])
        self.stdout.write(f"Deleted {deleted} calls older than {options['older_than_days']} days.")
