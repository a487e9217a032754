from __future__ import annotations

import pytest

from tests.factories import stock

BIG = {"fact": "order.value", "op": "gt", "value": "40"}


@pytest.fixture
def stocked(shop):
    stock(shop["wh_a"], shop["TEE"], 50)
    stock(shop["wh_a"], shop["MUG"], 50)
    return shop


@pytest.fixture
def big_rule(api):
    """An active hold rule: orders over 40 EUR wait (the default order is 49.48 EUR)."""
    body = {"code": "big", "name": "Big orders", "reason": "order over 40 EUR", "condition": BIG}
    assert api.post("/holds/rules", body).status_code == 201
    assert api.post("/holds/rules/big/versions/1/activate", {"reason": "go"}).status_code == 200
    return "big"
