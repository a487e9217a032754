"""`ordino holds list [--open] [--order ID]`: orders' holds, newest first; `ordino holds
release HOLD_ID --reason TEXT`: release one, as staff do on the order page and the API;
`ordino holds report [--days N]`: what each rule did, as `GET /holds/report` (docs/holds.md)."""

from __future__ import annotations

import getpass
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint
from ordino.holds.domain.rules import REPORT_DEFAULT_DAYS, REPORT_MAX_DAYS
from ordino.holds.selectors import holds_listed, holds_report
from ordino.holds.services import hold_release

LIST_MAX = 200


class Command(BaseCommand):
    help = "Orders' holds: list them, or release one with a reason."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{list,release,report}")
        actions.required = True
        listing = actions.add_parser("list", help="holds, newest first")
        listing.add_argument("--open", action="store_true", help="only holds still open")
        listing.add_argument("--order", type=int, help="only this order's")
        listing.add_argument("--limit", type=int, default=50, help=f"at most {LIST_MAX}")
        release = actions.add_parser("release", help="release one open hold")
        release.add_argument("hold", type=int, help="the hold's id")
        release.add_argument("--reason", required=True, help="why it is released")
        report = actions.add_parser("report", help="what each rule did")
        days_help = f"holds placed in the last N days, at most {REPORT_MAX_DAYS}"
        report.add_argument("--days", type=int, default=REPORT_DEFAULT_DAYS, help=days_help)

    def handle(self, *args, **options) -> None:
        try:
            with savepoint():  # a refusal undoes this command's work only
                if options["action"] == "list":
                    self._list(options)
                elif options["action"] == "report":
                    self._report(options["days"])
                else:
                    self._release(options)
        except DomainError as refused:
            raise CommandError(refused.message) from None

    def _list(self, options: dict) -> None:
        limit = options["limit"]
        if not 1 <= limit <= LIST_MAX:
            raise CommandError(f"--limit is between 1 and {LIST_MAX}.")
        holds = holds_listed(open_only=options["open"], order_id=options["order"], limit=limit)
        if not holds:
            self.stdout.write("No holds.")
        for hold in holds:
            state = (
                f"released {hold.released_at:%Y-%m-%d %H:%M} ({hold.released_how})"
                if hold.released_at
                else "open"
            )
            self.stdout.write(
                f"{hold.pk:>6}  order {hold.order_id:<8} {hold.kind:<8} {hold.cause:<24} "
                f"placed {hold.placed_at:%Y-%m-%d %H:%M}  {state}  {hold.reason}"
            )

    def _release(self, options: dict) -> None:
        hold = hold_release(
            hold_id=options["hold"], actor=f"cli:{getpass.getuser()}", reason=options["reason"]
        )
        self.stdout.write(f"Hold {hold.pk} of order {hold.order_id} released: {hold.reason}.")

    def _report(self, days: int) -> None:
        if not 1 <= days <= REPORT_MAX_DAYS:  # as GET /holds/report's period (docs/holds.md)
            raise CommandError(f"--days is between 1 and {REPORT_MAX_DAYS}.")
        now = utcnow()
        rows = holds_report(since=now - timedelta(days=days), until=now)
        self.stdout.write(f"Holds placed in the last {days} days, per rule.")
        if not rows:
            self.stdout.write("No rule.")
            return
        self.stdout.write(
            f"{'rule':<24} {'fired':>6} {'orders':>6} {'median h':>9} {'overridden':>10} "
            f"{'open':>5}"
        )
        for r in rows:
            median = "-" if r["median_hours_held"] is None else str(r["median_hours_held"])
            flag = "  always overridden" if r["always_overridden"] else ""
            self.stdout.write(
                f"{r['rule']:<24} {r['fired']:>6} {r['orders_held']:>6} {median:>9} "
                f"{r['overridden']:>10} {r['open']:>5}{flag}"
            )
