"""Fixtures of the reliability suites (the fuzz suite's request counter and summary are the plugin
`tests/reliability/fuzz_summary.py`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from tests.reliability.seed import Shop, seed_shop


@pytest.fixture(scope="module")
def reliability_shop(django_db_setup, django_db_blocker) -> Iterator[Shop]:
    """The seeded shop, made once per test module inside a transaction that is rolled back
    after the module. Each test (with `db`) runs in a savepoint inside it, so it sees the shop
    and leaves nothing behind."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield seed_shop()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
