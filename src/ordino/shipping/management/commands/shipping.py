"""`ordino shipping ...`: carriers' services, their zones and rate sheets, and rate shopping
(docs/shipping.md):

    ordino shipping services
    ordino shipping service CARRIER CODE --name N --currency EUR --max-weight 31.5 [--unit kg]
        [--divisor 5000] [--min-volume 0] [--increment 0.5] [--transit-days 2]
        [--max-longest 120] [--max-length-plus-girth 300]
    ordino shipping zones CARRIER:CODE FILE.csv        (zone,country,region,postal_prefix)
    ordino shipping rates CARRIER:CODE FILE.csv        (zone,above,up_to,price)
    ordino shipping surcharge CARRIER:CODE KIND [--amount A] [--percent P] [--longest L]
        [--length-plus-girth G] [--prefixes 18565,27498] [--remove]
    ordino shipping quote --to DE/10115 --parcel 30x20x10@1.2 [--parcel ...]
        [--policy cheapest] [--promised 2026-12-08] [--residential] [--service CARRIER:CODE]
    ordino shipping box CODE --inner 300x200x100 --outer 310x210x110 --tare 150
        --max-weight 5000 [--name N] [--location WH-A] [--inactive]      (mm and g)
    ordino shipping boxes [--location WH-A]
    ordino shipping pack FO_ID
    ordino shipping labels SHIPMENT_ID [--format pdf|zpl] --out FILE
    ordino shipping labels --location CODE --date YYYY-MM-DD [--format pdf|zpl] --out FILE
    ordino shipping slip FO_ID [--paper a4|letter] --out FILE      (a packing slip, PDF)
    ordino shipping manifest LOCATION CARRIER YYYY-MM-DD [--format pdf|csv] [--paper a4|letter]
        --out FILE                                    (a carrier's manifest of the day)
    ordino shipping customs SHIPMENT_ID [--paper a4|letter] --out FILE   (its CN22/CN23)
    ordino shipping track CARRIER TRACKING_NUMBER     (a parcel's status and timeline)
    ordino shipping rate FO_ID --parcel 30x20x10@1.2 [--parcel ...] [--policy cheapest]
        [--promised 2026-12-08] [--service CARRIER:CODE] [--no-live]   (kept on the FO)
    ordino shipping ship-rated FO_ID --tracking T1 [--tracking T2 ...]   (one per rated parcel)
    ordino shipping account CODE [--name N] [--adapter offline|easypost|shippo]
        [--api-key-env VAR] [--active|--inactive]          (shipping/carriers_cli.py)
    ordino shipping accounts
    ordino shipping buy FO_ID --account CODE --parcel 30x20x10@1.2 [--number 1] [--service S]
    ordino shipping purchases FO_ID
    ordino shipping void FO_ID PURCHASE_ID
    ordino shipping buy-chosen FO_ID                  (every parcel's label of a live choice)
    ordino shipping ship-labels FO_ID                 (ship with the labels bought)
    ordino shipping policy CHANNEL [POLICY|--remove] [--reason R]   (shipping/policies_cli.py)
    ordino shipping policies
    ordino shipping poll ACCOUNT CARRIER TRACKING_NUMBER
    ordino shipping notices SHIPMENT_ID               (its customer e-mails: sent, skipped)
    ordino shipping notice-template KIND [--channel CODE] [--subject S --body-file FILE
        [--html-file FILE] [--from ADDRESS] [--inactive] [--reason R]]
                                                      (shown, or set: checked and audited)
    ordino shipping notice-preview KIND [--channel CODE] [--order NUMBER] [--subject S]
        [--body-file FILE] [--html-file FILE]         (a draft rendered; nothing saved)
"""

from __future__ import annotations

