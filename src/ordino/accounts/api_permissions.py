"""What a person must be permitted to call each API write with their own token.

A token owned by a person (`ApiToken.owner`) does in the API what that person may do in the
console, nothing more (docs/people.md, "A person's API tokens"): besides its scopes, each write
operation needs the permission below — an action of `roles.ACTIONS` (`accounts.refund`) or, for
what the console edits on a model's page, that model's Django permission
(`catalog.change_product`). An integration's token (no owner) and a superuser's are limited by
their scopes and channel/location limits alone.

`ordino/api.py` checks every write operation against this table before its view runs; an
operation missing here is refused to every person's token (`UNLISTED`), and
`tests/reliability/test_role_matrix.py` fails until it is listed. `None`: a POST that only
reads (a preview, a simulation) or a provider's signed webhook, which no person calls.
"""

from __future__ import annotations

from ordino.accounts.roles import ACTIONS, APP_LABEL

V1 = "/api/v1"
UNLISTED = "accounts.unlisted_operation"  # held by nobody: a missing entry fails closed


def action(name: str) -> str:
    if name not in ACTIONS:
        raise ValueError(f"unknown action {name!r}: see accounts/roles.py")
    return f"{APP_LABEL}.{name}"


CANCEL, EDIT, REFUND, FULFIL = map(action, ("cancel_orders", "edit_orders", "refund", "fulfil"))
RETURNS, CASES = map(action, ("manage_returns", "work_cases"))
RULES = action("manage_rules")
INTEGRATIONS = action("manage_integrations")
HOOK = f"{V1}/webhooks/endpoints/{{endpoint_id}}"
FO_STEPS = ("accept", "pick", "pack", "hold", "release", "ship", "reject", "deliver",
            "ready-for-pickup", "picked-up")  # fmt: skip
RETURN_STEPS = ("approve", "decline", "cancel", "receive", "close")
CASE_STEPS = ("take", "assign", "status", "comments", "resolve")
FO = f"POST {V1}/fulfillment/orders/{{fo_id}}"
RETURN = f"POST {V1}/returns/{{return_id}}"
CASE = f"POST {V1}/cases/{{case_id}}"
HOLD_RULE = f"POST {V1}/holds/rules/{{code}}"
PROFILE = f"{V1}/sourcing/profiles/{{code}}"
ORDER = f"POST {V1}/orders/{{order_id}}"
SHIP, SHIP_CHANGE = f"{V1}/shipping/services/{{carrier}}/{{code}}", "shipping.change_carrierservice"

