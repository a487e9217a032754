from tests.payments.conftest import stocked  # noqa: F401  (the shop, stocked)
