# ruff: noqa: E501  (Stripe's messages and URLs are kept whole, as Stripe sends them)
"""Writes recorded/*.json: Stripe's answers as the tests replay them, written after Stripe's API
reference for version 2026-10-28.endive (the one stripe 16.1.0 pins), not captured from Stripe's
servers (the tests never reach the network); ids, keys and secrets are fake. Run it after
changing an answer here: `python tests/payments/providers/recorded_make.py`."""

import copy
import json
from pathlib import Path

OUT = Path(__file__).parent / "recorded"
CREATED = 1764554400  # 2025-12-01T02:00:00Z
CAPTURE_BEFORE = 1765159200  # created + 7 days


def headers(request_id, key=None, **extra):
    h = {
        "content-type": "application/json",
        "request-id": request_id,
        "stripe-version": "2026-10-28.endive",
        "access-control-allow-origin": "*",
        "cache-control": "no-cache, no-store",
        "strict-transport-security": "max-age=63072000; includeSubDomains; preload",
    }
    if key:
        h["idempotency-key"] = key
        h["original-request"] = request_id
    h.update(extra)
    return h


def charge(pi, amount, currency, captured=0, status="succeeded", capture_before=CAPTURE_BEFORE):
    return {
        "id": "ch_3QxRsT2eZvKYlo2C0k5xA1bC",
        "object": "charge",
        "amount": amount,
        "amount_captured": captured,
        "amount_refunded": 0,
        "balance_transaction": None,
        "captured": bool(captured),
        "created": CREATED,
        "currency": currency,
        "customer": None,
        "description": "Order W-100",
        "disputed": False,
        "failure_code": None,
        "failure_message": None,
        "livemode": False,
        "metadata": {"ordino_idempotency_key": "pay-1-authorize"},
        "outcome": {
            "network_status": "approved_by_network",
            "reason": None,
            "risk_level": "normal",
            "risk_score": 32,
            "seller_message": "Payment complete.",
            "type": "authorized",
        },
        "paid": True,
        "payment_intent": pi,
        "payment_method": "pm_1QxRsS2eZvKYlo2CbV8tS3dQ",
        "payment_method_details": {
            "card": {
                "amount_authorized": amount,
                "brand": "visa",
                "capture_before": capture_before,
                "checks": {
                    "address_line1_check": None,
                    "address_postal_code_check": None,
                    "cvc_check": "pass",
                },
                "country": "US",
                "exp_month": 12,
                "exp_year": 2030,
                "extended_authorization": {"status": "disabled"},
                "fingerprint": "Xt5EWLLDS7FJjR1c",
                "funding": "credit",
                "incremental_authorization": {"status": "unavailable"},
                "installments": None,
                "last4": "4242",
                "mandate": None,
                "multicapture": {"status": "unavailable"},
                "network": "visa",
                "network_token": {"used": False},
                "overcapture": {"maximum_amount_capturable": amount, "status": "unavailable"},
                "three_d_secure": None,
                "wallet": None,
            },
            "type": "card",
        },
        "refunded": False,
        "status": status,
    }


def intent(
    amount,
    currency,
    status,
    *,
    received=0,
    capturable=0,
    latest_charge=None,
    last_payment_error=None,
    next_action=None,
    canceled_at=None,
    key="pay-1-authorize",
):
    return {
        "id": "pi_3QxRsT2eZvKYlo2C0Hm4kL7p",
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": capturable,
        "amount_details": {"tip": {}},
        "amount_received": received,
        "application": None,
        "application_fee_amount": None,
        "automatic_payment_methods": {"allow_redirects": "never", "enabled": True},
        "canceled_at": canceled_at,
        "cancellation_reason": None,
        "capture_method": "manual",
        "client_secret": "pi_3QxRsT2eZvKYlo2C0Hm4kL7p_secret_Wq8pXnB2vTz9rK4mJ1cLd5sYe",
        "confirmation_method": "automatic",
        "created": CREATED,
        "currency": currency,
        "customer": None,
        "description": "Order W-100",
        "last_payment_error": last_payment_error,
        "latest_charge": latest_charge,
        "livemode": False,
        "metadata": {"ordino_idempotency_key": key},
        "next_action": next_action,
        "on_behalf_of": None,
        "payment_method": "pm_1QxRsS2eZvKYlo2CbV8tS3dQ",
        "payment_method_configuration_details": {
            "id": "pmc_1Qw0aB2eZvKYlo2Cz9u1VxQn",
            "parent": None,
        },
        "payment_method_options": {
            "card": {
                "installments": None,
                "mandate_options": None,
                "network": None,
                "request_three_d_secure": "automatic",
            }
        },
        "payment_method_types": ["card", "link"],
        "processing": None,
        "receipt_email": None,
        "review": None,
        "setup_future_usage": None,
        "shipping": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": status,
        "transfer_data": None,
        "transfer_group": None,
    }


