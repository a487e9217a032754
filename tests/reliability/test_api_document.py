"""The API root: the document declares the problem+json errors; unknown paths answer one."""

import json
import re
import typing

import pytest
from pydantic import BaseModel

from ordino.api import api
from tests.reliability.openapi import openapi_document, operations, resolve

PROBLEM = {"$ref": "#/components/schemas/Problem"}


def test_every_operation_declares_its_problem_responses():
    document = openapi_document()
    assert "Problem" in document["components"]["schemas"]
    for op in operations(document):
        declared = {int(s) for s in op.spec["responses"] if s.isdigit() and int(s) >= 400}
        if op.spec.get("security") == [] and "x-signed" in op.spec:
            # a provider's webhook: signed, no token (400 a bad signature, 503 no secret); a
            # channel connection's names its connection in the path (401, 404, 422 for it); a
            # carrier's tracking webhook refuses a bad signature or token 401 (and says so)
            expected = {400, 401, 404, 422, 503} if "{" in op.path else {400, 503}
            expected |= set(op.spec.get("x-refused-statuses", []))
            assert declared == expected, op.label
        else:
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


# --- the documented request schemas are the ones enforced (issue 7, item 7) ---------------------


def _pydantic_classes(annotation) -> list[type[BaseModel]]:
    """The pydantic model classes an annotation names, however wrapped (Optional, list, ...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [cls for arg in typing.get_args(annotation) for cls in _pydantic_classes(arg)]


def _reachable(roots: list[type[BaseModel]]) -> set[type[BaseModel]]:
    seen: set[type[BaseModel]] = set()
    todo = list(roots)
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        for field in cls.model_fields.values():
            todo.extend(_pydantic_classes(field.annotation))
    return seen


def _operations_of_the_api():
    """(method, documented path, body classes, response classes) of every operation."""
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            documented = re.sub(r"{\w+:", "{", f"/api/v1{prefix}{path}".rstrip("/"))
            for operation in path_view.operations:
                bodies = [
                    cls
                    for model in operation.models
                    if getattr(model, "__ninja_param_source__", None) == "body"
                    for field in model.model_fields.values()
                    for cls in _pydantic_classes(field.annotation)
                ]
                responses = [
                    cls
                    for model in (operation.response_models or {}).values()
                    for field in getattr(model, "model_fields", {}).values()
                    for cls in _pydantic_classes(field.annotation)
                ]
                for method in operation.methods:
                    yield method.lower(), documented, bodies, responses


def test_no_two_schemas_share_a_component_name():
    # given every class the API reads or answers, nested ones included
    classes = set()
    for _, _, bodies, responses in _operations_of_the_api():
        classes |= _reachable(bodies + responses)
    # then each component name belongs to one class (orders' CustomerIn once hid customers')
    by_name: dict[str, set[str]] = {}
    for cls in classes:
        by_name.setdefault(cls.__name__, set()).add(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: where for name, where in by_name.items() if len(where) > 1} == {}


def test_every_documented_request_body_is_the_schema_enforced():
    document = openapi_document()
    components = document["components"]["schemas"]
    checked = 0
    for method, path, bodies, _ in _operations_of_the_api():
        if not bodies:
            continue
        content = document["paths"][path][method]["requestBody"]["content"]["application/json"]
        schema = content["schema"]  # an optional body is anyOf [its schema, null]
        ref = next(o["$ref"] for o in schema.get("anyOf", [schema]) if "$ref" in o)
        documented = resolve(document, ref)
        assert documented is components[bodies[0].__name__], (method, path)
        for cls in _reachable(bodies):
            schema = components[cls.__name__]
            fields = {f.alias or name: f for name, f in cls.model_fields.items()}
            # then the document lists exactly the fields the model takes, and requires the
            # ones it requires
            assert set(schema.get("properties", {})) == set(fields), (path, cls.__name__)
            required = {name for name, f in fields.items() if f.is_required()}
            assert set(schema.get("required", [])) == required, (path, cls.__name__)
            if cls.model_config.get("extra") == "forbid":
                assert schema.get("additionalProperties") is False, (path, cls.__name__)
            checked += 1
    assert checked > 40
