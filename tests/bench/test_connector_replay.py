"""bench/connector_replay.py's pieces that need no database: the plan's exact shares, and the run
without the Olist sample (it says so and exits 0, touching no database)."""

from __future__ import annotations

import sys
from collections import Counter

from bench import connector_replay
from bench.connector_replay import replay_plan, shopify_payloads, synthetic_orders


def test_the_plan_drops_a_fifth_of_the_orders_and_resends_a_twentieth_of_the_deliveries():
    # given 500 orders' payloads
    orders = synthetic_orders(500, skus=["A", "B", "C"], location="L")
    payloads = shopify_payloads(orders, first_id=1)
    # when the replay is planned
    plan = replay_plan(payloads)
    # then 100 orders have no webhook; 400 have 3 ids each; 60 deliveries repeat an id
    sent = Counter(d.external_id for d in plan.deliveries)
    assert (len(plan.dropped), plan.webhooks, plan.resent, len(plan.deliveries)) == (
        100, 1200, 60, 1260,
    )  # fmt: skip
    assert not plan.dropped & set(sent) and len(sent) == 400
    per_id = Counter(d.webhook_id for d in plan.deliveries)
    assert Counter(per_id.values()) == {1: 1140, 2: 60}
    # and the same seed plans the same stream
    assert replay_plan(payloads).deliveries == plan.deliveries


def test_without_the_olist_sample_it_says_so_and_exits_0(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["connector_replay", "--olist", str(tmp_path)])
    monkeypatch.setattr(connector_replay, "run", lambda *a, **k: 1 / 0)  # never reached
    connector_replay.main()
    assert capsys.readouterr().out == (
        f"No Olist sample at {tmp_path}: nothing replayed (pass --olist DIR, or --synthetic "
        "for made-up orders).\n"
    )
