"""The holds tests' fixtures (tests/holds/conftest.py)."""

from tests.holds.conftest import big_rule, stocked  # noqa: F401
