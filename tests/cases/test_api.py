"""The cases API (docs/cases.md, "API"): a customer's inquiry, an agent's steps, the one-click
resolutions, and the refusals that change nothing."""

from __future__ import annotations

import pytest
from django.core import mail

from ordino.cases.domain import types as t
from ordino.cases.models import Case, CaseActivity
from ordino.events.models import OutboxEvent
from ordino.fulfillment.services import fulfillment_reject
from ordino.orders.models import OrderLine
from tests.cases.conftest import cases_of, work
from tests.factories import order_body, stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(api, shop) -> dict:
    stock(shop["wh_a"], shop["TEE"], 10)
    stock(shop["wh_a"], shop["MUG"], 10)
    return api.post("/orders", order_body("W-1")).json()


@pytest.fixture
def inquiry(api, order, people) -> dict:
    response = api.post("/cases", {"title": "Where is my parcel?", "order_id": order["id"]})
    assert response.status_code == 201
    return response.json()


def test_an_inquiry_is_opened_and_read(api, inquiry, order):
    assert inquiry["type"] == "inquiry"
    assert (inquiry["status"], inquiry["priority"], inquiry["order_number"]) == ("new", "normal",
                                                                              "W-1")  # fmt: skip
    assert inquiry["resolutions"] == ["contact_customer", "resolve", "void"]
    assert [a["kind"] for a in inquiry["activities"]] == ["created"]
    listed = api.get(f"/cases?order_id={order['id']}").json()["items"]
    assert [c["id"] for c in listed] == [inquiry["id"]]
    assert api.get("/cases?status=resolved").json()["items"] == []
    timeline = api.get(f"/orders/{order['id']}/timeline").json()
    assert any(e["kind"] == "case_created" for e in timeline)


def test_an_agent_takes_waits_comments_and_resolves(api, inquiry, people):
    case_id = inquiry["id"]
    taken = api.post(f"/cases/{case_id}/take", {"user": "ana"}).json()
    assert (taken["owner_user"], taken["status"]) == ("ana", "open")
    waiting = api.post(f"/cases/{case_id}/status", {"status": "waiting", "note": "asked"}).json()
    assert (waiting["status"], waiting["due_at"]) == ("waiting", None)
    back = api.post(f"/cases/{case_id}/status", {"status": "open"}).json()
    assert back["due_at"] is not None
    commented = api.post(f"/cases/{case_id}/comments", {"text": "Parcel found at the depot."})
    assert commented.status_code == 201
    done = api.post(f"/cases/{case_id}/resolve", {"resolution": "resolve", "note": "Found."})
    assert done.status_code == 200
    body = done.json()
    assert (body["status"], body["resolution"], body["resolutions"]) == ("resolved", "resolve", [])
    assert [a["kind"] for a in body["activities"]] == [
        "created", "assigned", "status", "status", "comment", "resolved"
    ]  # fmt: skip
    # and ana was e-mailed when she took it
    work()
    assert [m.to for m in mail.outbox if "is yours" in m.subject] == [["ana@example.com"]]


def refused(api, path: str, body: dict, status: int, code: str, case_id: int) -> dict:
    before = (Case.objects.filter(pk=case_id).values().get(), CaseActivity.objects.count(),
              OutboxEvent.objects.count())  # fmt: skip
    response = api.post(path, body)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code
    after = (Case.objects.filter(pk=case_id).values().get(), CaseActivity.objects.count(),
             OutboxEvent.objects.count())  # fmt: skip
    assert after == before
    return response.json()


def test_refusals_change_nothing(api, inquiry):
    case_id = inquiry["id"]
    problem = refused(api, f"/cases/{case_id}/assign", {"user": "nobody"}, 422, "unknown_user",
                      case_id)  # fmt: skip
    assert problem["errors"][0]["field"] == "user"
    refused(api, f"/cases/{case_id}/resolve", {"resolution": "retry_payment"}, 409,
            "resolution_not_offered", case_id)  # fmt: skip
    refused(api, f"/cases/{case_id}/resolve", {"resolution": "contact_customer"}, 422,
            "note_missing", case_id)  # fmt: skip
    api.post(f"/cases/{case_id}/resolve", {"resolution": "void", "note": "duplicate"})
    refused(api, f"/cases/{case_id}/status", {"status": "open"}, 409, "case_closed", case_id)
    refused(api, f"/cases/{case_id}/resolve", {"resolution": "resolve"}, 409, "case_closed",
            case_id)  # fmt: skip
    assert api.get("/cases/999999").status_code == 404
    assert api.get("/cases/999999").json()["code"] == "case_not_found"


def test_contacting_the_customer_emails_them_and_waits(
    api, inquiry, django_capture_on_commit_callbacks
):
    # the e-mail leaves after the step committed
    with django_capture_on_commit_callbacks(execute=True):
        note = {"resolution": "contact_customer", "note": "It arrives tomorrow."}
        body = api.post(f"/cases/{inquiry['id']}/resolve", note).json()
    assert body["status"] == "waiting"
    assert [(m.to, m.body) for m in mail.outbox] == [(["ada@example.com"], "It arrives tomorrow.")]


def test_retrying_a_declined_payment_waits_for_its_answer(api, shop):
    card = {"method": "card", "provider": "test", "token": "tok_decline"}
    api.post("/orders", order_body("W-2", payments=[card]))
    work()
    (case,) = cases_of(t.PAYMENT_DECLINED)
    body = api.post(f"/cases/{case.pk}/resolve", {"resolution": "retry_payment"}).json()
    assert body["status"] == "waiting"
    assert OutboxEvent.objects.filter(name="payment.retry_requested").count() == 1


def test_rerouting_an_order_rejected_everywhere(api, order, shop):
    # given the only location with stock rejected the order: a case
    fulfillment_reject(fo_id=order["fulfillment_orders"][0]["id"], reason="damaged",
                       actor="user:store")  # fmt: skip
    work()
    (case,) = cases_of(t.REJECTED_EVERYWHERE)
    # when re-routing finds nothing: 409, nothing changed
    refused(api, f"/cases/{case.pk}/resolve", {"resolution": "reroute"}, 409,
            "nothing_rerouted", case.pk)  # fmt: skip
    # when stock arrived at WH-B, re-routing places the units and resolves the case
    stock(shop["wh_b"], shop["TEE"], 5)
    stock(shop["wh_b"], shop["MUG"], 5)
    body = api.post(f"/cases/{case.pk}/resolve", {"resolution": "reroute"}).json()
    assert (body["status"], body["resolution"]) == ("resolved", "reroute")
    assert sum(OrderLine.objects.filter(order_id=order["id"]).values_list(
        "quantity_backordered", flat=True)) == 0  # fmt: skip


def test_cancelling_the_backordered_units(api, order, shop):
    fulfillment_reject(fo_id=order["fulfillment_orders"][0]["id"], reason="damaged",
                       actor="user:store")  # fmt: skip
    work()
    (case,) = cases_of(t.REJECTED_EVERYWHERE)
    body = api.post(f"/cases/{case.pk}/resolve", {"resolution": "cancel_line"}).json()
    assert (body["status"], body["resolution"]) == ("resolved", "cancel_line")
    assert api.get(f"/orders/{order['id']}").json()["status"] == "cancelled"


def test_the_types_list_their_ladders_and_resolutions(api, db):
    types = {x["code"]: x for x in api.get("/cases/types").json()}
    assert sorted(types) == sorted(t.BUILTIN)
    assert types["payment_declined"]["resolutions"] == [
        "retry_payment", "contact_customer", "resolve", "void"
    ]  # fmt: skip
