"""Inputs take JSON types as documented: 0 is no boolean, "5" no integer (found by fuzzing)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("extra", "field"), [({"is_active": 0}, "is_active"), ({"stock_buffer": "2"}, "stock_buffer")]
)
def test_a_channel_with_a_coerced_type_is_refused(api, extra, field):
    body = {"code": "web", "name": "Web", "kind": "web", "currency": "EUR", **extra}
    resp = api.post("/channels", body)
    assert resp.status_code == 422, resp.content
    assert [e["field"] for e in resp.json()["errors"]] == [field]
    assert api.get("/channels/web").status_code == 404


def test_a_stock_buffer_beyond_a_database_integer_is_refused_not_a_server_error(api):
    body = {"code": "web", "name": "Web", "kind": "web", "currency": "EUR", "stock_buffer": 2**63}
    resp = api.post("/channels", body)
    assert resp.status_code == 422, resp.content
    assert [e["field"] for e in resp.json()["errors"]] == ["stock_buffer"]
