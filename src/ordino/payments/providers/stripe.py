"""The Stripe payment provider: PaymentIntents with manual capture (docs/payments-stripe.md).

authorize → a PaymentIntent created and confirmed with capture_method=manual (or, when the
storefront already confirmed one, its `pi_...` id adopted); capture → capture with
amount_to_capture; void → cancel; refund → a Refund on the PaymentIntent. Every call sends
the call's idempotency key as Stripe's Idempotency-Key, so a retry gets Stripe's stored answer
and never moves money twice (docs/payments-stripe.md "Idempotency").

Amounts: Ordino keeps exact Decimals in the currency's ISO minor unit (core.domain.money);
Stripe takes integers in *its* minor unit, which differs for a few currencies (zero-decimal,
three-decimal, ISK). What Stripe cannot take exactly is refused, never rounded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import stripe

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.domain.money import minor_unit
from ordino.payments.providers.base import ProviderCall, ProviderResult
from ordino.payments.providers.stripe_log import LoggedHTTPClient

# Stripe's currency rules (docs/payments-stripe.md "Amounts"). Zero-decimal: the amount is the
# whole currency unit. Three-decimal: minor units, and the last digit must be 0 (what Stripe's
# payment partners take). ISK: zero-decimal in ISO 4217, but two-decimal in Stripe's API
# (kept for backward compatibility), so 1 ISK is sent as 100.
ZERO_DECIMAL = frozenset("BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split())
THREE_DECIMAL = frozenset("BHD JOD KWD OMR TND".split())
TWO_DECIMAL_IN_STRIPE = frozenset({"ISK"})

# A card authorization lapses after about 7 days for a customer-initiated payment (Visa: 5 for
# merchant-initiated ones). Used only when the charge does not say its capture_before.
AUTHORIZATION_DAYS = 7
METADATA_KEY = "ordino_idempotency_key"
IDEMPOTENCY_KEY_MAX = 255
ONE_CAPTURE = (
    "Stripe captures a PaymentIntent once unless the account has multicapture "
    "(ORDINO_STRIPE_MULTICAPTURE=1): capture on the last shipment."
)


def _refuse(message: str, code: str = "stripe_amount") -> DomainError:
    return DomainError(code, message, field="amount")


def stripe_decimals(currency: str) -> int:
    """How many decimals Stripe's API counts in `currency`'s amounts; refuse what it lacks."""
    code = currency.upper()
    iso = minor_unit(code)  # an unknown currency is refused here
    if code in ZERO_DECIMAL:
        return 0
    if code in THREE_DECIMAL:
        return 3
    if code in TWO_DECIMAL_IN_STRIPE or iso == 2:
        return 2
    raise _refuse(
        f"Stripe does not take {code} amounts ({iso} decimals): "
        "use another provider for this currency.",
        "stripe_currency",
    )


def stripe_amount(amount: Decimal, currency: str) -> int:
    """`amount` (a Decimal in `currency`) as the integer Stripe expects, exactly, or refused."""
    code = currency.upper()
    decimals = stripe_decimals(code)
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise _refuse(f"{amount!r} is not a decimal amount.") from None
    if not value.is_finite():
        raise _refuse(f"{amount!r} is not a finite amount.")
    iso_units = value.scaleb(minor_unit(code))
    if iso_units != iso_units.to_integral_value():
        raise _refuse(
            f"{value} {code} is not a whole number of minor units "
            f"({minor_unit(code)} decimals): refused rather than rounded."
        )
    units = int(value.scaleb(decimals))
    if units <= 0:
        raise _refuse(f"Stripe takes only positive amounts, not {value} {code}.")
    if code in THREE_DECIMAL and units % 10:
        raise _refuse(
            f"Stripe takes {code} only in multiples of 0.010 (the last digit 0): "
            f"{value} {code} is refused rather than rounded."
        )
    return units


def stripe_decimal(units: int, currency: str) -> Decimal:
    """An amount Stripe gave in its units (a webhook's `amount_received`), as Ordino's exact
    Decimal in `currency`: the inverse of `stripe_amount` (ISK's two Stripe decimals included)."""
    return Decimal(int(units)).scaleb(-stripe_decimals(currency))


class _NotConfigured(Exception):
    pass


class StripeProvider:
    """PaymentProvider for Stripe. `http_client`: the stripe library's HTTPClient (tests replay
    recorded answers through one); `api_key`: defaults to settings.ORDINO_STRIPE_SECRET_KEY.
    Every request is in the integration log (`stripe_log.LoggedHTTPClient`)."""

    code = "stripe"
    # A PaymentIntent's authorization cannot be extended: renewing it is a new intent, and the
    # old one released (payments/services/renew.py; docs/payments-stripe.md).
    renews_in_place = False

    def __init__(
        self,
        *,
        api_key: str | None = None,
        http_client: stripe.HTTPClient | None = None,
        max_network_retries: int = 2,
        off_session: bool = True,
        multicapture: bool | None = None,
    ) -> None:
        self._api_key = api_key
        self._http_client = http_client
        self._max_network_retries = max_network_retries
        # Ordino confirms from the outbox after the order is captured: the customer is not there
        # to answer 3-D Secure, so the payment is off-session (Stripe then declines with
        # authentication_required rather than waiting for an action nobody can take).
        self._off_session = off_session
        self._multicapture = multicapture
        self._client: stripe.StripeClient | None = None

    @property
    def multicapture(self) -> bool:
        """Whether a non-final capture keeps the rest authorized (settings
        ORDINO_STRIPE_MULTICAPTURE: the account has Stripe's multicapture). Without it Stripe
        captures once per PaymentIntent: the payments module captures on the last shipment."""
        if self._multicapture is None:
            from django.conf import settings

            self._multicapture = bool(getattr(settings, "ORDINO_STRIPE_MULTICAPTURE", False))
        return self._multicapture

    # -- the four calls ---------------------------------------------------------------------

    def authorize(self, call: ProviderCall) -> ProviderResult:
        if call.token.startswith("pi_"):
            return self._guarded(lambda: self._adopt(call))
        return self._guarded(lambda: self._create(call))

    def capture(self, call: ProviderCall) -> ProviderResult:
        def run() -> ProviderResult:
            params: dict[str, Any] = {
                "amount_to_capture": stripe_amount(call.amount, call.currency),
                "expand": ["latest_charge"],
            }
            if not call.final:
                if not self.multicapture:
                    # A partial capture would release the rest of the authorization for good.
                    return ProviderResult("declined", reference=call.reference, message=ONE_CAPTURE)
                params["final_capture"] = False
            intent = self._stripe().v1.payment_intents.capture(
                call.reference, params, self._options(call)
            )
            return _intent_moved(intent.to_dict(), "succeeded", "requires_capture")

        return self._guarded(run)

    def void(self, call: ProviderCall) -> ProviderResult:
        # Stripe releases the whole uncaptured authorization; a partial release does not
        # exist on Stripe (docs/payments-stripe.md "Void"): call.amount is not sent.
        def run() -> ProviderResult:
            intent = self._stripe().v1.payment_intents.cancel(
                call.reference, None, self._options(call)
            )
            return _intent_moved(intent.to_dict(), "canceled")

        return self._guarded(run, void=True)

    def refund(self, call: ProviderCall) -> ProviderResult:
        def run() -> ProviderResult:
            params: dict[str, Any] = {
                "payment_intent": call.reference,
                "amount": stripe_amount(call.amount, call.currency),
                "metadata": {METADATA_KEY: call.idempotency_key},
            }
            refund = self._stripe().v1.refunds.create(params, self._options(call))
            return _refund_result(refund.to_dict())

        return self._guarded(run)

    # -- authorize ----------------------------------------------------------------------------

    def _create(self, call: ProviderCall) -> ProviderResult:
        params: dict[str, Any] = {
            "amount": stripe_amount(call.amount, call.currency),
            "currency": call.currency.lower(),
            "payment_method": call.token,
            "capture_method": "manual",
            "confirm": True,
            # Cards and wallets only: a redirect-based method needs a customer at a browser.
            "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"},
            "metadata": {METADATA_KEY: call.idempotency_key},
            "expand": ["latest_charge"],
        }
        if self._off_session:
            params["off_session"] = True
        if self.multicapture:
            params["payment_method_options"] = {"card": {"request_multicapture": "if_available"}}
        if call.description:
            params["description"] = call.description[:1000]
        intent = self._stripe().v1.payment_intents.create(params, self._options(call))
        return _authorization(intent.to_dict())

    def _adopt(self, call: ProviderCall) -> ProviderResult:
        """The storefront confirmed a manual-capture PaymentIntent with the customer present
        (3-D Secure done there) and handed Ordino its id: check it holds what the order asks."""
        expected = stripe_amount(call.amount, call.currency)
        intent = (
            self._stripe()
            .v1.payment_intents.retrieve(call.token, {"expand": ["latest_charge"]})
            .to_dict()
        )
        if intent["currency"] != call.currency.lower() or intent["amount"] != expected:
            return ProviderResult(
                "declined",
                reference=intent["id"],
                message=(
                    f"PaymentIntent {intent['id']} is for {intent['amount']} "
                    f"{intent['currency'].upper()} (Stripe's minor units); the payment asks "
                    f"{expected} {call.currency.upper()}."
                ),
            )
        return _authorization(intent)

    # -- plumbing -----------------------------------------------------------------------------

    def _stripe(self) -> stripe.StripeClient:
        if self._client is None:
            key = self._api_key
            if key is None:
                from django.conf import settings

                key = getattr(settings, "ORDINO_STRIPE_SECRET_KEY", "")
            if not key:
                raise _NotConfigured
            # every request and its answer in the integration log (providers/stripe_log.py)
            sender = self._http_client or stripe.new_default_http_client()
            self._client = stripe.StripeClient(
                key,
                http_client=LoggedHTTPClient(sender),
                max_network_retries=self._max_network_retries,
            )
        return self._client

    @staticmethod
    def _options(call: ProviderCall) -> stripe.RequestOptions:
        # Without a key the library would make up a random one per request, and a retry could
        # then move money twice: refuse instead. Stripe takes keys of up to 255 characters.
        if not 0 < len(call.idempotency_key) <= IDEMPOTENCY_KEY_MAX:
            raise DomainError(
                "stripe_idempotency_key",
                f"A Stripe call needs an idempotency key of 1 to {IDEMPOTENCY_KEY_MAX} characters.",
                field="idempotency_key",
            )
        return {"idempotency_key": call.idempotency_key}

    def _guarded(self, run: Callable[[], ProviderResult], *, void: bool = False) -> ProviderResult:
        """Stripe's errors as outcomes (docs/payments-stripe.md "Outcomes")."""
        try:
            return run()
        except DomainError as exc:  # an amount, currency or key Stripe cannot take: nothing sent
            return ProviderResult("declined", message=exc.message)
        except _NotConfigured:
            return ProviderResult(
                "failed", message="Stripe is not configured: set ORDINO_STRIPE_SECRET_KEY."
            )
        except stripe.CardError as exc:
            return ProviderResult(
                "declined", reference=_error_intent_id(exc), message=_error_message(exc)
            )
        except (stripe.InvalidRequestError, stripe.IdempotencyError) as exc:
            if void and _nothing_held(exc):
                return ProviderResult(
                    "succeeded",
                    reference=_error_intent_id(exc),
                    message="Nothing left to release: " + _error_message(exc),
                )
            return ProviderResult(
                "declined", reference=_error_intent_id(exc), message=_error_message(exc)
            )
        except stripe.APIConnectionError as exc:
            # No answer: the request may have reached Stripe. Retry with the same key.
            return ProviderResult("unknown", message=_error_message(exc))
        except stripe.StripeError as exc:
            # 5xx: Stripe says the result is indeterminate; 409: the same key is in flight.
            status = exc.http_status or 0
            outcome = "unknown" if status >= 500 or status == 409 else "failed"
            return ProviderResult(outcome, message=_error_message(exc))


def _authorization(intent: dict[str, Any]) -> ProviderResult:
    status = intent["status"]
    card = _card(intent)
    if status == "requires_capture":
        return ProviderResult(
            "succeeded",
            reference=intent["id"],
            expires_at=_capture_before(card),
            brand=str(card.get("brand") or ""),
            last4=str(card.get("last4") or ""),
        )
    if status == "processing":
        return ProviderResult("unknown", reference=intent["id"], message="Stripe is processing it.")
    return ProviderResult("declined", reference=intent["id"], message=_intent_refusal(intent))


def _intent_moved(intent: dict[str, Any], *done: str) -> ProviderResult:
    if intent["status"] in done:
        return ProviderResult("succeeded", reference=intent["id"])
    if intent["status"] == "processing":
        return ProviderResult("unknown", reference=intent["id"], message="Stripe is processing it.")
    return ProviderResult("declined", reference=intent["id"], message=_intent_refusal(intent))


def _refund_result(refund: dict[str, Any]) -> ProviderResult:
    # pending: Stripe accepted it and the card network confirms later; a later failure
    # arrives as the charge.refund.updated webhook (docs/payments-stripe.md "Refund").
    if refund["status"] in ("succeeded", "pending"):
        return ProviderResult("succeeded", reference=refund["id"])
    reason = refund.get("failure_reason") or refund["status"]
    return ProviderResult("declined", reference=refund["id"], message=f"Refund {reason}.")


def _card(intent: dict[str, Any]) -> dict[str, Any]:
    charge = intent.get("latest_charge")
    if not charge or isinstance(charge, str):
        return {}
    details = charge.get("payment_method_details") or {}
    return dict(details.get("card") or {})


def _capture_before(card: dict[str, Any]) -> datetime:
    stamp = card.get("capture_before")
    if stamp:
        return datetime.fromtimestamp(int(stamp), UTC)
    return utcnow() + timedelta(days=AUTHORIZATION_DAYS)


def _intent_refusal(intent: dict[str, Any]) -> str:
    error = intent.get("last_payment_error")
    if error and error.get("message"):
        return _with_codes(str(error["message"]), error.get("code"), error.get("decline_code"))
    if intent["status"] == "requires_action":
        return "The customer must authenticate this payment (3-D Secure) on the storefront."
    if intent["status"] == "succeeded":  # an adopted intent with automatic capture
        return (
            f"PaymentIntent {intent['id']} is already captured: Ordino needs one created "
            "with capture_method=manual, captured when the order ships."
        )
    return f"The PaymentIntent is {intent['status']}."


def _error_body(exc: stripe.StripeError) -> dict[str, Any]:
    body = exc.json_body if isinstance(exc.json_body, dict) else {}
    error = body.get("error")
    return error if isinstance(error, dict) else {}


def _error_intent_id(exc: stripe.StripeError) -> str:
    intent = _error_body(exc).get("payment_intent")
    return str(intent.get("id") or "") if isinstance(intent, dict) else ""


def _nothing_held(exc: stripe.StripeError) -> bool:
    """A void of an intent already captured (the rest released) or canceled has nothing left
    to release: the void's purpose holds, so it succeeded (docs/payments-stripe.md "Void")."""
    intent = _error_body(exc).get("payment_intent")
    return isinstance(intent, dict) and intent.get("status") in ("canceled", "succeeded")


def _error_message(exc: stripe.StripeError) -> str:
    error = _error_body(exc)
    message = str(exc.user_message or error.get("message") or type(exc).__name__)
    return _with_codes(message, error.get("code"), error.get("decline_code"))


def _with_codes(message: str, code: object, decline_code: object) -> str:
    codes = ": ".join(str(c) for c in (code, decline_code) if c)
    return f"{message} ({codes})" if codes else message