def write(name, status, hdrs, body):
    (OUT / f"{name}.json").write_text(
        json.dumps({"status": status, "headers": hdrs, "body": body}, indent=2) + "\n"
    )


PI = "pi_3QxRsT2eZvKYlo2C0Hm4kL7p"
for name, amount, cur in [
    ("authorize_eur", 1234, "eur"),
    ("authorize_jpy", 1500, "jpy"),
    ("authorize_kwd", 12340, "kwd"),
]:
    write(
        name,
        200,
        headers("req_a1B2c3D4e5F6g7", "pay-1-authorize"),
        intent(
            amount,
            cur,
            "requires_capture",
            capturable=amount,
            latest_charge=charge(PI, amount, cur),
        ),
    )

no_before = intent(
    1234,
    "eur",
    "requires_capture",
    capturable=1234,
    latest_charge=charge(PI, 1234, "eur", capture_before=None),
)
del no_before["latest_charge"]["payment_method_details"]["card"]["capture_before"]
write(
    "authorize_eur_no_capture_before",
    200,
    headers("req_n0Cb4f0r3xYz12", "pay-1-authorize"),
    no_before,
)

write(
    "authorize_requires_action",
    200,
    headers("req_r3qAct10nQw8Zt", "pay-1-authorize"),
    intent(
        1234,
        "eur",
        "requires_action",
        next_action={
            "type": "use_stripe_sdk",
            "use_stripe_sdk": {
                "source": "src_1QxRsU2eZvKYlo2CmT0pXq9w",
                "stripe_js": "https://hooks.stripe.com/redirect/authenticate/src_1QxRsU2eZvKYlo2CmT0pXq9w?client_secret=src_client_secret_Hk2Lm9",
                "type": "three_d_secure_redirect",
            },
        },
    ),
)

declined_pi = intent(
    1234,
    "eur",
    "requires_payment_method",
    last_payment_error={
        "charge": "ch_3QxRsT2eZvKYlo2C0k5xA1bC",
        "code": "card_declined",
        "decline_code": "insufficient_funds",
        "doc_url": "https://stripe.com/docs/error-codes/card-declined",
        "message": "Your card has insufficient funds.",
        "payment_method": {
            "id": "pm_1QxRsS2eZvKYlo2CbV8tS3dQ",
            "object": "payment_method",
            "type": "card",
        },
        "type": "card_error",
    },
)
write(
    "authorize_card_declined",
    402,
    headers("req_d3cl1n3dXy7Qw2", "pay-1-authorize", **{"stripe-should-retry": "false"}),
    {
        "error": {
            "charge": "ch_3QxRsT2eZvKYlo2C0k5xA1bC",
            "code": "card_declined",
            "decline_code": "insufficient_funds",
            "doc_url": "https://stripe.com/docs/error-codes/card-declined",
            "message": "Your card has insufficient funds.",
            "payment_intent": declined_pi,
            "request_log_url": "https://dashboard.stripe.com/test/logs/req_d3cl1n3dXy7Qw2?t=1764554400",
            "type": "card_error",
        }
    },
)

captured = intent(
    1234,
    "eur",
    "succeeded",
    received=1234,
    key="pay-1-authorize",
    latest_charge=charge(PI, 1234, "eur", captured=1234),
)
write("capture_full", 200, headers("req_c4ptur3Fu11Ab9", "pay-1-capture-1"), captured)
partial = intent(
    1234,
    "eur",
    "succeeded",
    received=500,
    key="pay-1-authorize",
    latest_charge=charge(PI, 1234, "eur", captured=500),
)
write("capture_partial", 200, headers("req_c4ptur3P4rt1a1", "pay-1-capture-1"), partial)

write(
    "capture_again_unexpected_state",
    400,
    headers("req_s3c0ndC4ptur3Q", "pay-1-capture-2", **{"stripe-should-retry": "false"}),
    {
        "error": {
            "code": "payment_intent_unexpected_state",
            "doc_url": "https://stripe.com/docs/error-codes/payment-intent-unexpected-state",
            "message": "This PaymentIntent could not be captured because it has a status of succeeded. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.",
            "payment_intent": partial,
            "request_log_url": "https://dashboard.stripe.com/test/logs/req_s3c0ndC4ptur3Q?t=1764554400",
            "type": "invalid_request_error",
        }
    },
)

canceled = intent(1234, "eur", "canceled", canceled_at=CREATED + 3600, key="pay-1-authorize")
canceled["cancellation_reason"] = None
write("void", 200, headers("req_v01dC4nc3lZx1", "pay-1-void"), canceled)

write(
    "void_after_capture",
    400,
    headers("req_v01dAft3rC4pQ", "pay-1-void", **{"stripe-should-retry": "false"}),
    {
        "error": {
            "code": "payment_intent_unexpected_state",
            "doc_url": "https://stripe.com/docs/error-codes/payment-intent-unexpected-state",
            "message": "You cannot cancel this PaymentIntent because it has a status of succeeded. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.",
            "payment_intent": partial,
            "request_log_url": "https://dashboard.stripe.com/test/logs/req_v01dAft3rC4pQ?t=1764554400",
            "type": "invalid_request_error",
        }
    },
)

