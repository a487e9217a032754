"""`ordino cases list`: the inbox, overdue first (`--mine USER`, `--team NAME`, `--unassigned`,
`--type CODE`); `ordino cases escalate`: escalate every case past its next ladder level and sweep
for old backorders and dead events now (the worker does both periodically); `ordino cases
routing list|add|remove|preview`: the routing rules (docs/cases.md, "Routing")."""

from __future__ import annotations

import getpass
import json

from django.core.management.base import BaseCommand, CommandError

from ordino.cases import services
from ordino.cases.domain.status import PRIORITIES
from ordino.cases.selectors import case_inbox, user_by_name
from ordino.cases.services import cases_escalate_due, cases_sweep
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError


class Command(BaseCommand):
    help = "List the cases inbox, or escalate the cases that are due now."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{list,escalate,routing}")
        actions.required = True
        listing = actions.add_parser("list", help="the active cases, overdue first")
        listing.add_argument("--mine", metavar="USER", help="the cases USER owns")
        listing.add_argument("--team", metavar="NAME", help="the cases of team NAME")
        listing.add_argument("--unassigned", action="store_true", help="nobody owns them")
        listing.add_argument("--type", metavar="CODE", help="of one case type")
        listing.add_argument("--limit", type=int, default=100)
        actions.add_parser("escalate", help="escalate due cases and sweep for new ones")
        self._routing_arguments(actions.add_parser("routing", help="the case routing rules"))

    def _routing_arguments(self, parser) -> None:
        steps = parser.add_subparsers(dest="step", metavar="{list,add,remove,preview}")
        steps.required = True
        steps.add_parser("list", help="the rules, in the order they are tried")
        add = steps.add_parser("add", help="add a rule (checked first: nothing saved if wrong)")
        add.add_argument("code")
        add.add_argument("--name", required=True)
        add.add_argument("--condition", required=True, help="JSON, as in docs/holds.md")
        add.add_argument("--type", action="append", default=[], dest="types", metavar="CODE",
                         help="a case type it applies to (repeat; none: every type)")  # fmt: skip
        add.add_argument("--team", help="the team's name")
        add.add_argument("--priority", choices=PRIORITIES, default="")
        add.add_argument("--position", type=int, help="default: last")
        remove = steps.add_parser("remove", help="delete a rule")
        remove.add_argument("code")
        remove.add_argument("--reason", default="")
        preview = steps.add_parser("preview", help="which of the last 500 orders would match")
        preview.add_argument("--condition", required=True)
        preview.add_argument("--type", default="", help="a case type")

    def handle(self, *args, **options) -> None:
        if options["action"] == "routing":
            try:
                self._routing(options)
            except DomainError as exc:
                problems = [str(p["message"]) for p in exc.errors] or [exc.message]
                raise CommandError("; ".join(problems)) from exc
            return
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

    def _routing(self, options: dict) -> None:
        actor = f"cli:{getpass.getuser()}"
        step = options["step"]
        if step == "list":
            rules = services.routing_rules()
            for rule in rules:
                shown = services.routing_rule_snapshot(rule)
                types = ",".join(shown["case_types"]) or "any"
                self.stdout.write(
                    f"{shown['position']:>5}  {shown['code']:<20} types {types:<24} "
                    f"team {shown['team'] or '-':<16} priority {shown['priority'] or '-':<7} "
                    f"{json.dumps(shown['condition'])}"
                )
            self.stdout.write(f"{len(rules)} routing rule(s).")
        elif step == "add":
            rule = services.routing_rule_create(
                data=services.RoutingRuleIn(
                    code=options["code"], name=options["name"],
                    condition=_json(options["condition"]), case_types=options["types"],
                    team=options["team"], priority=options["priority"],
                    position=options["position"],
                ),
                actor=actor,
            )  # fmt: skip
            self.stdout.write(f"Routing rule {rule.code} added at position {rule.position}.")
        elif step == "remove":
            services.routing_rule_delete(
                code=options["code"], actor=actor, reason=options["reason"]
            )
            self.stdout.write(f"Routing rule {options['code']} removed.")
        else:
            found = services.routing_preview(
                condition=_json(options["condition"]), case_type=options["type"]
            )
            for match in found["matches"]:
                self.stdout.write(f"{match['order']:<30} {match['why']}")
            self.stdout.write(
                f"Would route {found['matched']} of the last {found['tested']} orders."
            )


def _json(text: str) -> dict:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise CommandError(f"--condition is not JSON: {exc}") from None
