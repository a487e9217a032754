"""API fuzzing: schemathesis against Ordino's own OpenAPI document, in process (WSGI).

Every operation of /api/v1/openapi.json is exercised by the examples, coverage and fuzzing phases
(positive and negative data), then the stateful phase chains operations through the links added
below. The checks: no server error, every status and content type documented, every body
matching its schema, invalid data refused, a created resource readable, and an authenticated
request answering like the document says. Calls carry a full-scope token; the database holds a
small shop (tests/reliability/seed.py) and the generator is steered towards its codes and ids
half of the time, so positive paths (200/201) are reached, not only 404s. A third of the
positive cases carry one boundary value (tests/reliability/boundaries.py: amounts past what is
stored, exponents, years 1 and 9999 with offsets, long strings, booleans and numeric strings for
integers) in a request otherwise valid, so it reaches the database; after every write accepted,
the lists are read back (a stored value the database cannot give back fails there).
"""

from __future__ import annotations

import math
import os

import hypothesis
import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ensure_resource_availability,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
    use_after_free,
)

from ordino.accounts.models import ApiToken
from ordino.accounts.scopes import scopes_parse
from ordino.accounts.services import token_hash
from tests.reliability.boundaries import boundary_mutation, stored_values_read_back
from tests.reliability.fuzz_summary import COUNTER
from tests.reliability.openapi import DOCUMENT_URL, openapi_document, operations
from tests.reliability.seed import Shop

# Operations with a bug the fuzzer found in a module this suite's authors may not change. They
# are left out of the fuzzing and stateful phases meanwhile; `test_known_bug_is_still_there`
# reproduces each one and is expected to fail (strict: once a bug is fixed, that test fails until
# its entry is removed here, which puts the operation back into the fuzzing).
KNOWN_BUGS: dict[str, str] = {}

MIN_REQUESTS = 10_000
FUZZED_OPERATIONS = len(operations()) - len(KNOWN_BUGS)
# The fuzzing phase alone sends MIN_REQUESTS (and some margin) over the operations of the
# document; the examples and coverage phases (about 60 cases per operation) and the stateful
# phase come on top. ORDINO_FUZZ_EXAMPLES overrides it for a quick local run.
EXAMPLES_PER_OPERATION = int(
    os.environ.get("ORDINO_FUZZ_EXAMPLES", math.ceil(1.05 * MIN_REQUESTS / FUZZED_OPERATIONS))
)
STATEFUL_SCENARIOS = 60
# The secret of the full-scope token the calls carry: fixed, since schemathesis may build cases
# before the test runs.
FUZZER_SECRET = "ord_fuzzer-full-scope-token-of-the-reliability-suite"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    use_after_free,
    ensure_resource_availability,
    stored_values_read_back(FUZZER_SECRET),
]
SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure prints its curl as found
    suppress_health_check=list(HealthCheck),
)

