"""What a person must be permitted to read each API GET with their own token.

A person's token reads what the person reads in the console, nothing more (docs/people.md,
"A person's API tokens"): besides its scope (`orders:read`, ...), each GET needs the permission
the console asks for the same page — the model's *view* permission (`orders.view_order`, as the
order list and page), an action permission where the console asks one (`accounts.see_finance`
for the journal, `accounts.see_audit` for the audit log, `accounts.manage_users` for the user
report), or a tuple of them of which any one will do (the console lets who may change the rules
read them too). Finance's documents and the payment ledger ask the view permissions that the
order page's invoices and money panels ask (`console/orders/panels.py`); the network's reports
ask `see_reports`, as the dashboard does.

`ordino/api.py` checks every GET against this table before its view runs, as it checks writes
against `api_permissions.py`; a GET missing here is refused to every person's token
(`UNLISTED`), and `tests/reliability/test_role_matrix.py` fails until it is listed. An
integration's token (no owner) and a superuser's are limited by their scopes alone.
"""

from __future__ import annotations

from ordino.accounts.api_permissions import INTEGRATIONS, RULES, UNLISTED, V1, action
from ordino.core.principal import Permission

FINANCE, AUDIT, USERS, REPORTS = map(
    action, ("see_finance", "see_audit", "manage_users", "see_reports")
)
ORDER = "orders.view_order"  # the order list and page, with their panels
ORDER_OF = f"GET {V1}/orders/{{order_id}}"
CASE = "cases.view_case"  # the inbox
FO = ("fulfillment.view_fulfillmentorder", action("fulfil"))  # the store's queue
RETURN = ("returns.view_return", action("manage_returns"))  # the returns desk
STOCK = "inventory.view_stockbalance"
SOURCING = f"{V1}/sourcing"
CONNECTION = ("connectors.view_connection", "connectors.change_connection")
MESSAGE = ("connectors.view_inboundmessage", "connectors.change_inboundmessage")
FEED = ("feeds.view_feedsettings", "feeds.change_feedsettings")  # console/feeds/views.py

