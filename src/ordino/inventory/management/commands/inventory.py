"""`ordino inventory check [--repair]`, `ordino inventory receive|count|adjust` and
`ordino inventory feed FILE`.

check   rebuild every balance from the ledger and compare; exit 1 when any differs.
        --repair rewrites the differing balances from the ledger (stop writers first).
receive / count / adjust   the operators' everyday stock changes, written to the ledger with
        the actor `cli:<user>`.
feed    apply a bulk stock feed (CSV location,sku,quantity; `-` reads standard input); exit 1
        when the file is refused (nothing changed) or when rows were refused by stock rules.
"""

from __future__ import annotations

import getpass
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from ordino.core.domain.errors import DomainError
from ordino.inventory import services
from ordino.inventory.domain.ledger import FIELDS
from ordino.inventory.domain.operations import ADJUST_REASONS
from ordino.inventory.feed import stock_feed_apply


class Command(BaseCommand):
    help = "Check the stock ledger against the balances; receive, count and adjust stock."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{check,receive,count,adjust,feed}")
        actions.required = True
        check = actions.add_parser(
            "check", help="rebuild every balance from the ledger and report any difference"
        )
        check.add_argument(
            "--repair",
            action="store_true",
            help="rewrite differing balances from the ledger (stop every writer first)",
        )
        for name, amount, helptext in (
            ("receive", "--quantity", "receive units: they become available"),
            ("count", "--counted", "set on hand to a counted quantity (cycle count)"),
            ("adjust", "--delta", "add (+N) or remove (-N) units with a reason"),
        ):
            sub = actions.add_parser(name, help=helptext)
            sub.add_argument("--location", required=True, metavar="CODE")
            sub.add_argument("--sku", required=True, metavar="CODE")
            sub.add_argument(amount, required=True, type=int, metavar="N")
            if name == "adjust":
                sub.add_argument("--reason", required=True, choices=ADJUST_REASONS)
            sub.add_argument("--reference", default="")
            sub.add_argument("--note", default="")
        feed = actions.add_parser(
            "feed", help="apply a bulk stock feed: a CSV of absolute counts (location,sku,quantity)"
        )
        feed.add_argument("file", metavar="FILE", help="the CSV file, or - for standard input")

    def handle(self, *args, **options) -> None:
        if options["action"] == "check":
            self.handle_check(repair=options["repair"])
            return
        if options["action"] == "feed":
            self.handle_feed(options["file"])
            return
        try:
            change = self.stock_change(options)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        for b in change.balances:
            self.stdout.write(
                f"{b.location.code} {b.sku.code}: on hand {b.on_hand}, committed {b.committed}, "
                f"safety {b.safety_stock}, unavailable {b.unavailable}, incoming {b.incoming}, "
                f"available {b.available}"
            )
        ids = ", ".join(str(i) for i in change.movement_ids) or "none (nothing to change)"
        self.stdout.write(f"ledger movements: {ids}")

    def stock_change(self, options) -> services.StockChange:
        common = {
            "location_code": options["location"],
            "sku_code": options["sku"],
            "reference": options["reference"],
            "note": options["note"],
            "actor": f"cli:{_user()}",
        }
        if options["action"] == "receive":
            return services.stock_receive(quantity=options["quantity"], **common)
        if options["action"] == "count":
            return services.stock_count(counted=options["counted"], **common)
        return services.stock_adjust(delta=options["delta"], reason=options["reason"], **common)

    def handle_feed(self, path: str) -> None:
        source = sys.stdin if path == "-" else path
        if path != "-" and not os.path.isfile(path):
            raise CommandError(f"no such file: {path}")
        try:
            feed = stock_feed_apply(
                rows_or_file=source,
                actor=f"cli:{_user()}",
                file_name="stdin" if path == "-" else os.path.basename(path),
            )
        except DomainError as exc:
            for error in exc.errors:
                self.stderr.write(f"{error['field']}: {error['message']}")
            raise CommandError(exc.message) from None
        seconds = (feed.finished_at - feed.started_at).total_seconds()
        self.stdout.write(
            f"feed {feed.pk}: {feed.rows} rows, {feed.applied} applied, {feed.unchanged} "
            f"unchanged, {feed.refused} refused ({seconds:.1f} s)"
        )
        for refusal in feed.refusals:
            self.stdout.write(refusal["message"])
        if feed.refused > len(feed.refusals):
            self.stdout.write(f"... and {feed.refused - len(feed.refusals)} more refused rows")
        if feed.refused:
            raise CommandError(
                f"{feed.refused} row(s) refused by stock rules (the rest was applied)",
                returncode=1,
            )

    def handle_check(self, *, repair: bool) -> None:
        if repair:
            self.stderr.write(
                self.style.WARNING(
                    "Rewriting balances from the ledger. Stop every server and worker first: "
                    "a stock change made meanwhile could be lost from its balance."
                )
            )
            result = services.inventory_repair()
        else:
            result = services.inventory_check()
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(f"ledger and balances agree: {result.checked} balances checked")
            )
            return
        for d in result.differences:
            where = (
                f"{result.location_codes.get(d.location_id, d.location_id)} "
                f"{result.sku_codes.get(d.sku_id, d.sku_id)}"
            )
            if d.stored is None:
                where += " (no balance row)"
            fields = ", ".join(
                f"{field} {stored} (ledger {ledger})"
                for field, (stored, ledger) in sorted(
                    d.fields.items(), key=lambda item: FIELDS.index(item[0])
                )
            )
            self.stdout.write(f"{where}: {fields}")
        count = len(result.differences)
        if repair:
            self.stdout.write(
                self.style.SUCCESS(
                    f"repaired {count} balance(s) from the ledger; "
                    f"{result.checked} balances checked"
                )
            )
            return
        raise CommandError(
            f"ledger and balances differ: {count} of {result.checked} balances "
            "(run `ordino inventory check --repair` to rewrite them from the ledger)",
            returncode=1,
        )


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
