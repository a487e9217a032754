"""Fixtures of the console lists' tests (helpers in lists_fixtures.py)."""

from __future__ import annotations

import pytest

from tests.console.lists_fixtures import orders_made


@pytest.fixture
def orders(shop, api):
    """Three orders: W-1 and W-2 in web (W-2 to postal code 75001), A-1 in a second channel."""
    return orders_made(shop, api)