API_READ_PERMISSIONS: dict[str, Permission] = {
    f"GET {V1}/accounting/journal": FINANCE,
    f"GET {V1}/audit": AUDIT,
    # the inbox, its case types, its routing rules (console/cases/routing.py)
    f"GET {V1}/cases": CASE,
    f"GET {V1}/cases/routing-rules": ("cases.view_routingrule", RULES),
    f"GET {V1}/cases/routing-rules/{{code}}": ("cases.view_routingrule", RULES),
    f"GET {V1}/cases/types": CASE,
    f"GET {V1}/cases/{{case_id}}": CASE,
    # shared configuration: its console page's view permission
    f"GET {V1}/catalog/products": "catalog.view_product",
    f"GET {V1}/catalog/products/{{code}}": "catalog.view_product",
    f"GET {V1}/catalog/skus": "catalog.view_sku",
    f"GET {V1}/catalog/skus/{{code}}": "catalog.view_sku",
    f"GET {V1}/channels": "channels.view_channel",
    f"GET {V1}/channels/{{code}}": "channels.view_channel",
    f"GET {V1}/customers": "customers.view_customer",
    f"GET {V1}/customers/{{customer_id}}": "customers.view_customer",
    f"GET {V1}/customers/{{customer_id}}/store-credit": "payments.view_storecreditaccount",
    f"GET {V1}/exchanges": RETURN,
    f"GET {V1}/exchanges/{{exchange_id}}": RETURN,
    f"GET {V1}/fulfillment/orders": FO,
    f"GET {V1}/fulfillment/orders/{{fo_id}}": FO,
    f"GET {V1}/fulfillment/orders/{{fo_id}}/packing": FO,
    # a location's shipping paper: printed by who works its queue (docs/shipping.md)
    f"GET {V1}/fulfillment/orders/{{fo_id}}/packing-slip": FO,
    f"GET {V1}/shipping/manifests/{{location}}/{{carrier}}/{{date}}": FO,
    f"GET {V1}/shipments/{{shipment_id}}/tracking": FO,  # a shipment's parcels (docs/shipping.md)
    f"GET {V1}/shipments/{{shipment_id}}/notices": FO,  # its customer e-mails (docs/shipping.md)
    f"GET {V1}/fulfillment/orders/{{fo_id}}/rates": FO,  # its rating (docs/shipping.md)
    f"GET {V1}/fulfillment/orders/{{fo_id}}/labels": FO,  # its labels bought (docs/shipping.md)
    # hold rules and what they did: the hold rules page (console/holds/views.py)
    f"GET {V1}/holds/report": ("holds.view_holdrule", RULES),
    f"GET {V1}/holds/rules": ("holds.view_holdrule", RULES),
    f"GET {V1}/holds/rules/{{code}}": ("holds.view_holdrule", RULES),
    f"GET {V1}/inventory/availability/{{sku}}": STOCK,
    f"GET {V1}/inventory/balances": STOCK,
    f"GET {V1}/inventory/feeds/{{feed_id}}": "inventory.view_stockfeed",
    f"GET {V1}/inventory/movements": "inventory.view_stockmovement",
    f"GET {V1}/inventory/transfers": "inventory.view_stocktransfer",
    f"GET {V1}/inventory/transfers/{{transfer_id}}": "inventory.view_stocktransfer",
    f"GET {V1}/invoices/{{invoice_id}}": "invoices.view_invoice",
    f"GET {V1}/invoices/{{invoice_id}}/pdf": "invoices.view_invoice",
    f"GET {V1}/location-groups": "locations.view_locationgroup",
    f"GET {V1}/locations": "locations.view_location",
    f"GET {V1}/locations/{{code}}": "locations.view_location",
    # orders and what their page shows
    f"GET {V1}/orders": ORDER,
    ORDER_OF: ORDER,
    f"{ORDER_OF}/balance": "payments.view_payment",  # the money panel: the payment ledger
    f"{ORDER_OF}/changes": ORDER,
    f"{ORDER_OF}/holds": ORDER,
    f"{ORDER_OF}/invoices": "invoices.view_invoice",  # the invoices panel
    f"{ORDER_OF}/return-link": RETURN,
    f"{ORDER_OF}/risk": ORDER,
    f"{ORDER_OF}/sourcing": ORDER,
    f"{ORDER_OF}/timeline": ORDER,
    # the network's reports: the dashboard's (console/dashboard/view.py) and the Reports page's
    f"GET {V1}/reports/kpis": REPORTS,
    f"GET {V1}/reports/returns": REPORTS,
    f"GET {V1}/reports/shipping": REPORTS,
    f"GET {V1}/reports/series": REPORTS,
    f"GET {V1}/reports/teams": USERS,
    f"GET {V1}/reports/touches": ORDER,
    f"GET {V1}/return-policies": RETURN,
    f"GET {V1}/returns": RETURN,
    f"GET {V1}/returns/{{return_id}}": RETURN,
    f"GET {V1}/returns/{{return_id}}/label": RETURN,  # docs/returns.md, "The return label"
    f"GET {V1}/risk/settings": ("risk.view_risksetting", RULES),
    # a shipment's labels: printed by who works the store's queue (docs/shipping.md, "Labels")
    f"GET {V1}/shipments/{{shipment_id}}/labels": FO,
    f"GET {V1}/shipments/{{shipment_id}}/customs": FO,  # its CN22/CN23 (docs/shipping.md)
    # sourcing: its console pages' view permissions
    f"GET {SOURCING}/profiles": "sourcing.view_sourcingprofile",
    f"GET {SOURCING}/profiles/{{code}}": "sourcing.view_sourcingprofile",
    f"GET {SOURCING}/profiles/{{code}}/audit": "sourcing.view_profileaudit",
    f"GET {SOURCING}/profiles/{{code}}/versions": "sourcing.view_sourcingprofileversion",
    f"GET {SOURCING}/schedules/{{code}}": "sourcing.view_locationschedule",
    f"GET {SOURCING}/transit-times": "sourcing.view_transittime",
    f"GET {SOURCING}/zones": "sourcing.view_distancezone",
    f"GET {V1}/tax/rates": "tax.view_taxrate",
    f"GET {V1}/shipping/accounts": "shipping.view_carrieraccount",
    f"GET {V1}/shipping/boxes": "shipping.view_boxtype",
    f"GET {V1}/shipping/boxes/{{code}}": "shipping.view_boxtype",
    f"GET {V1}/shipping/notice-templates": "shipping.view_shippingnoticetemplate",
    f"GET {V1}/shipping/notice-templates/{{kind}}": "shipping.view_shippingnoticetemplate",
    f"GET {V1}/shipping/services": "shipping.view_carrierservice",
    f"GET {V1}/shipping/policies": "shipping.view_carrierservice",
    f"GET {V1}/shipping/services/{{carrier}}/{{code}}": "shipping.view_carrierservice",
    f"GET {V1}/users/report": USERS,
    # integrations: as their console pages (the integration log, webhooks: `manage_integrations`;
    # connections, inbound messages, feeds, imports: their models' view or change permission)
    f"GET {V1}/integrations/calls": INTEGRATIONS,
    f"GET {V1}/integrations/calls/{{call_id}}": INTEGRATIONS,
    f"GET {V1}/integrations/themes": INTEGRATIONS,
    f"GET {V1}/webhooks/event-types": INTEGRATIONS,
    f"GET {V1}/webhooks/endpoints": INTEGRATIONS,
    f"GET {V1}/webhooks/endpoints/{{endpoint_id}}": INTEGRATIONS,
    f"GET {V1}/webhooks/endpoints/{{endpoint_id}}/messages": INTEGRATIONS,
    f"GET {V1}/webhooks/messages/{{message_id}}": INTEGRATIONS,
    f"GET {V1}/connectors/connections": CONNECTION,
    f"GET {V1}/connectors/connections/{{connection_id}}": CONNECTION,
    f"GET {V1}/connectors/messages": MESSAGE,
    f"GET {V1}/connectors/messages/{{message_id}}": MESSAGE,
    f"GET {V1}/feeds/{{code}}": FEED,
    f"GET {V1}/feeds/{{code}}/items": FEED,
    f"GET {V1}/transfer/imports/{{job_id}}": "transfer.view_importjob",
}


def api_read_permission(label: str) -> Permission:
    """The permission (or permissions, any one) a person needs for the GET `label`
    ("GET /api/v1/orders/{order_id}"); `UNLISTED` for a GET this table does not know."""
    return API_READ_PERMISSIONS.get(label, UNLISTED)
