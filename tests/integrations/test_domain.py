"""The integration log's pure rules (docs/integrations.md): what is redacted, how bodies are
bounded, which failures share a signature, and the failure themes' headings and fixes."""

from __future__ import annotations

import json
from datetime import date

import pytest

from ordino.integrations.domain.redact import (
    BODY_LIMIT,
    HEADERS_KEPT,
    PARSE_LIMIT,
    REDACTED,
    body_bound,
    body_redact,
    headers_redact,
    url_redact,
    value_redact,
)
from ordino.integrations.domain.signature import error_signature
from ordino.integrations.domain.themes import (
    CHANNEL_PRODUCT,
    CREDENTIALS,
    ENDPOINT_GONE,
    SKU,
    STRIPE_SECRET,
    days_of,
    per_day,
    theme_fix,
    theme_heading,
)


def test_secrets_are_redacted_at_any_depth():
    body = {
        "order": {"id": 7, "lines": [{"sku": "A", "payment": {"card": {"number": "4242"}}}]},
        "auth": [{"api_key": "k-1", "nested": [{"Password": "p"}]}],
        "client_secret": "pi_1_secret_2",
        "note": "a token is mentioned here, in a value",
    }
    assert value_redact(body) == {
        "order": {"id": 7, "lines": [{"sku": "A", "payment": {"card": REDACTED}}]},
        "auth": [{"api_key": REDACTED, "nested": [{"Password": REDACTED}]}],
        "client_secret": REDACTED,
        "note": "a token is mentioned here, in a value",
    }


def test_headers_that_authenticate_are_redacted_and_the_rest_kept():
    headers = {
        "Authorization": "Bearer sk_live_1",
        "X-Shopify-Hmac-Sha256": "abc=",
        "X-WC-Webhook-Signature": "def=",
        "webhook-signature": "v1,xyz",
        "Stripe-Signature": "t=1,v1=2",
        "Cookie": "sessionid=3",
        "X-Api-Key": "k",
        "Content-Type": "application/json",
        "X-Shopify-Webhook-Id": "b54557e4",
    }
    assert headers_redact(headers) == {
        "Authorization": REDACTED,
        "X-Shopify-Hmac-Sha256": REDACTED,
        "X-WC-Webhook-Signature": REDACTED,
        "webhook-signature": REDACTED,
        "Stripe-Signature": REDACTED,
        "Cookie": REDACTED,
        "X-Api-Key": REDACTED,
        "Content-Type": "application/json",
        "X-Shopify-Webhook-Id": "b54557e4",
    }


def test_headers_are_bounded_in_number_and_length():
    many = {f"X-H-{n}": "v" * 600 for n in range(HEADERS_KEPT + 20)}
    kept = headers_redact(many)
    assert len(kept) == HEADERS_KEPT
    assert {len(v) for v in kept.values()} == {500}


def test_a_long_body_is_cut_saying_how_much_is_missing():
    text = "x" * (BODY_LIMIT + 5)
    assert body_bound(text) == "x" * BODY_LIMIT + "… [5 more characters not kept]"
    assert body_bound("short") == "short"


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        (None, ""),
        (b'{"token": "t", "id": 1}', '{"token": "[redacted]", "id": 1}'),
        ('{"a": {"secret": 1}}', '{"a": {"secret": "[redacted]"}}'),
        ({"password": "p"}, '{"password": "[redacted]"}'),
        ("amount=1234&currency=eur&api_key=sk_1", "amount=1234&currency=eur&api_key=[redacted]"),
        ("metadata[ordino]=k&card[cvc]=123", "metadata[ordino]=k&card[cvc]=[redacted]"),
        ("plain text, no secret", "plain text, no secret"),
        (b"\xff\xfe not utf-8", "\ufffd\ufffd not utf-8"),
    ],
)
def test_a_body_is_kept_redacted_whatever_its_form(body, kept):
    assert body_redact(body) == kept


def test_a_body_too_large_to_check_for_secrets_is_not_kept():
    huge = json.dumps({"token": "t", "pad": "x" * PARSE_LIMIT}).encode()
    assert body_redact(huge) == f"[{len(huge)} bytes not kept: too large to check for secrets]"


def test_a_json_body_longer_than_the_limit_is_redacted_then_cut():
    kept = body_redact({"token": "t", "pad": "x" * BODY_LIMIT})
    assert kept.startswith('{"token": "[redacted]", "pad": "xxx')
    assert kept.endswith("more characters not kept]")


