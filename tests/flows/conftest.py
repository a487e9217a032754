"""The stories' cast: the shop of tests/conftest.py (web channel in EUR, WH-A before WH-B,
STORE-1 for pickups; TEE, MUG, CAP) and a full-scope token's `Story`."""

from __future__ import annotations

import pytest

from tests.conftest import ApiClient
from tests.factories import make_token
from tests.flows.story import Story


@pytest.fixture
def story(api, shop) -> Story:
    """The back office at the API, with a shop and no stock anywhere yet."""
    return Story(api)


@pytest.fixture
def staff(client, shop):
    """`staff("STORE-1")`: the story of a location's own token (fulfillment and stock),
    limited to that location as a store's till or a warehouse's terminal is."""

    def at(location: str) -> Story:
        secret = make_token(
            "fulfillment inventory", name=location.lower(), location_codes=[location]
        )
        return Story(ApiClient(client, secret))

    return at
