"""`ordino risk show ORDER_ID`: an order's score and each signal's contribution;
`ordino risk rescore ORDER_ID`: score it again now; `ordino risk settings [--weight
SIGNAL=POINTS ...] [--velocity-hours N] [--velocity-limit N] [--review-threshold N]
[--high-value CUR=AMOUNT ...] [--reason TEXT]`: show or change the settings (docs/risk.md)."""

from __future__ import annotations

import getpass
import json

from django.core.management.base import BaseCommand, CommandError

from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint
from ordino.risk.domain.settings import LABELS, settings_dump
from ordino.risk.selectors import order_risk_get, risk_serialize, risk_settings
from ordino.risk.services import order_risk_rescore, risk_settings_change


class Command(BaseCommand):
    help = "Fraud screening: an order's risk, scoring it again, the settings."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{show,rescore,settings}")
        actions.required = True
        for name, what in (("show", "an order's score and signals"),
                           ("rescore", "score an order again now")):  # fmt: skip
            actions.add_parser(name, help=what).add_argument("order", type=int, help="order id")
        change = actions.add_parser("settings", help="show the settings, or change some")
        change.add_argument("--weight", action="append", default=[], metavar="SIGNAL=POINTS")
        change.add_argument("--high-value", action="append", default=[], metavar="CUR=AMOUNT",
                            help="replaces the whole table when given")  # fmt: skip
        for name in ("velocity-hours", "velocity-limit", "review-threshold"):
            change.add_argument(f"--{name}", type=int)
        change.add_argument("--reason", default="", help="why (kept in the audit log)")

    def handle(self, *args, **options) -> None:
        try:
            with savepoint():  # a refusal undoes this command's work only
                getattr(self, f"_{options['action']}")(options)
        except DomainError as refused:
            details = "; ".join(f"{e['field']}: {e['message']}" for e in refused.errors)
            raise CommandError(details or refused.message) from None

    def _show(self, options: dict) -> None:
        self._print(risk_serialize(order_risk_get(order_id=options["order"])))

    def _rescore(self, options: dict) -> None:
        risk = order_risk_rescore(order_id=options["order"], actor=f"cli:{getpass.getuser()}")
        self._print(risk_serialize(risk))

    def _print(self, risk: dict) -> None:
        review = f"  to review (from {risk['review_threshold']})" if risk["review"] else ""
        self.stdout.write(f"Order {risk['order_id']}: risk {risk['score']} of 100{review}")
        for s in risk["signals"]:
            self.stdout.write(f"  {s['points']:>+4}  {LABELS.get(s['code'], s['code']):<38} "
                              f"{s['detail']}")  # fmt: skip

    def _settings(self, options: dict) -> None:
        values: dict = {}
        if options["weight"]:
            values["weights"] = {k: _int(v, k) for k, v in _pairs(options["weight"])}
        if options["high_value"]:
            values["high_value"] = dict(_pairs(options["high_value"]))
        for name in ("velocity_hours", "velocity_limit", "review_threshold"):
            if options[name] is not None:
                values[name] = options[name]
        if values:
            settings = risk_settings_change(values=values, actor=f"cli:{getpass.getuser()}",
                                            reason=options["reason"])  # fmt: skip
        else:
            settings = risk_settings()
        self.stdout.write(json.dumps(settings_dump(settings), indent=2))


def _pairs(items: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise CommandError(f"{item!r}: write NAME=VALUE.")
        pairs.append((key.strip(), value.strip()))
    return pairs


def _int(text: str, name: str) -> int:
    if not text.isdigit() or len(text) > 6:
        raise CommandError(f"{name}: a whole number.")
    return int(text)
