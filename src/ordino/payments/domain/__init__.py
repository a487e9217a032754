"""Payments' pure rules: balances from transactions, what is due for capture, refund amounts,
card data refused (docs/payments.md)."""
