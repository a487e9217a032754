"""A return and its refund in real browsers (issue 10): the customer asks for a return on their
phone through the signed link, an agent approves it, a store clerk grades the units on a phone,
the worker refunds them, and the agent, on a desktop, sees it all on the order page and refunds
the shipping from the money panel, whose figures equal `GET /orders/{id}/balance`. With
ORDINO_SCREENSHOTS=1 it also writes the screenshots of docs/console.md, "Returns and refunds"."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User

from ordino.invoices.models import Invoice
from ordino.payments.models import Refund
from ordino.returns.models import Return
from ordino.returns.services import return_link
from tests.browser.conftest import VIEWPORTS
from tests.console.store_setup import store_staff
from tests.factories import order_body, stock
from tests.payments.conftest import card, work
from tests.returns.conftest import balance, ship_all

pytestmark = pytest.mark.django_db(transaction=True)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "console"
SCREENSHOTS = os.environ.get("ORDINO_SCREENSHOTS") == "1"
AGENT_PERMISSIONS = [
    "view_order",
    "view_payment",  # the money panel (docs/people.md: as customer service's role)
    "view_invoice",
    "cancel_orders",
    "edit_orders",
    "refund",
    "view_return",
    "manage_returns",
]


def shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(DOCS / f"returns-{name}.png"), full_page=False)


@pytest.fixture
def delivered(api, shop) -> dict:
    """W-1 (two tees at 19.99, a mug at 9.50, shipping 4.95, EUR) paid by a test card, shipped
    from the store STORE-1 (so its returns go back there), delivered, captured."""
    stock(shop["store"], shop["TEE"], 5)
    stock(shop["store"], shop["MUG"], 5)
    response = api.post("/orders", order_body(shipping_price="4.95", payments=[card()]))
    assert response.status_code == 201, response.content
    order = response.json()
    work()
    ship_all(api, order)
    work()
    return order


@pytest.fixture
def agent(db) -> User:
    user = User.objects.create_user("sam", password="x-Very-long-pass-1", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=AGENT_PERMISSIONS))
    return user


@pytest.fixture
def clerk(shop) -> User:
    """Store staff limited to STORE-1, who may receive returns there."""
    user = store_staff("clerk", [shop["store"]])
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_return", "manage_returns"])
    )
    return user


def amount(text: str) -> Decimal:
    """ "€49.48" or "−€4.95" → Decimal: the figure as a person reads it on the page."""
    sign = "-" if text.strip().startswith(("−", "-")) else ""
    return Decimal(sign + re.sub(r"[^0-9.]", "", text.replace(",", "")))


def money_figures(page) -> dict[str, Decimal]:
    """The money panel's figures by their label, and per payment row (captured, refunded)."""
    panel = page.locator("[aria-label=Payments]")
    terms = panel.locator("[data-testid=money-figures] dt").all_inner_texts()
    values = panel.locator("[data-testid=money-figures] dd").all_inner_texts()
    figures = {term.strip(): amount(value) for term, value in zip(terms, values, strict=True)}
    for row in panel.locator("tbody tr:has(td[data-label=Payment])").all():
        seq = row.locator("td[data-label=Payment]").inner_text().strip()
        for column in ("Amount", "Captured", "Refunded"):
            cell = row.locator(f"td[data-label={column}]").inner_text()
            figures[f"payment {seq} {column.lower()}"] = amount(cell)
    return figures


def customer_requests(browser_page, path: str) -> Return:
    """On a phone, the customer returns both tees, too small, and sees the confirmation."""
    browser_page.goto(path)
    assert browser_page.locator("h1").inner_text() == "Return items from order W-1"
    browser_page.select_option("select[name=quantity_1]", "2")
    browser_page.select_option("#reason", "size_or_fit")
    browser_page.fill("#note", "Too small")
    shot(browser_page, "customer-phone")
    with browser_page.expect_navigation():
        browser_page.get_by_role("button", name="Request the return").tap()
    ret = Return.objects.get()
    assert (
        browser_page.locator("[role=status]")
        .inner_text()
        .startswith(f"Return {ret.number} requested.")
    )
    return ret


