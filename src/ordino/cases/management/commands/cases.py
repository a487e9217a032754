"""`ordino cases list`: the inbox, overdue first (`--mine USER`, `--team NAME`, `--unassigned`,
`--type CODE`); `ordino cases escalate`: escalate every case past its next ladder level and sweep
for old backorders and dead events now (the worker does both periodically). docs/cases.md."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ordino.cases.selectors import case_inbox, user_by_name
from ordino.cases.services import cases_escalate_due, cases_sweep
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError


class Command(BaseCommand):
    help = "List the cases inbox, or escalate the cases that are due now."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{list,escalate}")
        actions.required = True
        listing = actions.add_parser("list", help="the active cases, overdue first")
        listing.add_argument("--mine", metavar="USER", help="the cases USER owns")
        listing.add_argument("--team", metavar="NAME", help="the cases of team NAME")
        listing.add_argument("--unassigned", action="store_true", help="nobody owns them")
        listing.add_argument("--type", metavar="CODE", help="of one case type")
        listing.add_argument("--limit", type=int, default=100)
        actions.add_parser("escalate", help="escalate due cases and sweep for new ones")

    def handle(self, *args, **options) -> None:
        if options["action"] == "escalate":
            opened = cases_sweep()
            escalated = cases_escalate_due()
            self.stdout.write(f"Opened {opened} case(s); escalated {escalated} case(s).")
            return
        self._list(options)

    def _list(self, options: dict) -> None:
        filters: dict = {"type_code": options["type"], "team": options["team"]}
        try:
            if options["mine"]:
                filters |= {"view": "mine", "user_id": user_by_name(options["mine"]).pk}
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if options["unassigned"]:
            filters["view"] = "unassigned"
        now = utcnow()
        cases = case_inbox(limit=max(1, min(options["limit"], 1000)), **filters)
        for case in cases:
            due = "no due time" if case.due_at is None else case.due_at.strftime("%Y-%m-%d %H:%M")
            late = " OVERDUE" if case.due_at is not None and case.due_at < now else ""
            owner = case.owner_user.get_username() if case.owner_user else "-"
            self.stdout.write(
                f"{case.pk:>6}  {case.status:<8} {case.priority:<7} {case.type.code:<20} "
                f"{owner:<12} due {due}{late}  {case.title}"
            )
        self.stdout.write(f"{len(cases)} case(s).")
