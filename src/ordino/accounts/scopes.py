"""API token scopes. A `:write` scope implies the `:read` scope of the same area (the rule:
`scope_grants` in `core/principal.py`)."""

from __future__ import annotations

AREAS = (
    "catalog",
    "locations",
    "channels",
    "customers",
    "inventory",
    "orders",
    "fulfillment",
    "sourcing",
    "reports",
    "returns",
    "tax",
    "credit",  # store credit: reading and giving it (docs/payments.md, "Store credit")
    "cases",  # the inbox of exceptions: reading and working cases (docs/cases.md)
    "holds",  # hold and approval rules, an order's holds and their release (docs/holds.md)
    "audit",  # the audit log (docs/people.md); read only
    "users",  # the user report (docs/people.md); read only
    "webhooks",  # outbound webhooks: endpoints, messages, replays (docs/webhooks.md)
    "integrations",  # the integration log and its failure themes (docs/integrations.md); read
    "connectors",  # channel connections, inbound messages and their replay (docs/connectors.md)
    "transfer",  # CSV/XLSX imports and the legacy reconciliation (docs/transfer.md)
    "shipping",  # carriers' services, zones, rate sheets, surcharges and quotes (docs/shipping.md)
)
SCOPES = tuple(f"{area}:{mode}" for area in AREAS for mode in ("read", "write"))


def scopes_parse(text: str | list[str]) -> list[str]:
    raw = text.replace(",", " ").split() if isinstance(text, str) else list(text)
    chosen: list[str] = []
    for item in raw:
        if item in ("*", "all"):
            return list(SCOPES)
        if item in AREAS:  # bare area = read and write
            chosen += [f"{item}:read", f"{item}:write"]
            continue
        if item not in SCOPES:
            raise ValueError(f"unknown scope {item!r}; known scopes: {', '.join(SCOPES)} or '*'")
        chosen.append(item)
    return sorted(set(chosen), key=SCOPES.index)