def failure(error: str, status: int | None = 422, operation="orders/create", system="shopify"):
    return error_signature(system=system, operation=operation, status_code=status, error=error)


def test_two_unknown_skus_share_one_signature():
    first = failure("unknown SKU 'ABC-1'")
    assert first == failure("unknown SKU 'XYZ-9'") == "shopify orders/create 422 unknown sku <v>"


def test_a_feeds_refusals_of_two_skus_share_one_signature():
    # given a feed batch's summary (feeds/services/pushing.py), the SKU quoted
    reason = "unknown SKU at the channel: no product or variant has it"
    one = failure(f"1 SKU(s) refused, first 'CAP': {reason}", status=None)
    two = failure(f"3 SKU(s) refused, first 'HAT-9': {reason}", status=None)
    assert (
        one
        == two
        == (
            "shopify orders/create - <n> sku(s) refused, first <v>: unknown sku at the channel: "
            "no product or variant has it"
        )
    )


def test_ids_and_numbers_vary_without_changing_the_signature():
    one = failure("order 1001 line 3 refers to 5f0c7a2e-1b3c-4d5e-8f90-a1b2c3d4e5f6")
    two = failure("order 77 line 1 refers to 0a0c7a2e-1b3c-4d5e-8f90-a1b2c3d4e5f0")
    assert one == two == "shopify orders/create 422 order <n> line <n> refers to <id>"


def test_another_status_operation_or_system_is_another_signature():
    base = failure("unknown SKU 'A'")
    assert len({base, failure("unknown SKU 'A'", status=400),
                failure("unknown SKU 'A'", operation="orders/updated"),
                failure("unknown SKU 'A'", system="woocommerce")}) == 4  # fmt: skip


def test_a_success_has_no_signature_and_a_bare_failure_has_one():
    assert error_signature(system="stripe", operation="x", status_code=200, error="") == ""
    assert error_signature(system="stripe", operation="x", status_code=None, error="") == ""
    assert failure("", status=503) == "shopify orders/create 503 "


def test_a_signature_fits_its_column():
    assert len(failure("x" * 500)) == 200


@pytest.mark.parametrize(
    ("system", "status", "error", "fix"),
    [
        ("shopify", 422, "unknown SKU 'ABC-1'", SKU),
        (
            "shopify",
            None,
            "1 SKU(s) refused, first 'A': unknown SKU at the channel: …",
            CHANNEL_PRODUCT,
        ),
        ("amazon", 422, "SKU 'B0-1' not found in the catalog", SKU),
        ("stripe", 400, "stripe_signature_invalid: No signatures found", STRIPE_SECRET),
        ("woocommerce", 401, "invalid consumer key", CREDENTIALS),
        ("ebay", 403, "forbidden", CREDENTIALS),
        ("webhook", 410, "HTTP 410 Gone", ENDPOINT_GONE),
        ("shopify", 500, "internal error", None),
    ],
)
def test_a_theme_gets_the_fix_of_the_first_rule_that_matches(system, status, error, fix):
    assert theme_fix(system=system, status_code=status, error=error) == fix


def test_a_themes_heading_reads_as_a_sentence():
    heading = theme_heading(count=412, system="shopify", direction="in", operation="orders/create",
                            error="unknown SKU 'ABC-1'", days=7)  # fmt: skip
    assert heading == (
        "412 Shopify inbound calls (orders/create) failed with \"unknown SKU '…'\" this week"
    )
    one = theme_heading(count=1, system="woocommerce", direction="out", operation="",
                        error="", days=30)  # fmt: skip
    assert one == '1 WooCommerce outbound call failed with "no error message" in the last 30 days'


def test_the_sparkline_counts_every_day_of_the_period():
    days = days_of(date(2026, 11, 29), date(2026, 12, 1))
    assert days == [date(2026, 11, 29), date(2026, 11, 30), date(2026, 12, 1)]
    assert per_day({date(2026, 11, 30): 4}, days) == [0, 4, 0]


def test_a_urls_secret_query_values_are_redacted_the_rest_kept():
    assert url_redact("/api/v1/carriers/shippo/webhook?token=tok_1&x=2&api_key=k") == (
        "/api/v1/carriers/shippo/webhook?token=[redacted]&x=2&api_key=[redacted]"
    )
    assert url_redact("/api/v1/orders?status=open&flag") == "/api/v1/orders?status=open&flag"
    assert url_redact("/api/v1/orders") == "/api/v1/orders"