def agent_approves(page, order_id: int, ret: Return) -> None:
    page.goto(f"/admin/orders/{order_id}/")
    with page.expect_navigation():
        page.locator(f"[data-return='{ret.number}']").get_by_role("button", name="Approve").click()
    assert f"Return {ret.number} approved." in page.inner_text("body")


def clerk_grades(phone, ret: Return) -> None:
    """On the receive screen, the clerk finds the return and taps Restock, then Damaged."""
    phone.goto("/admin/returns/receive/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(phone, "receive-phone")
    with phone.expect_navigation():
        phone.locator(f"[data-return='{ret.number}']").tap()
    assert phone.get_by_role("link", name="Order page").count() == 0  # she may not open orders
    assert "Size or fit" in phone.inner_text("#return-receive")
    shot(phone, "grade-phone")
    for label in ("Restock", "Damaged"):
        with phone.expect_navigation():
            phone.locator("form[data-line='1']").get_by_role("button", name=label).tap()
        assert f"Return {ret.number}: 1 unit(s) received." in phone.inner_text("body")
    assert "Every unit is received." in phone.inner_text("body")


def agent_refunds_shipping(page, order_id: int) -> None:
    """From the money panel's Refund form: the preview first (nothing recorded), then confirm."""
    page.locator("[aria-label=Payments]").get_by_text("Refund", exact=True).click()
    page.fill("#refund-shipping", "4.95")
    page.fill("#refund-reason", "Shipping of the returned tees")
    with page.expect_navigation():
        page.get_by_role("button", name="Preview the refund").click()
    assert page.inner_text("[data-testid=refund-amount]") == "€4.95"
    assert Refund.objects.filter(order_id=order_id).count() == 2  # the preview changed nothing
    shot(page, "refund-preview-desktop")
    with page.expect_navigation():
        page.get_by_role("button", name="Refund €4.95").click()
    assert "Refund recorded: the worker sends it." in page.inner_text("body")


def balance_figures(body: dict) -> dict[str, Decimal]:
    """The balance endpoint's JSON under the money panel's labels."""
    figures = {
        "Ordered (current total)": body["ordered"], "Authorized": body["authorized"],
        "Captured": body["captured"], "Refunded": body["refunded"],
        "Released": body["voided"], "Outstanding": body["outstanding"],
    }  # fmt: skip
    if Decimal(body["returns_refunded"]):  # shown only when there is some
        figures["Refunds of returns"] = body["returns_refunded"]
    for p in body["payments"]:
        for key in ("amount", "captured", "refunded"):
            figures[f"payment {p['sequence']} {key}"] = p[key]
    return {label: Decimal(value) for label, value in figures.items()}


def test_a_return_is_asked_received_at_a_store_and_refunded(
    browser, console_as, live_server, api, shop, delivered, agent, clerk
):
    order_id = delivered["id"]
    # Given the order is paid, captured (2 × 19.99 + 9.50 + 4.95) and delivered from STORE-1
    assert api.get(f"/orders/{order_id}/balance").json()["captured"] == "54.43"
    assert balance(shop["store"], shop["TEE"]) == (3, 0, 0)
    # When the customer opens their signed link on a phone and asks to return both tees
    phone_context = browser.new_context(base_url=live_server.url, **VIEWPORTS["phone"])
    try:  # no session: the signed link is the key
        ret = customer_requests(phone_context.new_page(), return_link(order_id=order_id)["path"])
    finally:
        phone_context.close()
    assert (ret.state, ret.created_via, ret.location.code) == ("requested", "customer", "STORE-1")
    # And the agent approves it, and the store clerk grades the two tees on a phone
    page = console_as(agent, "desktop")
    agent_approves(page, order_id, ret)
    clerk_grades(console_as(clerk, "phone"), ret)
    # Then stock moved at the store: both tees on hand again, the damaged one unavailable
    # (docs/returns.md: damaged is received, then set aside), so one more tee to sell
    assert balance(shop["store"], shop["TEE"]) == (5, 0, 1)
    # When the worker runs: each receipt is refunded (and credited)
    work()
    refunds = Refund.objects.filter(order_id=order_id).order_by("id")
    assert [r.amount for r in refunds] == [Decimal("19.99"), Decimal("19.99")]
    # Then the agent sees the return received and the refunds in the money panel
    page.goto(f"/admin/orders/{order_id}/")
    returns = page.locator(f"[data-return='{ret.number}']")
    row = returns.locator("tbody tr").first
    assert row.locator("td[data-label=Restocked]").inner_text() == "1"
    assert row.locator("td[data-label=Damaged]").inner_text() == "1"
    assert returns.get_by_role("button", name="Cancel the return").count() == 0  # only close
    assert returns.get_by_role("button", name="Close the return").count() == 1
    assert page.inner_text(f"[data-testid=refund-{ret.number}]") == "€39.98"
    if SCREENSHOTS:
        page.locator("#returns").screenshot(path=str(DOCS / "returns-panel-desktop.png"))
    assert money_figures(page)["Refunded"] == Decimal("39.98")
    assert page.inner_text("[aria-label=Payments]").count(f"return {ret.number}") == 2
    # When the agent refunds the shipping from the money panel, after its preview
    agent_refunds_shipping(page, order_id)
    work()
    # Then the money panel's figures equal the balance endpoint's, exactly
    page.goto(f"/admin/orders/{order_id}/")
    if SCREENSHOTS:
        page.locator("[aria-label=Payments]").screenshot(
            path=str(DOCS / "returns-money-desktop.png")
        )
    figures = money_figures(page)
    assert figures == balance_figures(api.get(f"/orders/{order_id}/balance").json())
    assert (figures["Captured"], figures["Refunded"]) == (Decimal("54.43"), Decimal("44.93"))
    # And the invoices panel lists the credit notes, one per refund
    notes = Invoice.objects.filter(order_id=order_id, kind="credit_note").order_by("sequence")
    assert [n.total for n in notes] == [Decimal("19.99"), Decimal("19.99"), Decimal("4.95")]
    invoices = page.inner_text("[aria-label=Invoices]")
    assert all(note.number in invoices for note in notes)
    assert "−€4.95" in invoices


def test_a_declined_card_shows_on_the_money_panel_and_holds_the_stores_work(
    console_as, api, shop, agent
):
    # Given an order served by STORE-1, paid by a card the provider declines; the worker runs
    stock(shop["store"], shop["TEE"], 5)
    stock(shop["store"], shop["MUG"], 5)
    response = api.post("/orders", order_body(payments=[card("tok_decline")]))
    assert response.status_code == 201, response.content
    order_id = response.json()["id"]
    work()
    clerk = store_staff("clerk", [shop["store"]])
    # When the agent opens the order page on a desktop
    page = console_as(agent, "desktop")
    page.goto(f"/admin/orders/{order_id}/")
    # Then the money panel shows the declined payment, nothing authorized, all outstanding
    money = page.locator("[aria-label=Payments]")
    row = money.locator("tbody tr")
    assert row.locator("td[data-label=Status]").inner_text() == "Declined"
    assert money.get_by_role("button", name="Retry").count() == 1
    figures = money_figures(page)
    assert figures == balance_figures(api.get(f"/orders/{order_id}/balance").json())
    assert (figures["Authorized"], figures["Outstanding"]) == (Decimal("0.00"), Decimal("49.48"))
    failure = "Authorize of €49.48: Failed — Card declined (test provider)."
    assert money.locator("[role=status]").inner_text() == failure  # one full stop
    if SCREENSHOTS:
        money.screenshot(path=str(DOCS / "returns-declined-desktop.png"))
    # When the store clerk opens the store screen on a phone
    phone = console_as(clerk, "phone")
    phone.goto("/admin/store/")
    card_ = phone.locator("#store-queue .st-card")
    # Then the order's fulfillment order waits there, on hold
    assert card_.count() == 1
    assert card_.locator(".st-pill.hold").inner_text() == "On hold"
    assert "W-1" in card_.inner_text()
    shot(phone, "on-hold-phone")
    # And its screen says why
    with phone.expect_navigation():
        card_.tap()
    reason = phone.inner_text("[data-testid=hold-reason]")
    assert reason == "Put on hold at STORE-1: payment declined."
