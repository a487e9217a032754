"""The API root: the document declares the problem+json errors; unknown paths answer one."""

import json

import pytest

from tests.reliability.openapi import openapi_document, operations

PROBLEM = {"$ref": "#/components/schemas/Problem"}


def test_every_operation_declares_its_problem_responses():
    document = openapi_document()
    assert "Problem" in document["components"]["schemas"]
    for op in operations(document):
        declared = {int(s) for s in op.spec["responses"] if s.isdigit() and int(s) >= 400}
        assert {401, 403} <= declared, op.label
        if op.method != "get":
            assert {400, 404, 409, 422} <= declared, op.label
        for status in declared - {415}:
            content = op.spec["responses"][str(status)]["content"]
            assert content["application/problem+json"]["schema"] == PROBLEM, (op.label, status)


def test_a_get_without_parameters_declares_no_validation_error():
    bare = [op for op in operations() if op.method == "get" and not op.spec.get("parameters")]
    assert bare, "the document has such operations"
    for op in bare:
        assert "422" not in op.spec["responses"], op.label


@pytest.mark.parametrize("method", ["get", "post", "patch"])
def test_an_unknown_api_path_answers_a_problem_404(client, db, method):
    # a POST used to meet the CSRF check of the catch-all view: an HTML 403 (found by fuzzing)
    response = getattr(client, method)("/api/v1/orders/-5/cancel")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/catalog/products?q=a%00b", None, "query"),
        ("/api/v1/catalog/products/a%00b", None, "path"),
        ("/api/v1/catalog/products", {"code": "A", "name": "x\u0000y"}, "body"),
    ],
)
def test_a_nul_character_is_refused_not_a_server_error(api, path, body, field):
    # found by fuzzing on PostgreSQL, whose text cannot hold U+0000: a DataError (500)
    response = (
        api.client.get(path, **api.headers)
        if body is None
        else api.client.post(
            path, data=json.dumps(body), content_type="application/json", **api.headers
        )
    )
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "nul_character"
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_a_report_of_an_unknown_channel_is_a_declared_404(api):
    # found by fuzzing: GET /reports/kpis?channel=0 answered 404, which the document left out
    response = api.get("/reports/kpis", channel="nope")
    kpis = next(op for op in operations() if op.label == "GET /api/v1/reports/kpis")
    assert response.status_code == 404
    assert "404" in kpis.spec["responses"]