write(
    "refund",
    200,
    headers("req_r3fundP4rt1aL", "pay-1-refund-1"),
    {
        "id": "re_3QxRsT2eZvKYlo2C0Jp6vN2r",
        "object": "refund",
        "amount": 500,
        "balance_transaction": "txn_3QxRsT2eZvKYlo2C0Lq8wM4s",
        "charge": "ch_3QxRsT2eZvKYlo2C0k5xA1bC",
        "created": CREATED + 86400,
        "currency": "eur",
        "destination_details": {
            "card": {
                "reference_status": "pending",
                "reference_type": "acquirer_reference_number",
                "type": "refund",
            },
            "type": "card",
        },
        "metadata": {"ordino_idempotency_key": "pay-1-refund-1"},
        "payment_intent": PI,
        "reason": None,
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": "succeeded",
        "transfer_reversal": None,
    },
)

write(
    "refund_exceeds_captured",
    400,
    headers("req_r3fundT00Much1", "pay-1-refund-2", **{"stripe-should-retry": "false"}),
    {
        "error": {
            "message": "Refund amount (€12.35) is greater than unrefunded amount on charge (€12.34)",
            "param": "amount",
            "request_log_url": "https://dashboard.stripe.com/test/logs/req_r3fundT00Much1?t=1764554400",
            "type": "invalid_request_error",
        }
    },
)

write(
    "api_error_500",
    500,
    headers("req_5erv3rErr0rQ1", "pay-1-authorize", **{"stripe-should-retry": "false"}),
    {
        "error": {
            "message": "An unknown error occurred",
            "request_log_url": "https://dashboard.stripe.com/test/logs/req_5erv3rErr0rQ1?t=1764554400",
            "type": "api_error",
        }
    },
)

write(
    "idempotency_error",
    400,
    headers("req_1d3mp0t3nCyE1", "pay-1-authorize"),
    {
        "error": {
            "message": "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'pay-1-authorize' if you meant to execute a different request.",
            "request_log_url": "https://dashboard.stripe.com/test/logs/req_1d3mp0t3nCyE1?t=1764554400",
            "type": "idempotency_error",
        }
    },
)

write(
    "authentication_error",
    401,
    headers("req_4uth3nt1c4t3Z"),
    {
        "error": {
            "message": "Invalid API Key provided: sk_test_********************1234",
            "type": "invalid_request_error",
        }
    },
)


# multicapture (ORDINO_STRIPE_MULTICAPTURE=1): the charge says multicapture is available; a
# non-final capture leaves the intent in requires_capture with the rest still capturable.
mc_charge = charge(PI, 1234, "eur")
mc_charge["payment_method_details"]["card"]["multicapture"] = {"status": "available"}
mc = intent(1234, "eur", "requires_capture", capturable=1234, latest_charge=mc_charge)
mc["payment_method_options"]["card"]["request_multicapture"] = "if_available"
write("authorize_eur_multicapture", 200, headers("req_mu1t1C4ptur3A", "pay-1-authorize"), mc)
mc1_charge = copy.deepcopy(mc_charge)
mc1_charge["amount_captured"] = 500
mc1_charge["captured"] = True
mc1 = intent(
    1234, "eur", "requires_capture", received=500, capturable=734, latest_charge=mc1_charge
)
mc1["payment_method_options"]["card"]["request_multicapture"] = "if_available"
write("capture_multicapture_first", 200, headers("req_mu1t1C4pF1rst", "pay-1-capture-1"), mc1)
mc2_charge = copy.deepcopy(mc_charge)
mc2_charge["amount_captured"] = 1234
mc2_charge["captured"] = True
mc2 = intent(1234, "eur", "succeeded", received=1234, capturable=0, latest_charge=mc2_charge)
mc2["payment_method_options"]["card"]["request_multicapture"] = "if_available"
write("capture_multicapture_last", 200, headers("req_mu1t1C4pL4st1", "pay-1-capture-2"), mc2)

refund_body = json.loads((OUT / "refund.json").read_text())["body"]
pending = dict(refund_body, status="pending")
write("refund_pending", 200, headers("req_r3fundP3nd1nG", "pay-1-refund-1"), pending)
failed = dict(refund_body, status="failed", failure_reason="expired_or_canceled_card")
failed["failure_balance_transaction"] = "txn_3QxRsT2eZvKYlo2C0Fb7zT1u"
write("refund_failed", 200, headers("req_r3fundF41l3d1", "pay-1-refund-1"), failed)
write(
    "authorize_processing",
    200,
    headers("req_pr0c3ss1ngAb1", "pay-1-authorize"),
    dict(intent(1234, "eur", "processing"), processing={"type": "card", "card": {}}),
)
