"""Failure themes (docs/integrations.md, "Failure themes"): failures that share an error
signature are one problem. A theme reads as a heading a person understands ("412 Shopify
inbound calls failed with 'unknown SKU '…'' in the last 7 days"), counts per day for a
sparkline, and — where the log knows one — the configuration that would fix it.

The fixes are data (`FIXES`): the first rule whose status and pattern match a theme gives its
fix. A fix names a *place* (`code`); the console turns it into a link to the page that exists
(console/integrations/views.py), the API gives it as it is, with the docs that explain it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ordino.integrations.domain.signature import error_shape


@dataclass(frozen=True)
class Fix:
    code: str  # the place that fixes it: catalog_skus, connection_credentials, ...
    title: str  # what to do, as a link's words
    hint: str  # why, in one sentence
    docs: str  # the page that explains it


@dataclass(frozen=True)
class FixRule:
    fix: Fix
    statuses: frozenset[int] = frozenset()  # any of these statuses (empty: any status)
    pattern: re.Pattern[str] | None = None  # searched in the error (None: any error)
    systems: frozenset[str] = frozenset()  # only these systems (empty: any)

    def matches(self, *, system: str, status_code: int | None, error: str) -> bool:
        if self.systems and system not in self.systems:
            return False
        if self.statuses and status_code not in self.statuses:
            return False
        return self.pattern is None or bool(self.pattern.search(error))


def _rule(fix: Fix, *, statuses: Iterable[int] = (), pattern: str = "", systems=()) -> FixRule:
    compiled = re.compile(pattern, re.IGNORECASE) if pattern else None
    return FixRule(fix, frozenset(statuses), compiled, frozenset(systems))


SKU = Fix(
    "catalog_skus",
    "Add the SKU to the catalog, or map the channel's SKU to one of yours",
    "The channel sells a SKU Ordino does not know: create it, or give it an alias.",
    "docs/catalog-and-customers.md",
)
CHANNEL_PRODUCT = Fix(
    "channel_products",
    "Create the product on the channel, or correct its SKU there",
    "Ordino pushes stock for a SKU no product or variant of the channel has.",
    "docs/feeds.md",
)
STRIPE_SECRET = Fix(
    "stripe_webhook_secret",
    "Set ORDINO_STRIPE_WEBHOOK_SECRET to the endpoint's signing secret",
    "Stripe signs with the secret of the webhook endpoint in its dashboard; Ordino checks it.",
    "docs/payments-stripe.md",
)
STRIPE_KEY = Fix(
    "stripe_api_key",
    "Set ORDINO_STRIPE_SECRET_KEY to a valid secret key",
    "Stripe refused Ordino's API key (revoked, rolled or of another account).",
    "docs/payments-stripe.md",
)
CREDENTIALS = Fix(
    "connection_credentials",
    "Check the connection's credentials",
    "The other system refused Ordino's credentials: renew the token or the key.",
    "docs/integrations.md",
)
SIGNING_SECRET = Fix(
    "connection_webhook_secret",
    "Check the connection's webhook secret",
    "Requests arrive signed with a secret Ordino does not have: copy it from the channel.",
    "docs/integrations.md",
)
ENDPOINT_GONE = Fix(
    "webhook_endpoint",
    "Update or remove the webhook endpoint",
    "The receiver answered 410 Gone: it wants no more deliveries to this address.",
    "docs/integrations.md",
)
RATE_LIMITED = Fix(
    "connection_rate_limit",
    "Lower the connection's request rate",
    "The other system answered 429 Too Many Requests: Ordino retries later, slower.",
    "docs/integrations.md",
)

# First match wins: the specific before the general.
FIXES: tuple[FixRule, ...] = (
    # a stock push's refusal (connectors/platforms/stock.py: UNMAPPED), before the inbound kind
    _rule(CHANNEL_PRODUCT, pattern=r"\bunknown sku at the channel\b"),
    _rule(
        SKU,
        pattern=r"\b(unknown|no such|missing|unmapped)\b.{0,20}\bsku\b|\bsku\b.{0,40}"
        r"\b(not found|unknown|does not exist)\b",
    ),
    _rule(STRIPE_SECRET, systems={"stripe"}, pattern=r"stripe_(signature_invalid|webhook_unconf)"),
    _rule(STRIPE_KEY, systems={"stripe"}, statuses={401}),
    _rule(SIGNING_SECRET, pattern=r"signature|hmac"),
    _rule(CREDENTIALS, statuses={401, 403}),
    _rule(ENDPOINT_GONE, statuses={410}),
    _rule(RATE_LIMITED, statuses={429}),
)


def theme_fix(*, system: str, status_code: int | None, error: str) -> Fix | None:
    """The fix of the first rule matching this failure, or None: the log knows none."""
    for rule in FIXES:
        if rule.matches(system=system, status_code=status_code, error=error):
            return rule.fix
    return None


DIRECTION_WORDS = {"in": "inbound calls", "out": "outbound calls"}


def theme_heading(
    *, count: int, system: str, direction: str, operation: str, error: str, days: int
) -> str:
    """`412 Shopify inbound calls (orders/create) failed with "unknown SKU '…'" this week`."""
    calls = DIRECTION_WORDS.get(direction, "calls")
    if count == 1:
        calls = calls[:-1]
    what = f" ({operation})" if operation else ""
    shape = error_shape(error, value="'…'", number="…") or "no error message"
    return f'{count} {system_title(system)} {calls}{what} failed with "{shape}" {period(days)}'


def system_title(system: str) -> str:
    known = {"woocommerce": "WooCommerce", "ebay": "eBay", "erp": "ERP", "crm": "CRM"}
    return known.get(system, system[:1].upper() + system[1:])


def period(days: int) -> str:
    if days == 1:
        return "today"
    if days == 7:
        return "this week"
    return f"in the last {days} days"


def days_of(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def per_day(counts: dict[date, int], days: Sequence[date]) -> list[int]:
    """The counts of `days` in order, 0 where a day had none: the sparkline's points."""
    return [counts.get(day, 0) for day in days]
