"""`ordino audit search [--actor A] [--type T] [--id ID] [--action X] [--since T] [--until T]
[--q TEXT] [--limit N] [--json]`: the newest entries of the audit log matching every filter,
newest first (docs/people.md, "Audit"); the filters are the API's (`GET /audit`)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ordino.audit.selectors import audit_list
from ordino.core.domain.errors import DomainError

LIMIT_MAX = 1000


def _moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not an ISO 8601 time such as 2026-12-01T09:00Z.") from None


def _limit(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= LIMIT_MAX:
        raise CommandError(f"--limit is 1 to {LIMIT_MAX}.")
    return int(text)


class Command(BaseCommand):
    help = "Search the audit log: who changed what, when, from what to what, and why."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action_name", metavar="{search}")
        actions.required = True
        search = actions.add_parser("search", help="the newest matching entries, newest first")
        search.add_argument("--actor", help="exactly, e.g. user:ada, token:erp, cli:root")
        search.add_argument("--type", dest="object_type", help="object type, e.g. tax_rate")
        search.add_argument("--id", dest="object_id", help="object id, e.g. an order's id")
        search.add_argument("--action", help="e.g. changed, deleted, cancelled")
        search.add_argument("--since", type=_moment, help="from (ISO 8601 with its offset)")
        search.add_argument("--until", type=_moment, help="before (ISO 8601 with its offset)")
        search.add_argument("--q", help="text in the actor, object, label or reason")
        search.add_argument("--limit", type=_limit, default=50, help=f"1..{LIMIT_MAX} (50)")
        search.add_argument("--json", action="store_true", help="one JSON object per line")

    def handle(self, *args, **options) -> None:
        filters = {k: options[k] for k in ("actor", "object_type", "object_id", "action",
                                           "since", "until", "q")}  # fmt: skip
        try:
            entries = list(audit_list(**filters).order_by("-id")[: options["limit"]])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if options["json"]:
            for e in entries:
                self.stdout.write(json.dumps({
                    "id": e.pk, "at": e.at.isoformat(), "actor": e.actor,
                    "object_type": e.object_type, "object_id": e.object_id,
                    "object_label": e.object_label, "action": e.action, "before": e.before,
                    "after": e.after, "reason": e.reason}, sort_keys=True))  # fmt: skip
            return
        if not entries:
            self.stdout.write("No entries.")
            return
        self.stdout.write(f"{'at (UTC)':<20} {'actor':<20} {'action':<14} object")
        for e in entries:
            at = e.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
            what = f"{e.object_type} {e.object_id}" + (f" ({e.object_label})" if e.object_label
                                                      else "")  # fmt: skip
            reason = f" — {e.reason}" if e.reason else ""
            self.stdout.write(f"{at:<20} {e.actor:<20} {e.action:<14} {what}{reason}")