# Links between operations for the stateful phase (ninja emits none): what a created or read
# resource lets a client call next, with which path parameters or body fields.
_V1 = "/api/v1"
CUSTOMER_ID = "$response.body#/id"  # a customer made by the fuzz
LINKS: dict[tuple[str, str, str], list[tuple[str, str, dict, dict]]] = {
    ("post", "/catalog/products", "201"): [
        ("get", "/catalog/products/{code}", {"code": "$response.body#/code"}, {}),
        ("patch", "/catalog/products/{code}", {"code": "$response.body#/code"}, {}),
        ("post", "/catalog/skus", {}, {"product": "$response.body#/code"}),
    ],
    ("post", "/catalog/skus", "201"): [
        ("get", "/catalog/skus/{code}", {"code": "$response.body#/code"}, {}),
        ("patch", "/catalog/skus/{code}", {"code": "$response.body#/code"}, {}),
        ("put", "/catalog/skus/{code}/components", {"code": "$response.body#/code"}, {}),
        ("get", "/inventory/availability/{sku}", {"sku": "$response.body#/code"}, {}),
        ("post", "/inventory/receipts", {}, {"sku": "$response.body#/code"}),
    ],
    ("post", "/locations", "201"): [
        ("get", "/locations/{code}", {"code": "$response.body#/code"}, {}),
        ("patch", "/locations/{code}", {"code": "$response.body#/code"}, {}),
        ("post", "/inventory/receipts", {}, {"location": "$response.body#/code"}),
    ],
    ("post", "/channels", "201"): [
        ("get", "/channels/{code}", {"code": "$response.body#/code"}, {}),
        ("patch", "/channels/{code}", {"code": "$response.body#/code"}, {}),
    ],
    ("post", "/customers", "201"): [
        ("get", "/customers/{customer_id}", {"customer_id": "$response.body#/id"}, {}),
        ("patch", "/customers/{customer_id}", {"customer_id": "$response.body#/id"}, {}),
        ("post", "/customers/{customer_id}/addresses", {"customer_id": "$response.body#/id"}, {}),
        *[
            (method, "/customers/{customer_id}/store-credit", {"customer_id": CUSTOMER_ID}, {})
            for method in ("get", "post")
        ],
    ],
    ("post", "/inventory/receipts", "201"): [
        ("post", "/inventory/transfers", {}, {"source": "$response.body#/balances/0/location"}),
        ("get", "/inventory/balances", {"sku": "$response.body#/balances/0/sku"}, {}),
    ],
    ("post", "/inventory/transfers", "201"): [
        (
            "get",
            "/inventory/transfers/{transfer_id}",
            {"transfer_id": "$response.body#/transfer/id"},
            {},
        ),
        (
            "post",
            "/inventory/transfers/{transfer_id}/receive",
            {"transfer_id": "$response.body#/transfer/id"},
            {},
        ),
    ],
    ("post", "/orders", "201"): [
        ("get", "/orders/{order_id}", {"order_id": "$response.body#/id"}, {}),
        ("post", "/orders/{order_id}/cancel", {"order_id": "$response.body#/id"}, {}),
        ("get", "/orders/{order_id}/timeline", {"order_id": "$response.body#/id"}, {}),
        ("get", "/customers/{customer_id}", {"customer_id": "$response.body#/customer_id"}, {}),
    ],
    ("post", "/orders/{order_id}/cancel", "200"): [
        ("get", "/orders/{order_id}", {"order_id": "$response.body#/id"}, {}),
        ("get", "/orders/{order_id}/timeline", {"order_id": "$response.body#/id"}, {}),
    ],
}


def document_with_links() -> dict:
    document = openapi_document()
    by_key = {(op.method, op.path): op for op in operations(document)}
    for (method, path, status), targets in LINKS.items():
        source = by_key[(method, _V1 + path)]
        links = source.spec["responses"][status].setdefault("links", {})
        for target_method, target_path, parameters, body in targets:
            target = by_key[(target_method, _V1 + target_path)]
            link: dict = {"operationId": target.spec["operationId"]}
            if parameters:
                link["parameters"] = parameters
            if body:
                link["requestBody"] = body
            links[f"{target_method}_{target.spec['operationId']}"] = link
    return document


CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20260101,
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": True},
        },
        "generation": {"mode": "all"},
    }
)
full_schema = schemathesis.openapi.from_dict(document_with_links(), config=CONFIG)
full_schema.app = get_wsgi_application()  # the app, not ordino.wsgi: no server key check
full_schema.location = DOCUMENT_URL
schema = full_schema.exclude(name=list(KNOWN_BUGS))

# The shop of the running test (set by the `fuzz_shop` fixture).
CURRENT: dict = {}


def _steer(case, shop: Shop, picks: list[int]) -> None:
    """Replace path parameters and body fields named like the shop's codes and ids with known
    values, one draw per slot (0 keeps the generated value)."""
    slots = iter(picks)

    def choose(name: str, value):
        known = shop.values_for(name)
        pick = next(slots, 0)
        return known[(pick - 1) % len(known)] if pick and known else value

    for name, value in list((case.path_parameters or {}).items()):
        case.path_parameters[name] = choose(name, value)
    body = case.body
    if isinstance(body, dict):
        for name, value in list(body.items()):
            if name == "lines" and isinstance(value, list):
                for line in value:
                    if isinstance(line, dict) and "sku" in line:
                        line["sku"] = choose("sku", line["sku"])
            elif name != "code" and shop.values_for(name):
                body[name] = choose(name, value)


