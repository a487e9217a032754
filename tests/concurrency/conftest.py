from __future__ import annotations

import pytest

from tests.concurrency.live import live_database


@pytest.fixture
def live_db(tmp_path):
    """A fresh database for the race (PostgreSQL when DATABASE_URL points at it, else SQLite)."""
    with live_database(tmp_path) as db:
        yield db
