"""`ordino demo`: load the demo data set (synthetic from a seed, or the real Olist sample)."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ordino.core.domain.clock import utcnow
from ordino.demo.load import demo_load, demo_present
from ordino.demo.olist import OlistError, olist_read
from ordino.demo.synthetic import demo_generate


class Command(BaseCommand):
    help = (
        "Load demo data: a retailer with products, locations, channels, customers, stock and "
        "orders made from --seed, or the Olist sample with --olist DIR."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--orders", type=int, default=300, help="orders to capture")
        parser.add_argument(
            "--olist", type=Path, default=None, metavar="DIR", help="replay the Olist CSVs in DIR"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="load even if this demo data is there already (adds what is missing)",
        )

    def handle(self, *args, **options) -> None:
        if options["orders"] < 0:
            raise CommandError("--orders must be 0 or more.")
        started = time.perf_counter()
        now = utcnow()  # "today", once: the data's dates and the load's steps follow from it
        if options["olist"] is not None:
            try:
                data = olist_read(options["olist"], orders=options["orders"], seed=options["seed"])
            except OlistError as exc:
                raise CommandError(str(exc)) from None
        else:
            data = demo_generate(seed=options["seed"], orders=options["orders"], now=now)
        if demo_present(data) and not options["force"]:
            raise CommandError(
                f"The demo data ({data.name}) is already in this database. "
                "Use --force to load it again (existing objects are kept, missing ones added)."
            )
        self.stdout.write(f"Loading demo data: {data.name}")
        report = demo_load(data, now=now, echo=self.stdout.write)
        elapsed = time.perf_counter() - started
        for failure in report.failures[:20]:
            self.stderr.write(f"  refused: {failure}")
        if len(report.failures) > 20:
            self.stderr.write(f"  ... and {len(report.failures) - 20} more refusals")
        replays = f", {report.replayed_orders} replayed" if report.replayed_orders else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded in {elapsed:.1f} s: {report.created['orders']} orders "
                f"captured{replays}, {report.created['cancels']} cancellations, "
                f"{len(report.failures)} refused."
            )
        )
