"""Fixtures of the console's tests."""

from tests.console.store_setup import (  # noqa: F401 (the store screen's fixtures)
    clerk,
    pickup_fo,
    ship_fo,
    store_shop,
    warehouse_fo,
    watcher,
)