@schema.hook
def flatmap_case(context, case):
    """Positive cases reach the shop's objects half of the time, and a third of them carry one
    boundary value; negative cases stay as made."""
    shop = CURRENT.get("shop")
    meta = case.meta
    if shop is None or meta is None or meta.generation.mode != GenerationMode.POSITIVE:
        return st.just(case)

    def steered(draws: tuple[list[int], int, int, int]):
        picks, mutate, leaf, value = draws
        _steer(case, shop, picks)
        if mutate == 0:
            boundary_mutation(case, leaf, value)
        return case

    return st.tuples(
        st.lists(st.integers(0, 8), min_size=8, max_size=8),
        st.integers(0, 2),
        st.integers(0, 10_000),
        st.integers(0, 10_000),
    ).map(steered)


@schema.hook
def filter_case(context, case):
    """No negative case whose query holds an empty list: the list goes on the wire as no
    parameter at all, a request the API rightly accepts (a list with values is sent as the
    parameter repeated, which the API edge refuses)."""
    meta = case.meta
    if meta is None or meta.generation.mode != GenerationMode.NEGATIVE:
        return True
    return not any(value == [] for value in (case.query or {}).values())


@schema.auth(refresh_interval=None)
class FullScopeToken:
    """A full-scope bearer token on every call, except where a negative case drops it on
    purpose (then the API must answer 401, as documented)."""

    def get(self, case, context):
        return FUZZER_SECRET

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def fuzz_shop(reliability_shop, db, settings):
    CURRENT["shop"] = reliability_shop
    # A configured Stripe webhook (as in production): unsigned fuzz answers 400, not 503.
    settings.ORDINO_STRIPE_WEBHOOK_SECRET = "whsec_fuzzer-of-the-reliability-suite"
    # Carriers' tracking webhooks configured likewise: unsigned fuzz answers 401 (or 400).
    settings.ORDINO_EASYPOST_WEBHOOK_SECRET = "fuzzer-of-the-reliability-suite"
    settings.ORDINO_SHIPPO_WEBHOOK_TOKEN = "fuzzer-of-the-reliability-suite"
    # Django closes a connection after a request outside autocommit; the test runs in a
    # transaction. Its test client unhooks that signal for each request (and hooks it again);
    # the WSGI calls of schemathesis must too, else PostgreSQL loses the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    ApiToken.objects.create(
        name="fuzzer",
        prefix=FUZZER_SECRET[:12],
        secret_hash=token_hash(FUZZER_SECRET),
        scopes=scopes_parse("*"),
    )
    yield reliability_shop
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    CURRENT.clear()


@pytest.fixture
def request_budget(request):
    """Each operation's test that passes sent at least EXAMPLES_PER_OPERATION requests."""
    before, failed_before = COUNTER.requests, request.session.testsfailed
    yield
    sent = COUNTER.requests - before
    if request.session.testsfailed == failed_before:
        assert sent >= EXAMPLES_PER_OPERATION, f"only {sent} requests"


@schema.parametrize()
@SETTINGS
def test_operation(case, fuzz_shop, request_budget):
    response = case.call()
    COUNTER.add(response.status_code)
    case.validate_response(response, checks=CHECKS)


class StatefulMachine(schema.as_state_machine()):
    """Each scenario starts from the seeded shop: its changes roll back to a savepoint, so a
    replayed scenario meets the same database (Hypothesis requires it)."""

    def setup(self):
        self._savepoint = transaction.savepoint()

    def teardown(self):
        transaction.savepoint_rollback(self._savepoint)
        super().teardown()

    def after_call(self, response, case):
        super().after_call(response, case)
        COUNTER.add(response.status_code)

    def validate_response(self, response, case, additional_checks=None, **kwargs):
        case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs or None)


def test_stateful(fuzz_shop):
    StatefulMachine.run(
        settings=hypothesis.settings(
            SETTINGS, max_examples=STATEFUL_SCENARIOS, stateful_step_count=8
        )
    )


