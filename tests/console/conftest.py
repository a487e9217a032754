"""Fixtures of the console's tests (the store screen's in store_setup.py, the lists' helpers in
lists_fixtures.py)."""

from __future__ import annotations

import pytest

from tests.console.lists_fixtures import orders_made
from tests.console.store_setup import (  # noqa: F401 (the store screen's fixtures)
    clerk,
    pickup_fo,
    ship_fo,
    store_shop,
    warehouse_fo,
    watcher,
)


@pytest.fixture
def orders(shop, api):
    """Three orders: W-1 and W-2 in web (W-2 to postal code 75001), A-1 in a second channel."""
    return orders_made(shop, api)
