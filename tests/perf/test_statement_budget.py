"""The statement budget of the hot path (docs/performance.md): a 2-line order captured over HTTP,
token and Idempotency-Key included. A count, never a time: a feature that adds statements to
capture either fits the budget or raises it knowingly, here."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import order_body, stock

pytestmark = pytest.mark.django_db

# Today's count in a test transaction (its outer savepoint pair stands for BEGIN/COMMIT): token,
# the key's claim (one statement that never waits: INSERT ... ON CONFLICT DO NOTHING RETURNING
# id, on PostgreSQL behind pg_try_advisory_xact_lock in the same statement), channel,
# candidates, customer, one balance update for all lines, then on SQLite order, lines,
# fulfillment order, its lines, ledger movements, sourcing decision, timeline and outbox, on
# PostgreSQL the ids of all those rows and one insert batch of them (core/sql.py); fraud
# screening (docs/risk.md: what other orders share its keys in one read, its score, its signals;
# 3 statements, its settings come from the cache); the key's answer. The request runs without a
# savepoint of its own (a refusal rolls back whole and is remembered afterwards), and the claim
# sets no lock timeout. Issue 9 aims at 10 (before fraud screening).
BUDGET = {"sqlite": 20, "postgresql": 14}
# An order whose lines omit their tax: Ordino reads the SKUs' tax classes and the destination's
# rates in one more statement (tax/selectors.py: tax_inputs_read, docs/tax.md). Orders that
# come with their tax (most channels' do) never read them.
TAX_COMPUTED = 1
TAX_GIVEN = [
    {"sku": "TEE", "quantity": 2, "unit_price": "19.99", "tax": "7.60"},
    {"sku": "MUG", "quantity": 1, "unit_price": "9.50", "tax": "1.81"},
]


def _capture_statements(api, shop, external_id: str, lines=None) -> list[str]:
    body = order_body(external_id, lines=lines)
    with CaptureQueriesContext(connection) as queries:
        response = api.post("/orders", body, idempotency_key=external_id)
    assert response.status_code == 201, response.content
    return [q["sql"] for q in queries.captured_queries]


def test_a_two_line_order_over_http_fits_the_statement_budget(api, shop):
    # given stock at a warehouse and a customer who ordered before (the steady state)
    stock(shop["wh_a"], shop["TEE"], 100)
    stock(shop["wh_a"], shop["MUG"], 100)
    _capture_statements(api, shop, "W-0", TAX_GIVEN)
    # when a 2-line order with its tax arrives over HTTP with an Idempotency-Key
    statements = _capture_statements(api, shop, "W-1", TAX_GIVEN)
    # then it costs no more statements than the budget
    listing = "\n".join(f"{i + 1:2} {sql[:100]}" for i, sql in enumerate(statements))
    assert len(statements) <= BUDGET[connection.vendor], listing


def test_an_order_whose_tax_ordino_computes_costs_one_statement_more(api, shop):
    # given the steady state and the destination's tax rates
    stock(shop["wh_a"], shop["TEE"], 100)
    stock(shop["wh_a"], shop["MUG"], 100)
    for tax_class, rate in (("standard", "19"), ("reduced", "7")):
        body = {"country": "DE", "tax_class": tax_class, "rate": rate, "name": tax_class}
        assert api.post("/tax/rates", {**body, "valid_from": "2020-01-01"}).status_code == 201
    _capture_statements(api, shop, "W-0")
    # when a 2-line order without its tax arrives
    statements = _capture_statements(api, shop, "W-1")
    # then the classes and rates cost one statement, read once for the whole order
    listing = "\n".join(f"{i + 1:2} {sql[:100]}" for i, sql in enumerate(statements))
    assert len(statements) <= BUDGET[connection.vendor] + TAX_COMPUTED, listing
    assert sum("tax_taxrate" in sql for sql in statements) == 1, listing


# With hold rules in force, capture reads the order's facts to test them (orders/hold_facts.py:
# the order with its customer and earlier orders, its lines with their SKUs' tags, its
# payments' methods); with none in force it reads nothing (the active set is cached per
# process: holds/services/active.py, docs/holds.md).
HOLD_FACTS_READ = 3


def test_hold_rules_cost_nothing_when_none_is_active_and_their_facts_read_when_one_is(api, shop):
    # given the steady state and a hold rule in force that the order does not match
    stock(shop["wh_a"], shop["TEE"], 100)
    stock(shop["wh_a"], shop["MUG"], 100)
    _capture_statements(api, shop, "W-0", TAX_GIVEN)
    without = _capture_statements(api, shop, "W-1", TAX_GIVEN)
    rule = {"fact": "order.value", "op": "gt", "value": "100000"}
    body = {"code": "huge", "name": "Huge", "reason": "huge order", "condition": rule}
    assert api.post("/holds/rules", body).status_code == 201
    assert api.post("/holds/rules/huge/versions/1/activate", {}).status_code == 200
    _capture_statements(api, shop, "W-2", TAX_GIVEN)  # the process loads the rule set once
    # when an order is captured
    statements = _capture_statements(api, shop, "W-3", TAX_GIVEN)
    # then none of the statements without a rule was the holds', and the facts cost a few
    listing = "\n".join(f"{i + 1:2} {sql[:100]}" for i, sql in enumerate(statements))
    assert not any("holds_" in sql for sql in without)
    assert len(statements) == len(without) + HOLD_FACTS_READ, listing
