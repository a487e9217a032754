"""`ordino shipping account|accounts|buy|buy-chosen|purchases|void|ship-labels|poll`
(docs/shipping.md, "Carrier adapters"): the carrier accounts' and label purchases' command-line
adapter, parsed and run for
`management/commands/shipping.py`. An API key is read from an environment variable (never an
argument: it would stay in the shell's history)."""

from __future__ import annotations

import os

from django.core.management.base import CommandError

from ordino.core.domain.money import quantum
from ordino.shipping.buy_chosen import labels_buy_chosen
from ordino.shipping.carrier_accounts import AccountSettings, carrier_account_list
from ordino.shipping.carrier_accounts import carrier_account_save as account_save
from ordino.shipping.carriers.base import ParcelSpec
from ordino.shipping.domain.weights import parcel_parse
from ordino.shipping.purchases import PurchaseRequest, label_purchase, label_void, purchases_of
from ordino.shipping.ship import fulfillment_ship_purchased
from ordino.shipping.tracking_poll import tracking_poll

ACTIONS = (
    "account", "accounts", "buy", "buy-chosen", "purchases", "void", "ship-labels", "poll",
)  # fmt: skip


def parsers(actions) -> None:
    account = actions.add_parser("account", help="create or change a carrier account")
    account.add_argument("code")
    account.add_argument("--name")
    account.add_argument("--adapter", choices=("offline", "easypost", "shippo"))
    account.add_argument("--api-key-env", metavar="VAR", help="the environment variable holding it")
    account.add_argument("--active", dest="is_active", action="store_true", default=None)
    account.add_argument("--inactive", dest="is_active", action="store_false")
    account.add_argument("--reason", default="")
    actions.add_parser("accounts", help="list the carrier accounts")
    buy = actions.add_parser("buy", help="buy a parcel's label from a carrier account")
    buy.add_argument("fo_id", type=int)
    buy.add_argument("--account", required=True)
    buy.add_argument(
        "--parcel", required=True, help="LxWxH@KG[: SKU*N, ...], e.g. 30x20x10@1.2: TEE*2"
    )
    buy.add_argument("--number", type=int, default=1, help="which parcel (1, 2, ...)")
    buy.add_argument("--service", default="", help="e.g. USPS:Priority; default the cheapest")
    chosen = actions.add_parser("buy-chosen", help="buy every parcel's label of a live choice")
    chosen.add_argument("fo_id", type=int)
    listed = actions.add_parser("purchases", help="a fulfillment order's labels bought")
    listed.add_argument("fo_id", type=int)
    void = actions.add_parser("void", help="void (refund) a bought label")
    void.add_argument("fo_id", type=int)
    void.add_argument("purchase_id", type=int)
    ship_labels = actions.add_parser("ship-labels", help="ship with the labels bought")
    ship_labels.add_argument("fo_id", type=int)
    poll = actions.add_parser("poll", help="poll a parcel's tracking through a carrier account")
    poll.add_argument("account")
    poll.add_argument("carrier")
    poll.add_argument("tracking_number")


def run(out, options, actor: str) -> None:
    action = options["action"]
    if action == "account":
        key = None
        if options["api_key_env"]:
            key = os.environ.get(options["api_key_env"])
            if not key:
                raise CommandError(f"The environment variable {options['api_key_env']} is empty.")
        values = AccountSettings(
            code=options["code"],
            name=options["name"],
            adapter=options["adapter"],
            api_key=key,
            is_active=options["is_active"],
            reason=options["reason"],
        )
        account, created = account_save(values=values, actor=actor)
        out.write(f"{'Created' if created else 'Changed'} {account}.")
    elif action == "accounts":
        for a in carrier_account_list():
            key = "key kept" if a.api_key_encrypted else "no key"
            out.write(
                f"{a.code:<16} {a.adapter:<9} {key:<8} "
                f"{'active' if a.is_active else 'inactive':<8} {a.name}"
            )
    elif action == "buy":
        p = parcel_parse(options["parcel"])
        command = PurchaseRequest(
            fo_id=options["fo_id"],
            account=options["account"],
            parcel=options["number"],
            measures=ParcelSpec(p.length_cm, p.width_cm, p.height_cm, p.weight_kg),
            service=options["service"],
            contents=p.contents,
        )
        purchase, now = label_purchase(command=command, actor=actor)
        out.write(("Bought" if now else "Bought before") + ": " + _line(purchase))
    elif action == "buy-chosen":
        for purchase in labels_buy_chosen(fo_id=options["fo_id"], actor=actor):
            out.write(_line(purchase))
    elif action == "purchases":
        for purchase in purchases_of(fo_id=options["fo_id"]):
            out.write(_line(purchase))
    elif action == "void":
        purchase = label_void(
            purchase_id=options["purchase_id"], fo_id=options["fo_id"], actor=actor
        )
        out.write(f"Voided: {_line(purchase)}")
    elif action == "ship-labels":
        cost = fulfillment_ship_purchased(fo_id=options["fo_id"], actor=actor)
        out.write(
            f"Shipped with {cost.service_name}, {cost.parcels} parcel(s), "
            f"{cost.amount} {cost.currency} (shipment {cost.shipment_id})."
        )
    else:
        recorded = tracking_poll(
            account=options["account"],
            carrier=options["carrier"],
            tracking_number=options["tracking_number"],
        )
        t = recorded.tracker
        out.write(
            f"{t.carrier} {t.tracking_number}: {recorded.status_before} -> {t.status}, "
            f"{recorded.added} event(s) added, {recorded.duplicates} known."
        )


def _line(p) -> str:
    cost = "-" if p.amount is None else f"{p.amount.quantize(quantum(p.currency))} {p.currency}"
    extra = f"  ({p.error})" if p.error else ""
    return (
        f"#{p.pk} parcel {p.parcel} {p.account.code} {p.status} "
        f"{p.tracking_number or '-'} {cost}{extra}"
    )
