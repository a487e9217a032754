"""Every marketplace module gives the connector core the same thing: one `PLATFORM` with the
Platform protocol's attributes and methods (connectors/platforms/base.py) and published limits
a token bucket can keep. Pure, no database."""

from __future__ import annotations

import inspect

import pytest

from ordino.connectors.domain.ratelimit import TokenBucket
from ordino.connectors.platforms import amazon, amazon_v0, ebay, woocommerce
from ordino.connectors.platforms.base import Platform

MODULES = {"woocommerce": woocommerce, "amazon": amazon, "amazon_v0": amazon_v0, "ebay": ebay}


@pytest.mark.parametrize("code", MODULES)
def test_each_module_exposes_one_platform_of_the_protocols_shape(code):
    platform = MODULES[code].PLATFORM
    assert platform.code == code
    for name in ("order_from_payload", "order_state", "webhook_verify", "orders_pull"):
        expected = inspect.signature(getattr(Platform, name))
        actual = inspect.signature(getattr(type(platform), name))
        # every parameter the protocol passes is accepted under the same name and kind
        for param_name in expected.parameters:
            assert param_name in actual.parameters, (code, name, param_name)
            assert actual.parameters[param_name].kind == expected.parameters[param_name].kind
        # and anything more has a default (v0's `marketplace_ids`)
        extra = set(actual.parameters) - set(expected.parameters)
        assert all(actual.parameters[n].default is not inspect.Parameter.empty for n in extra)


@pytest.mark.parametrize("code", MODULES)
def test_each_published_limit_is_a_bucket_the_core_can_keep(code):
    limits = MODULES[code].PLATFORM.rate_limits
    assert limits
    for operation, (rate, burst) in limits.items():
        assert operation and isinstance(burst, int)
        TokenBucket.of(rate, burst)
