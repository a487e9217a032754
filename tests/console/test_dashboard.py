"""The console's home page, the operations dashboard: pickers, tiles that open exactly what
they count, charts' data, bad input, permissions and the query budget (both databases)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth.models import Permission, User

from ordino.accounts.models import StaffAccess
from ordino.catalog.models import Sku
from ordino.console.dashboard.picker import PickerForm
from ordino.core.domain.clock import clock_pinned
from tests.factories import stock
from tests.reports.rows import at, book_make, line, order
from tests.reports.test_shipping import MONDAY, shipped
from tests.shipping.test_api import paket  # noqa: F401 (a fixture)

MARCH = {"period": "custom", "from": "2026-03-01", "to": "2026-03-03"}
# session, user, the picker's channels, 9 KPI and 7 series queries (+2 channel look-ups when one
# is picked): 18 (all channels) / 20 (one channel) for an admin; a channel-limited user adds
# their permissions and access (about 5). The Returns card adds 11 (+1 channel look-up): the
# budget was 20 before it. The returns chart's series query makes 32 with one channel; the
# Shipping card 1 more (+1 channel look-up).
QUERY_BUDGET = 34


@pytest.fixture
def book(db):
    return book_make()


@pytest.fixture
def ops(db):
    return User.objects.create_superuser("ops", "ops@example.com", "pw-long-enough-1")


def _get(client, user, params):
    client.force_login(user)
    return client.get("/admin/", params)


def test_the_dashboard_shows_tiles_charts_and_the_picker(client, book, ops):
    # when the manager picks 1–3 March
    page = _get(client, ops, MARCH)
    # then the page is titled Dashboard, with the picker filled, the tiles and the charts
    assert page.status_code == 200
    html = page.content.decode()
    assert "<title> Dashboard | Ordino</title>" in html and "Site administration" not in html
    assert page.context["choice_text"] == "1 Mar 2026 – 3 Mar 2026, all channels"
    tiles = {t.key: t for t in page.context["tiles"]}
    assert (tiles["orders"].value, tiles["cancelled"].value, tiles["backordered"].value) == (
        "5",
        "1",
        "1",
    )
    assert tiles["revenue-EUR"].value == "€240.00" and tiles["revenue-USD"].value == "$15.00"
    assert tiles["fill"].value == "72.7 %"
    charts = {c.key: c for c in page.context["charts"]}
    assert set(charts) == {
        "orders", "revenue-EUR", "revenue-USD", "rates", "stores", "ship-time", "returns",
    }  # fmt: skip
    returned = json.loads(charts["returns"].data)  # the book has no return: zeros per day
    assert [(d["label"], d["data"]) for d in returned["datasets"]] == [
        ("Returns requested", [0, 0, 0]), ("Refunds recorded", [0, 0, 0]),
    ]  # fmt: skip
    assert charts["returns"].link == "/admin/returns/return/"
    orders = json.loads(charts["orders"].data)
    assert orders["labels"] == ["2026-03-01", "2026-03-02", "2026-03-03"]
    assert [(d["label"], d["data"]) for d in orders["datasets"]] == [
        ("Channel shop", [0, 1, 0]),
        ("Channel web", [2, 2, 0]),
    ]
    eur = json.loads(charts["revenue-EUR"].data)  # one currency per chart, exact strings
    assert [(d["label"], d["data"]) for d in eur["datasets"]] == [
        ("Channel web", ["160.00", "80.00", "0"])
    ]
    assert json.loads(charts["revenue-EUR"].options)["scales"]["y"]["stacked"] is True
    rates = json.loads(charts["rates"].data)["datasets"]
    assert rates[3] == {**rates[3], "label": "Split rate", "data": ["50.00", "33.33", None]}
    queue = json.loads(page.context["queue_chart"].data)
    assert queue["labels"] == ["Location STORE-1", "Location WH-A", "Location WH-B"]
    assert html.count('<canvas class="chart"') == 8
    assert 'name="period"' in html and 'name="channel"' in html


def test_each_tile_opens_the_list_of_exactly_what_it_counts(client, book, ops):
    page = _get(client, ops, {**MARCH, "channel": "web"})
    tiles = page.context["tiles"]
    status_tiles = page.context["status_tiles"]
    assert [t.key for t in status_tiles] == ["backordered", "shipped", "cancelled"]
    for tile in [*tiles, *status_tiles]:
        counted = int(tile.value) if tile.value.isdigit() else _denominator(tile)
        if tile.key.startswith("revenue-"):
            counted = int(tile.hint.split()[0])  # "4 orders, average …"
        listed = client.get(tile.link)
        assert listed.status_code == 200, tile
        assert listed.context["cl"].result_count == counted, tile
    # the open work: each line opens the fulfillment orders of that location and status
    for q in page.context["queue_lines"]:
        listed = client.get(q.link)
        assert listed.status_code == 200
        assert listed.context["cl"].result_count == q.count, q
    assert [(q.location, q.status, q.count) for q in page.context["queue_lines"]] == [
        ("Location WH-A", "Open", 2),
        ("Location WH-B", "Open", 1),
    ]


def test_a_click_on_a_bar_opens_the_orders_it_counts(client, book, ops):
    # given the orders chart of 1–3 March, all channels
    page = _get(client, ops, MARCH)
    chart = next(c for c in page.context["charts"] if c.key == "orders")
    data, links_ = json.loads(chart.data), json.loads(chart.links)
    # then each bar's link lists exactly the orders of that day and channel
    for dataset, urls in zip(data["datasets"], links_, strict=True):
        for count, url in zip(dataset["data"], urls, strict=True):
            listed = client.get(url)
            assert listed.status_code == 200
            assert listed.context["cl"].result_count == count, (dataset["label"], url)
    # and a revenue bar lists the orders in that currency
    usd = next(c for c in page.context["charts"] if c.key == "revenue-USD")
    listed = client.get(json.loads(usd.links)[0][1])  # the shop's bar of 2 March
    assert [o.external_id for o in listed.context["cl"].result_list] == ["O5"]


def _denominator(tile) -> int:
    return 4  # the rate tiles open the period's orders of the channel: 4 web orders


def test_the_links_keep_the_picked_period_and_channel(client, book, ops):
    page = _get(client, ops, {**MARCH, "channel": "web"})
    link = unescape(page.context["tiles"][0].link)
    assert "created_at__gte=2026-03-01+00%3A00%3A00%2B00%3A00" in link
    assert "created_at__lt=2026-03-04+00%3A00%3A00%2B00%3A00" in link
    assert f"channel__id__exact={book['web'].id}" in link
    assert page.context["choice_query"] == "period=custom&from=2026-03-01&to=2026-03-03&channel=web"


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"period": "custom", "from": "2026-03-05", "to": "2026-03-01"}, "ends before it starts"),
        ({"period": "custom", "from": "2024-01-01", "to": "2026-03-01"}, "at most 366 days"),
        ({"period": "custom", "from": "2026-02-30", "to": "2026-03-01"}, "Enter a valid date"),
        ({"period": "custom", "from": "2026-03-01"}, "both days"),
        ({"period": "fortnight"}, "Select a valid choice"),
        ({"from": "0001-01-01", "to": "9999-12-31"}, "Days go from 1970-01-01"),
        ({"channel": "nope"}, "not one you can see"),
    ],
)
def test_wrong_input_says_so_and_falls_back(client, book, ops, params, says):
    page = _get(client, ops, params)
    assert page.status_code == 200
    html = unescape(page.content.decode())
    assert says in html
    assert "last 30 days" in html  # what it shows instead
    assert page.context["choice"].period == "30d"


def test_the_named_periods():
    from datetime import date

    from ordino.console.dashboard.picker import period_of

    today = date(2026, 3, 18)
    assert period_of("today", today) == (today, today)
    assert period_of("7d", today) == (date(2026, 3, 12), today)
    assert period_of("30d", today) == (date(2026, 2, 17), today)
    assert period_of("month", today) == (date(2026, 3, 1), today)
    form = PickerForm({"period": "7d"}, channels=[], today=today)
    assert form.is_valid()


def test_a_channel_limited_user_sees_their_channels_only(client, book):
    # given staff limited to the shop channel, who may see reports, orders and fulfillment orders
    clerk = User.objects.create_user("clerk", password="pw-long-enough-1", is_staff=True)
    codenames = ["see_reports", "view_order", "view_fulfillmentorder"]
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    StaffAccess.objects.create(user=clerk).channels.add(book["shop"])
    page = _get(client, clerk, MARCH)
    # then the picker offers the shop only and the figures are the shop's
    assert [c[0] for c in page.context["picker"].fields["channel"].choices] == ["", "shop"]
    tiles = {t.key: t for t in page.context["tiles"]}
    assert tiles["orders"].value == "1"
    assert f"channel__id__in={book['shop'].id}" in tiles["orders"].link
    assert client.get(tiles["orders"].link).context["cl"].result_count == 1
    # and the web channel by name is refused, with a message, not a 500
    other = client.get("/admin/", {**MARCH, "channel": "web"})
    assert "not one you can see" in other.content.decode()


def test_users_without_the_permission_see_the_plain_index(client, book):
    viewer = User.objects.create_user("viewer", password="pw-long-enough-1", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_sku"))
    page = _get(client, viewer, MARCH)
    assert page.status_code == 200
    assert "dashboard-tiles" not in page.content.decode()
    assert "tiles" not in page.context


def test_a_location_limited_user_is_told_why_there_is_no_dashboard(client, book):
    from ordino.locations.models import Location

    clerk = User.objects.create_user("store", password="pw-long-enough-1", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="see_reports"))
    StaffAccess.objects.create(user=clerk).locations.add(Location.objects.get(code="STORE-1"))
    page = _get(client, clerk, {})
    assert page.status_code == 200
    assert "covers the whole network" in page.content.decode()


def test_the_page_keeps_to_its_query_budget(client, book, ops, django_assert_max_num_queries):
    client.force_login(ops)
    # more data does not mean more queries
    for n in range(20):
        o = order(book["web"], f"X{n}", at(3, n % 24), "allocated", 10, 10)
        line(o, Sku.objects.get(code="TEE"), 1, allocated=1)
    with django_assert_max_num_queries(QUERY_BUDGET):
        page = client.get("/admin/", {**MARCH, "channel": "web"})
    assert page.status_code == 200
    assert re.search(r'data-tile="orders"', page.content.decode())


def test_the_dashboard_has_a_returns_card(client, book, ops):
    # given the book's orders and no return, when the dashboard is shown
    page = _get(client, ops, MARCH)
    # then the Returns card shows no return and no rate
    html = page.content.decode()
    assert page.status_code == 200
    card = html[html.index('id="dashboard-returns"') :]
    assert "Returns requested: <strong>0</strong>" in card


def test_the_dashboard_has_a_shipping_card(client, api, shop, paket, ops):  # noqa: F811
    # given two shipments with DHL Paket (4.90 EUR each) on Monday, one delivered 30 h later
    stock(shop["wh_a"], shop["TEE"], 10)
    stock(shop["wh_a"], shop["MUG"], 10)
    with clock_pinned(MONDAY):
        early = shipped(api, "W-1", promised="2026-11-25")
        shipped(api, "W-2", promised=None)
    with clock_pinned(MONDAY + timedelta(hours=30)):
        assert api.post(f"/fulfillment/orders/{early}/deliver", {}).status_code == 200
    # when the manager opens the dashboard on that week
    page = _get(client, ops, {"period": "custom", "from": "2026-11-23", "to": "2026-11-29"})
    # then the Shipping card shows the cost per order and unit, on time and the lane's hours
    html = page.content.decode()
    card = html[html.index('id="dashboard-shipping"') :]
    card = card[: card.index("</ul>")]
    assert "Shipments: <strong>2</strong>" in card
    assert (
        "DHL Paket (dhl:paket): <strong>9.80 EUR</strong> for 2 shipments; "
        "per order <strong>4.90</strong>, per unit <strong>1.63</strong>"
    ) in card
    assert "dhl:paket on time: <strong>1.0000</strong> (1 on time, 0 late, 0 on the way)" in card
    assert (
        "dhl:paket DE → DE: p50 <strong>30.00</strong> h, p90 <strong>30.00</strong> h (1)" in card
    )
