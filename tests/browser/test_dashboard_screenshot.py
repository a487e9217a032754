"""The dashboard's screenshot for docs/console/dashboard.md, over a month of made-up orders
spread across days, channels and currencies. Runs only when asked:
`ORDINO_SCREENSHOTS=1 .venv/bin/python -m pytest -n 0 tests/browser/test_dashboard_screenshot.py`.
"""

from __future__ import annotations

import os
import random
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from ordino.channels.models import Channel
from ordino.core.domain.clock import utcnow
from tests.factories import make_channel, make_location, make_sku
from tests.reports.rows import fo, line, order

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("ORDINO_SCREENSHOTS"), reason="ORDINO_SCREENSHOTS=1"),
]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "console"
STATUSES = ["shipped"] * 12 + ["allocated"] * 3 + ["backordered"] * 2 + ["cancelled"] * 2


def month_of_orders(seed: int = 14) -> None:
    """About 250 orders over 30 days in three channels (two in euros, one in reais)."""
    rnd = random.Random(seed)
    channels = [make_channel("web"), make_channel("market"), make_channel("br", currency="BRL")]
    for channel, name in zip(channels, ("Web shop", "Marketplace", "Loja Brasil"), strict=True):
        Channel.objects.filter(pk=channel.pk).update(name=name)
    places = [
        make_location("WH-PAR", name="Paris warehouse"),
        make_location("ST-PAR", kind="store", name="Paris store"),
        make_location("ST-LYO", kind="store", name="Lyon store"),
    ]
    skus = [make_sku(code) for code in ("TEE", "MUG", "CAP", "BAG")]
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    for day in range(30, -1, -1):
        for n in range(rnd.randint(4, 12)):
            created = now - timedelta(days=day, hours=rnd.randint(0, 20))
            _one_order(rnd, rnd.choice(channels), places, skus, created, f"D{day}-{n}")


def _one_order(rnd, channel, places, skus, created, ext) -> None:
    status = rnd.choice(STATUSES)
    total = rnd.randint(20, 180)
    o = order(
        channel,
        ext,
        created,
        status,
        total,
        0 if status == "cancelled" else total,
        currency=channel.currency,
    )
    qty = rnd.randint(1, 3)
    if status == "cancelled":
        fo(
            line(o, rnd.choice(skus), qty, cancelled=qty),
            places[0],
            qty,
            "cancelled",
            created,
            cancelled=qty,
        )
    elif status == "backordered":
        line(o, rnd.choice(skus), qty, backordered=qty)
    elif status == "allocated":
        queue = rnd.choice(["open", "accepted", "picking", "packed"])
        fo(line(o, rnd.choice(skus), qty, allocated=qty), rnd.choice(places), qty, queue, created)
    else:
        first = line(o, rnd.choice(skus), qty, shipped=qty)
        if qty > 1 and rnd.random() < 0.25:  # split between the warehouse and a store
            fo(
                first,
                places[0],
                1,
                "shipped",
                created,
                shipped=1,
                ship_after_hours=rnd.randint(8, 40),
            )
            fo(
                first,
                places[rnd.choice([1, 2])],
                qty - 1,
                "shipped",
                created,
                shipped=qty - 1,
                ship_after_hours=rnd.randint(4, 30),
            )
        else:
            fo(
                first,
                rnd.choice(places),
                qty,
                "shipped",
                created,
                shipped=qty,
                ship_after_hours=rnd.randint(4, 60),
            )


def test_dashboard_screenshot(console_as):
    month_of_orders()
    manager = User.objects.create_superuser("olga", "olga@example.com", "pw-long-enough-1")
    page = console_as(manager, "desktop")
    page.set_viewport_size({"width": 1440, "height": 1280})  # tiles and the first charts
    page.goto("/admin/?period=30d")
    page.wait_for_timeout(800)  # Chart.js animates
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / "dashboard-home.png"), type="png")
