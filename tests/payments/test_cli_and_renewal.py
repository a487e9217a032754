"""`ordino payments retry|renew`, and authorizations renewed before they lapse."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from ordino.core.domain.clock import utcnow
from ordino.payments.models import Payment, PaymentTransaction
from tests.factories import order_body
from tests.payments.conftest import card, work

pytestmark = pytest.mark.django_db


def test_retry_command_sends_failed_calls_again(api, stocked):
    api.post("/orders", order_body(payments=[card("tok_timeout_then_ok")]))
    work()
    assert PaymentTransaction.objects.get().status == "unknown"
    out = StringIO()
    call_command("payments", "retry", stdout=out)
    assert out.getvalue().strip() == "Sent 1 payment call(s) again."
    assert PaymentTransaction.objects.get().status == "succeeded"


def test_an_authorization_lapsing_within_a_day_is_renewed_once(api, stocked):
    # given an authorized card whose authorization lapses in 12 hours
    api.post("/orders", order_body(payments=[card()]))
    work()
    soon = utcnow() + timedelta(hours=12)
    Payment.objects.update(authorization_expires_at=soon)
    # when the renewal runs twice
    out = StringIO()
    call_command("payments", "renew", stdout=out)
    call_command("payments", "renew", stdout=StringIO())
    # then one reauthorization of what it holds, and a new expiry a week ahead
    assert out.getvalue().strip() == "Re-authorized 1 payment(s)."
    renewal = PaymentTransaction.objects.get(kind="reauthorize")
    assert (str(renewal.amount), renewal.status) == ("49.480", "succeeded")
    assert Payment.objects.get().authorization_expires_at > utcnow() + timedelta(days=6)
    assert Payment.objects.get().status == "authorized"
