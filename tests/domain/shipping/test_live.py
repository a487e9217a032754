"""Live rates as quotes (docs/shipping.md, "Live rates"): each provider rate with an estimate is
a quote that says where it came from; one without an estimate, below zero, or in another
currency is left out with why; a service priced for some parcels only is left out; a live
service's days per parcel make the shipment arrive with the slowest."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ordino.shipping.domain.live import (
    LivePrice,
    currency_align,
    live_answers,
    live_failure,
    live_service,
)
from ordino.shipping.domain.policy import offers_make
from ordino.shipping.domain.quote import Quote, Refusal

D = Decimal
MONDAY = date(2026, 12, 7)


def test_a_rate_with_an_estimate_is_a_quote_saying_where_it_came_from():
    (quote,) = live_answers("ep", "EasyPost", [LivePrice("USPS", "Priority", D("6.95"), "USD", 2)])
    assert isinstance(quote, Quote)
    assert (quote.service.key, quote.service.offered_as, quote.total, quote.transit_days) == (
        "ep:USPS/Priority",
        "USPS:Priority",
        D("6.95"),
        2,
    )
    assert (quote.zone, quote.weights, quote.surcharges) == (None, None, ())
    assert quote.why == ("a live rate from EasyPost: USPS Priority 6.95 USD, 2 business day(s)",)


def test_no_estimate_or_a_negative_price_is_left_out_with_why():
    answers = live_answers(
        "ep",
        "EasyPost",
        [
            LivePrice("USPS", "Express", D("31.25"), "USD", None),
            LivePrice("USPS", "Odd", D("-1"), "USD", 1),
        ],
    )
    assert [(a.service.key, a.code) for a in answers if isinstance(a, Refusal)] == [
        ("ep:USPS/Express", "no_estimate"),
        ("ep:USPS/Odd", "invalid_price"),
    ]


def test_another_currency_is_left_out_and_the_same_kept():
    usd = live_answers("ep", "EasyPost", [LivePrice("USPS", "Priority", D("6.95"), "USD", 2)])
    eur = live_answers("ep", "EasyPost", [LivePrice("DHL", "Paket", D("4.90"), "EUR", 2)])
    aligned = currency_align([*usd, *eur], "EUR")
    assert isinstance(aligned[0], Refusal)
    assert (aligned[0].code, aligned[0].why) == (
        "other_currency",
        "priced in USD, the other services in EUR",
    )
    assert aligned[1] is eur[0]


def test_a_long_name_keeps_the_key_within_its_column():
    service = live_service("a" * 32, "Acct", "C" * 40, "S" * 40)
    assert len(service.key) == 65
    assert service.offered_as == f"{'C' * 40}:{'S' * 40}"


def test_a_service_priced_for_some_parcels_only_is_left_out():
    one = live_answers("ep", "EasyPost", [LivePrice("USPS", "Priority", D("6.95"), "USD", 2)])
    failed = live_failure("ep", "EasyPost", "no answer")
    offers, left_out = offers_make([one, [failed]], MONDAY)
    assert offers == []
    assert sorted((r.service.key, r.code) for r in left_out) == [
        ("ep:*/*", "live_rates_failed"),
        ("ep:USPS/Priority", "not_every_parcel"),
    ]


def test_the_shipment_arrives_with_its_slowest_parcel():
    fast = live_answers("ep", "EasyPost", [LivePrice("USPS", "Priority", D("6.95"), "USD", 1)])
    slow = live_answers("ep", "EasyPost", [LivePrice("USPS", "Priority", D("7.95"), "USD", 3)])
    (offer,), _ = offers_make([fast, slow], MONDAY)
    assert (offer.total, offer.delivery) == (D("14.90"), date(2026, 12, 10))
