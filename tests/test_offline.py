"""The test process never reaches the network (tests/offline.py)."""

from __future__ import annotations

import socket

import pytest


def test_a_name_that_is_not_this_machines_is_not_looked_up():
    with pytest.raises(socket.gaierror, match=r"tests never reach the network: api\.easypost\.com"):
        socket.getaddrinfo("api.easypost.com", 443)
    with pytest.raises(socket.gaierror):
        socket.create_connection(("203.0.113.7", 443), timeout=1)
    assert socket.getaddrinfo("localhost", 80)


def test_a_connection_outside_this_machine_is_refused():
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s,
        pytest.raises(ConnectionRefusedError, match=r"203\.0\.113\.7"),
    ):
        s.connect(("203.0.113.7", 443))