API_PERMISSIONS: dict[str, str | None] = {
    # shared configuration: the model's permission, as on its console page
    f"POST {V1}/catalog/products": "catalog.add_product",
    f"PATCH {V1}/catalog/products/{{code}}": "catalog.change_product",
    f"POST {V1}/catalog/skus": "catalog.add_sku",
    f"PATCH {V1}/catalog/skus/{{code}}": "catalog.change_sku",
    f"PUT {V1}/catalog/skus/{{code}}/components": "catalog.change_sku",
    f"POST {V1}/locations": "locations.add_location",
    f"PATCH {V1}/locations/{{code}}": "locations.change_location",
    f"POST {V1}/location-groups": "locations.add_locationgroup",
    f"POST {V1}/channels": "channels.add_channel",
    # a channel's feed of available-to-sell (docs/feeds.md), as on its console page
    f"PUT {V1}/feeds/{{code}}/settings": "feeds.change_feedsettings",
    f"POST {V1}/feeds/{{code}}/push": "feeds.change_feedsettings",
    f"PATCH {V1}/channels/{{code}}": "channels.change_channel",
    f"POST {V1}/tax/rates": "tax.add_taxrate",
    f"PATCH {V1}/tax/rates/{{rate_id}}": "tax.change_taxrate",
    f"DELETE {V1}/tax/rates/{{rate_id}}": "tax.delete_taxrate",
    f"PUT {V1}/shipping/boxes/{{code}}": "shipping.change_boxtype",
    # the customer's shipping e-mails (docs/shipping.md), as on the templates' console page
    f"PUT {V1}/shipping/notice-templates/{{kind}}": "shipping.change_shippingnoticetemplate",
    f"POST {V1}/shipping/notice-templates/{{kind}}/preview": None,  # reads
    # carriers' services and their tables (docs/shipping.md), as on the service's console page
    f"PUT {SHIP}": SHIP_CHANGE,
    f"PUT {SHIP}/zones": SHIP_CHANGE,
    f"PUT {SHIP}/rates": SHIP_CHANGE,
    f"PUT {SHIP}/surcharges/{{kind}}": SHIP_CHANGE,
    f"DELETE {SHIP}/surcharges/{{kind}}": SHIP_CHANGE,
    f"POST {SHIP}/deactivate": SHIP_CHANGE,
    f"POST {SHIP}/activate": SHIP_CHANGE,
    f"PUT {V1}/shipping/policies/{{channel}}": SHIP_CHANGE,  # as the services it chooses among
    f"DELETE {V1}/shipping/policies/{{channel}}": SHIP_CHANGE,
    f"POST {V1}/shipping/quote": None,  # reads
    f"POST {V1}/fulfillment/orders/{{fo_id}}/rates": FULFIL,  # a fulfillment step, as ship
    f"POST {V1}/fulfillment/orders/{{fo_id}}/ship-rated": FULFIL,
    # carrier accounts (shared configuration) and a parcel's label bought or voided (a step)
    f"PUT {V1}/shipping/accounts/{{code}}": "shipping.change_carrieraccount",
    f"POST {V1}/fulfillment/orders/{{fo_id}}/labels/purchase": FULFIL,
    f"POST {V1}/fulfillment/orders/{{fo_id}}/labels/buy-chosen": FULFIL,
    f"POST {V1}/fulfillment/orders/{{fo_id}}/ship-labels": FULFIL,  # a fulfillment step, as ship
    f"POST {V1}/fulfillment/orders/{{fo_id}}/labels/{{purchase_id}}/void": FULFIL,
    # customers: as the console's customer page edits them
    f"POST {V1}/customers": "customers.add_customer",
    f"PATCH {V1}/customers/{{customer_id}}": "customers.change_customer",
    f"POST {V1}/customers/{{customer_id}}/addresses": "customers.change_customer",
    f"POST {V1}/customers/{{customer_id}}/store-credit": REFUND,
    # stock: the ledger's models (no default role changes stock by hand; grant it to a role)
    f"POST {V1}/inventory/receipts": "inventory.change_stockbalance",
    f"POST {V1}/inventory/incoming": "inventory.change_stockbalance",
    f"POST {V1}/inventory/adjustments": "inventory.change_stockbalance",
    f"POST {V1}/inventory/counts": "inventory.change_stockbalance",
    f"POST {V1}/inventory/damages": "inventory.change_stockbalance",
    f"POST {V1}/inventory/safety-stock": "inventory.change_stockbalance",
    f"POST {V1}/inventory/transfers": "inventory.add_stocktransfer",
    f"POST {V1}/inventory/transfers/{{transfer_id}}/receive": "inventory.change_stocktransfer",
    f"POST {V1}/inventory/feeds": "inventory.add_stockfeed",
    f"POST {V1}/inventory/availability/bulk": None,  # reads
    # orders and their money
    f"POST {V1}/orders": "orders.add_order",  # a channel's capture: no console action does it
    f"{ORDER}/cancel": CANCEL,
    f"{ORDER}/comments": EDIT,
    f"{ORDER}/edit": EDIT,
    f"{ORDER}/payments": REFUND,
    f"{ORDER}/payments/{{payment_id}}/retry": REFUND,
    f"{ORDER}/refunds": REFUND,
    f"{ORDER}/refunds/{{refund_id}}/resend": REFUND,
    f"{ORDER}/credit-notes": REFUND,
    f"{ORDER}/risk/rescore": EDIT,  # as the order page's Risk panel (console/risk/panel.py)
    f"POST {V1}/payments/webhooks/stripe": None,  # signed by Stripe, no token
    # fulfillment
    **{f"{FO}/{step}": FULFIL for step in FO_STEPS},
    # sourcing
    f"POST {V1}/sourcing/profiles": RULES,
    f"PUT {PROFILE}/draft": RULES,
    f"POST {PROFILE}/draft/validate": None,  # reads
    f"POST {PROFILE}/versions/{{number}}/activate": RULES,
    f"POST {PROFILE}/default": RULES,
    f"POST {V1}/sourcing/simulate": None,  # reads
    f"POST {V1}/sourcing/backtest": None,  # reads
    f"PUT {V1}/sourcing/zones": RULES,
    f"PUT {V1}/sourcing/transit-times": RULES,
    f"PUT {V1}/sourcing/schedules/{{code}}": RULES,
    f"POST {V1}/promise": None,  # reads
    # returns and exchanges
    **{f"{RETURN}/{step}": RETURNS for step in RETURN_STEPS},
    f"POST {V1}/return-policies": RULES,
    f"{ORDER}/returns": RETURNS,
    f"{ORDER}/exchanges": RETURNS,
    # holds
    f"POST {V1}/holds/rules": RULES,
    f"POST {V1}/holds/rules/preview": None,  # reads
    f"{HOLD_RULE}/versions": RULES,
    f"{HOLD_RULE}/versions/{{number}}/activate": RULES,
    f"{HOLD_RULE}/retire": RULES,
    # the hold's own rule names the action (approval: its release_permission; else approve):
    # checked by holds' `hold_release` for the token's owner (docs/holds.md)
    f"{ORDER}/holds/{{hold_id}}/release": None,
    f"PATCH {V1}/risk/settings": RULES,  # fraud screening's settings, as in the console
    # the inbox
    f"POST {V1}/cases": CASES,
    **{f"{CASE}/{step}": CASES for step in CASE_STEPS},
    # the inbox's routing rules: configuration, as in the console (console/cases/routing.py)
    f"POST {V1}/cases/routing-rules": RULES,
    f"PUT {V1}/cases/routing-rules/{{code}}": RULES,
    f"DELETE {V1}/cases/routing-rules/{{code}}": RULES,
    f"POST {V1}/cases/routing-rules/preview": None,  # reads
    # outbound webhooks: integration configuration, as the console's Webhooks pages
    f"POST {V1}/webhooks/endpoints": INTEGRATIONS,
    f"PATCH {HOOK}": INTEGRATIONS,
    f"DELETE {HOOK}": INTEGRATIONS,
    f"POST {HOOK}/disable": INTEGRATIONS,
    f"POST {HOOK}/enable": INTEGRATIONS,
    f"POST {HOOK}/rotate-secret": INTEGRATIONS,
    f"POST {HOOK}/replay": INTEGRATIONS,
    f"POST {V1}/webhooks/messages/{{message_id}}/replay": INTEGRATIONS,
    # channel connectors (docs/connectors.md): configuration, as on the console's page
    f"POST {V1}/connectors/connections": "connectors.add_connection",
    f"PATCH {V1}/connectors/connections/{{connection_id}}": "connectors.change_connection",
    f"POST {V1}/connectors/connections/{{connection_id}}/test": "connectors.change_connection",
    f"POST {V1}/connectors/connections/{{connection_id}}/poll": "connectors.change_connection",
    f"POST {V1}/connectors/messages/{{message_id}}/replay": "connectors.change_inboundmessage",
    # a platform's signed webhook: no person calls it
    f"POST {V1}/connectors/{{connection_id}}/webhooks/{{platform}}": None,
    # carriers' tracking webhooks, signed or tokened by the aggregator (docs/shipping.md)
    f"POST {V1}/carriers/easypost/webhook": None,
    f"POST {V1}/carriers/shippo/webhook": None,
    # imports and the legacy reconciliation (docs/transfer.md): as the console's Import page
    f"POST {V1}/transfer/imports": "transfer.add_importjob",
    f"POST {V1}/transfer/reconcile": None,  # reads
}


def api_permission(label: str) -> str | None:
    """The permission a person needs for the write `label` ("POST /api/v1/orders/{order_id}/
    cancel"); `UNLISTED` for an operation this table does not know."""
    return API_PERMISSIONS.get(label, UNLISTED)