# Hypothesis rarely draws integers past 64 bits for an unbounded parameter, so every integer
# query or path parameter of the document is also sent 10^20 once: never a server error.
HUGE = 10**20
_ON_SQLITE = "sqlite" in settings.DATABASES["default"]["ENGINE"]  # PostgreSQL answers empty lists
HUGE_KNOWN_BUGS: dict[tuple[str, str], str] = {}


def _is_integer(schema: dict) -> bool:
    options = schema.get("anyOf", [schema])
    return any(option.get("type") == "integer" for option in options)


INTEGER_PARAMS = [
    pytest.param(
        op,
        param["name"],
        id=f"{op.label} {param['name']}",
        marks=[pytest.mark.xfail(_ON_SQLITE, reason=HUGE_KNOWN_BUGS[key], strict=True)]
        if (key := (op.label, param["name"])) in HUGE_KNOWN_BUGS
        else [],
    )
    for op in operations()
    for param in op.spec.get("parameters", [])
    if param["in"] in ("query", "path") and _is_integer(param.get("schema", {}))
]


@pytest.mark.parametrize(("op", "name"), INTEGER_PARAMS)
def test_an_integer_beyond_64_bits_is_no_server_error(fuzz_shop, client, op, name):
    known = {p: (fuzz_shop.values_for(p) or ["X"])[0] for p in op.path_params}
    path = op.path.format(**{**known, name: HUGE} if name in known else known)
    query = {name: HUGE} if name not in op.path_params else {}
    headers = {"HTTP_AUTHORIZATION": f"Bearer {FUZZER_SECRET}"}
    if op.method == "get":
        response = client.get(path, query, **headers)
    else:
        suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
        response = getattr(client, op.method)(
            path + suffix,
            data="{}",
            content_type="application/json",
            **headers,
        )
    COUNTER.add(response.status_code)
    assert response.status_code < 500, (op.label, name, response.status_code)
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json", op.label


def _reproduce(label: str, shop: Shop):
    """One request showing the known bug of `label`, checked like the fuzzing checks it."""
    method, path = label.split(" ", 1)
    operation = full_schema[path][method]
    web_order = shop.orders["web"]
    kwargs = {
        "GET /api/v1/orders": {},
        "GET /api/v1/orders/{order_id}": {"path_parameters": {"order_id": web_order}},
        "POST /api/v1/orders/{order_id}/cancel": {
            "path_parameters": {"order_id": web_order},
            "body": {},
        },
        "POST /api/v1/orders/{order_id}/edit": {
            "path_parameters": {"order_id": web_order},
            "body": {"shipping_address": {"line1": "Main St 1", "city": "Bonn", "country": "DE"}},
        },
        "POST /api/v1/sourcing/profiles": {
            "body": {"code": "P1", "name": "P1", "effective_from": 0}
        },
    }[label]
    case = operation.Case(media_type="application/json" if "body" in kwargs else None, **kwargs)
    case.headers = {"Authorization": f"Bearer {FUZZER_SECRET}"}
    response = case.call()
    COUNTER.add(response.status_code)
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
    if "effective_from" in str(kwargs):  # a number is no date-time
        assert response.status_code == 422, (label, response.status_code)


# Bugs the fuzzer found and that are fixed: each keeps its reproduction as a regression test.
FIXED_BUGS = (
    "GET /api/v1/orders",
    "GET /api/v1/orders/{order_id}",
    "POST /api/v1/orders/{order_id}/cancel",
    "POST /api/v1/orders/{order_id}/edit",
    "POST /api/v1/sourcing/profiles",
)


@pytest.mark.parametrize(
    "label",
    [
        pytest.param(label, marks=pytest.mark.xfail(reason=why, strict=True))
        for label, why in KNOWN_BUGS.items()
    ]
    + list(FIXED_BUGS),
)
def test_bug_reproduction(fuzz_shop, label):
    """A known bug still fails its reproduction (strict xfail); a fixed one stays fixed."""
    _reproduce(label, fuzz_shop)
