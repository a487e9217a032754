"""Helpers of the stateful model test (tests/reliability/test_stateful_model.py)."""
