"""The Stripe provider's tests never reach the network: every test here fails if it opens a
real socket or looks a name up (docs/payments-stripe.md "Tests"). The recorded answers and the
replaying HTTP client are in replay.py."""

from __future__ import annotations

import socket

import pytest


class NetworkUsed(AssertionError):
    pass


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any real connection or DNS lookup in these tests is a failure."""

    def refuse(*args, **kwargs):
        raise NetworkUsed(f"a test opened a real socket: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture(autouse=True)
def _integration_log(db):
    """Every request the provider sends is recorded in the integration log (a table), so these
    tests have a database (docs/integrations.md; tests/payments/providers/test_stripe_log.py)."""