import getpass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.shipping import boxes_cli, carriers_cli, policies_cli
from ordino.shipping.commands import ServiceSettings
from ordino.shipping.documents.cli import (
    customs_write,
    documents_arguments,
    manifest_write,
    slip_write,
)
from ordino.shipping.domain.policy import POLICIES
from ordino.shipping.domain.quote import SURCHARGE_KINDS, Destination, Surcharge
from ordino.shipping.domain.weights import parcel_parse
from ordino.shipping.labels.selectors import (
    FORMATS,
    labels_render,
    location_day_labels,
    shipment_labels,
)
from ordino.shipping.models import CarrierService
from ordino.shipping.notices.cli import (
    notice_preview_run,
    notice_template_run,
    notices_arguments,
    notices_lines,
)
from ordino.shipping.rating import RateRequest, fulfillment_rate
from ordino.shipping.selectors import (
    choice_serialize,
    shipment_rates,
)
from ordino.shipping.services import (
    carrier_service_activate,
    carrier_service_save,
    service_rates_load,
    service_surcharge_set,
    service_zones_load,
)
from ordino.shipping.ship import fulfillment_ship_rated
from ordino.shipping.tracking_selectors import tracker_tracking


class Command(BaseCommand):
    help = "Carriers' services, zones, rate sheets, surcharges and rate shopping."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action")
        actions.required = True
        actions.add_parser("services", help="list the services and what is loaded")
        svc = actions.add_parser("service", help="create or change a service")
        svc.add_argument("carrier")
        svc.add_argument("code")
        svc.add_argument("--name", required=True)
        svc.add_argument("--currency", required=True)
        svc.add_argument("--max-weight", type=Decimal, required=True)
        svc.add_argument("--unit", default="kg", choices=["kg", "lb"])
        for flag, default in (
            ("--divisor", "5000"),
            ("--min-volume", "0"),
            ("--increment", "0.5"),
            ("--max-longest", "0"),
            ("--max-length-plus-girth", "0"),
        ):
            svc.add_argument(flag, type=Decimal, default=Decimal(default))
        svc.add_argument("--transit-days", type=int, default=2)
        svc.add_argument("--reason", default="")
        for name in ("zones", "rates"):
            load = actions.add_parser(name, help=f"replace a service's {name} with a CSV file")
            load.add_argument("service", help="CARRIER:CODE")
            load.add_argument("file")
        for name in ("activate", "deactivate"):
            switch = actions.add_parser(name, help=f"{name} a service (quoted and chosen or not)")
            switch.add_argument("service", help="CARRIER:CODE")
            switch.add_argument("--reason", default="")
        sur = actions.add_parser("surcharge", help="set or remove a surcharge of a service")
        sur.add_argument("service", help="CARRIER:CODE")
        sur.add_argument("kind", choices=SURCHARGE_KINDS)
        for flag in ("--amount", "--percent", "--longest", "--length-plus-girth"):
            sur.add_argument(flag, type=Decimal, default=Decimal(0))
        sur.add_argument("--prefixes", default="", help="comma-separated postal prefixes")
        sur.add_argument("--remove", action="store_true")
        quote = actions.add_parser("quote", help="rate a shipment and choose by a policy")
        quote.add_argument("--to", required=True, help="COUNTRY[/REGION]/POSTAL, e.g. DE/10115")
        quote.add_argument("--parcel", action="append", required=True, help="LxWxH@KG in cm")
        quote.add_argument("--policy", default="cheapest", choices=POLICIES)
        quote.add_argument("--promised", type=date.fromisoformat)
        quote.add_argument("--residential", action="store_true")
        quote.add_argument("--service", action="append", default=[], help="CARRIER:CODE")
        labels = actions.add_parser("labels", help="a shipment's labels, or a location's day's")
        labels.add_argument("shipment", nargs="?", type=int, help="the shipment's id")
        labels.add_argument("--location", help="every shipment from this location on --date")
        labels.add_argument("--date", type=date.fromisoformat, help="YYYY-MM-DD (UTC)")
        labels.add_argument("--format", choices=sorted(FORMATS), default="pdf")
        labels.add_argument("--out", required=True, help="the file to write")
        documents_arguments(actions)
        notices_arguments(actions)
        track = actions.add_parser("track", help="a parcel's tracking status and timeline")
        track.add_argument("carrier")
        track.add_argument("tracking_number")
        ship = actions.add_parser("ship-rated", help="ship with the latest rating's choice")
        ship.add_argument("fo_id", type=int)
        ship.add_argument("--tracking", action="append", required=True, help="one per parcel")
        rate = actions.add_parser("rate", help="rate a fulfillment order and keep the choice")
        rate.add_argument("fo_id", type=int)
        rate.add_argument(
            "--parcel",
            action="append",
            required=True,
            help="LxWxH@KG in cm, optionally with what it holds: 30x20x10@1.2: TEE*2, MUG",
        )
        rate.add_argument(
            "--policy", choices=POLICIES, help="default: the channel's policy, else cheapest"
        )
        rate.add_argument("--promised", type=date.fromisoformat)
        rate.add_argument("--service", action="append", default=[], help="CARRIER:CODE")
        rate.add_argument(
            "--no-live", dest="live", action="store_false", help="skip the live carrier accounts"
        )
        boxes_cli.parsers(actions)
        carriers_cli.parsers(actions)
        policies_cli.parsers(actions)

    def handle(self, *args, **options) -> None:
        actor = f"cli:{getpass.getuser()}"
        try:
            if options["action"] in boxes_cli.ACTIONS:
                boxes_cli.run(self.stdout, options, actor)
            elif options["action"] in carriers_cli.ACTIONS:
                carriers_cli.run(self.stdout, options, actor)
            elif options["action"] in policies_cli.ACTIONS:
                policies_cli.run(self.stdout, options, actor)
            else:
                getattr(self, f"_{options['action'].replace('-', '_')}")(options, actor)
        except DomainError as refused:
            details = "\n".join(e["message"] for e in refused.errors)
            raise CommandError(f"{refused.message}\n{details}".strip()) from None

    def _services(self, options, actor) -> None:
        for s in CarrierService.objects.select_related("carrier"):
            zones, brackets = s.zones.count(), s.brackets.count()
            self.stdout.write(
                f"{s}  {s.name}  {s.currency}  up to {s.max_weight} {s.unit}, "
                f"{s.transit_days} day(s); {zones} zone rows, {brackets} brackets"
                + ("" if s.is_active else "  (inactive)")
            )

    def _service(self, options, actor) -> None:
        command = ServiceSettings(
            carrier=options["carrier"],
            code=options["code"],
            name=options["name"],
            currency=options["currency"].upper(),
            max_weight=options["max_weight"],
            unit=options["unit"],
            divisor=options["divisor"],
            min_volume=options["min_volume"],
            increment=options["increment"],
            transit_days=options["transit_days"],
            max_longest=options["max_longest"],
            max_length_plus_girth=options["max_length_plus_girth"],
            reason=options["reason"],
        )
        service = carrier_service_save(command=command, actor=actor)
        self.stdout.write(f"Saved {service}.")

    def _activate(self, options, actor, active: bool = True) -> None:
        service = carrier_service_activate(
            service_key=options["service"], active=active, reason=options["reason"], actor=actor
        )
        self.stdout.write(f"{service} is {'active' if service.is_active else 'inactive'}.")

    def _deactivate(self, options, actor) -> None:
        self._activate(options, actor, active=False)

    def _zones(self, options, actor) -> None:
        n = service_zones_load(service_key=options["service"], data=_read(options), actor=actor)
        self.stdout.write(f"Loaded {n} zone rows into {options['service']}.")

    def _rates(self, options, actor) -> None:
        n = service_rates_load(service_key=options["service"], data=_read(options), actor=actor)
        self.stdout.write(f"Loaded {n} brackets into {options['service']}.")

    def _surcharge(self, options, actor) -> None:
        prefixes = tuple(p.strip() for p in options["prefixes"].split(",") if p.strip())
        surcharge = Surcharge(
            options["kind"],
            options["amount"],
            options["percent"],
            options["longest"],
            options["length_plus_girth"],
            prefixes,
        )
        service_surcharge_set(
            service_key=options["service"],
            surcharge=surcharge,
            actor=actor,
            remove=options["remove"],
        )
        self.stdout.write(f"{'Removed' if options['remove'] else 'Set'} {options['kind']}.")

    def _quote(self, options, actor) -> None:
        parts = options["to"].split("/")
        if len(parts) not in (2, 3):
            raise CommandError("--to is COUNTRY/POSTAL or COUNTRY/REGION/POSTAL.")
        region = parts[1] if len(parts) == 3 else ""
        to = Destination(parts[0], region, parts[-1], options["residential"])
        choice = shipment_rates(
            parcels=[parcel_parse(p) for p in options["parcel"]],
            destination=to,
            policy=options["policy"],
            ship_day=utcnow().date(),
            promised=options["promised"],
            keys=options["service"],
        )
        self._choice(choice_serialize(choice))

    def _ship_rated(self, options, actor) -> None:
        cost = fulfillment_ship_rated(
            fo_id=options["fo_id"], tracking_numbers=options["tracking"], actor=actor
        )
        self.stdout.write(
            f"Shipment {cost.shipment_id}: {cost.service_name} ({cost.service}), "
            f"{cost.parcels} parcel(s), {cost.amount} {cost.currency}."
        )

    def _rate(self, options, actor) -> None:
        command = RateRequest(
            fo_id=options["fo_id"],
            parcels=[parcel_parse(p) for p in options["parcel"]],
            policy=options["policy"],
            promised=options["promised"],
            services=tuple(options["service"]),
            live=options["live"],
        )
        rating = fulfillment_rate(command=command, actor=actor)
        self.stdout.write(f"Kept as rating {rating.pk} of fulfillment order {options['fo_id']}.")
        self._choice({"policy": rating.policy, "why": rating.why, **rating.answer})

    def _choice(self, data: dict) -> None:
        self.stdout.write(f"Policy {data['policy']}: {data['why']}.")
        for mark, offer in [("*", data["chosen"]), *[(" ", o) for o in data["runners_up"]]]:
            if offer is None:
                continue
            self.stdout.write(
                f"{mark} {offer['service']}  {offer['total']} {offer['currency']}"
                f"  delivered {offer['delivery']}"
            )
            for i, parcel in enumerate(offer["parcels"], start=1):
                self.stdout.write(f"    parcel {i}: " + "; ".join(parcel["why"]))
        for refused in data["left_out"]:
            self.stdout.write(f"  left out {refused['service']}: {refused['why']}")

    def _labels(self, options, actor) -> None:
        one = options["shipment"] is not None
        bulk = options["location"] is not None and options["date"] is not None
        if one == bulk or (not bulk and (options["location"] or options["date"])):
            raise CommandError("Give a shipment id, or --location and --date.")
        if bulk:
            labels = location_day_labels(location=options["location"], day=options["date"])
            if not labels:
                raise CommandError(
                    f"Nothing shipped from {options['location']} on {options['date']}."
                )
        else:
            labels = shipment_labels(shipment_id=options["shipment"])
        document, _ = labels_render(labels, options["format"])
        try:
            Path(options["out"]).write_bytes(document)
        except OSError as exc:
            raise CommandError(f"Cannot write {options['out']}: {exc.strerror}.") from None
        shipments = len({label.shipment_id for label in labels})
        self.stdout.write(
            f"Wrote {len(labels)} label(s) of {shipments} shipment(s) to {options['out']}."
        )

    def _slip(self, options, actor) -> None:
        self.stdout.write(slip_write(options))

    def _manifest(self, options, actor) -> None:
        self.stdout.write(manifest_write(options))

    def _customs(self, options, actor) -> None:
        self.stdout.write(customs_write(options))

    def _notices(self, options, actor) -> None:
        self.stdout.write("\n".join(notices_lines(options)))

    def _notice_template(self, options, actor) -> None:
        self.stdout.write("\n".join(notice_template_run(options, actor)))

    def _notice_preview(self, options, actor) -> None:
        self.stdout.write("\n".join(notice_preview_run(options)))

    def _track(self, options, actor) -> None:
        parcel = tracker_tracking(
            carrier=options["carrier"], tracking_number=options["tracking_number"]
        )
        flag = "  ACTION REQUIRED" if parcel["action_required"] else ""
        self.stdout.write(
            f"{parcel['carrier']} {parcel['tracking_number']}: {parcel['status_label']}{flag}"
        )
        for e in parcel["timeline"]:
            where = f"  [{e['location']}]" if e["location"] else ""
            self.stdout.write(
                f"  {e['occurred_at']:%Y-%m-%d %H:%M} UTC  {e['status']:<20} "
                f"{e['description']}{where}"
            )
        if not parcel["timeline"]:
            self.stdout.write("  no events yet")


def _read(options) -> bytes:
    try:
        return Path(options["file"]).read_bytes()
    except OSError as exc:
        raise CommandError(f"Cannot read {options['file']}: {exc.strerror}.") from None
