"""Boundary values for the API fuzzing: what schema-driven generation rarely draws and what broke
Ordino 0.1 (issue 7) — amounts past what the database stores, exponents, years 1 and 9999 with
offsets, long strings, booleans and numeric strings where integers belong.

`boundary_mutation` replaces one value of a generated request (a body leaf or a query
parameter) with a boundary value of the same kind, so the rest of the request stays valid and
the value reaches the database; `stored_values_read_back` then reads the lists a stored value
could break (a BC date once made `GET /orders` answer 500 to everyone).
"""

from __future__ import annotations

import re

from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")
DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")

BOUNDARIES: dict[str, list] = {
    # amounts: JSON numbers (read as Decimal) and strings
    "number": [
        1e30,
        1e-30,
        "1e400",
        "1E+999999999",
        "99999999999999.99",
        "999999999999.999",
        "999999999999.99",
        "1000000000000",
        999999999999.99,
        "0.001",
        "0.000001",
        "-0.01",
        "NaN",
        True,
        0,
    ],
    # integers: past 32 and 64 bits, booleans and numeric strings
    "integer": [2**31, 2**63, 10**20, 1_000_000_001, -1, 0, "2", "1", True, False, 2.0],
    # date-times: years 1 and 9999 with offsets that push them past either end in UTC
    "date-time": [
        "0001-01-01T00:00:00+14:00",
        "0001-01-01T00:00:00Z",
        "0001-01-01T00:00:00+00:01",
        "1969-12-31T23:59:59Z",
        "1970-01-01T00:00:00Z",
        "9999-12-31T23:59:59-14:00",
        "9999-12-31T23:59:59Z",
        "2099-01-01T00:00:00Z",
    ],
    # text: past every column, blank, lower-case codes, an unknown code
    "string": ["x" * 100_000, "x" * 256, "x" * 65, "", " ", "de", "eur", "XX", "XYZ"],
}


def kind_of(value) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        if DATE_TIME.match(value):
            return "date-time"
        return "number" if DECIMAL.match(value) else "string"
    return None


def _leaves(value, path=()):
    """(path, value) of every scalar in a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _leaves(item, (*path, i))
    elif kind_of(value) is not None:
        yield path, value


def _set(container, path, value) -> None:
    for key in path[:-1]:
        container = container[key]
    container[path[-1]] = value


def boundary_mutation(case, leaf_pick: int, value_pick: int) -> None:
    """Replace one scalar of the case's body or query by a boundary value of its kind."""
    slots = []
    if isinstance(case.body, dict | list):
        slots += [("body", path, value) for path, value in _leaves(case.body)]
    slots += [("query", (name,), value) for name, value in (case.query or {}).items()]
    slots = [s for s in slots if kind_of(s[2]) is not None]
    if not slots:
        return
    where, path, value = slots[leaf_pick % len(slots)]
    choices = BOUNDARIES[kind_of(value)]
    replacement = choices[value_pick % len(choices)]
    if where == "query":
        replacement = str(replacement).lower() if isinstance(replacement, bool) else replacement
        case.query[path[0]] = replacement
    else:
        _set(case.body, path, replacement)


# Lists that read stored values back: a value the database took but cannot give back fails here.
READ_BACK = (
    "/api/v1/orders",
    "/api/v1/customers",
    "/api/v1/inventory/balances",
    "/api/v1/inventory/movements",
    "/api/v1/inventory/transfers",
    "/api/v1/fulfillment/orders",
    "/api/v1/sourcing/profiles",
)


def stored_values_read_back(secret: str):
    """A check: after a write the API accepted, every list still reads (no 5xx)."""

    def check(ctx, response, case) -> None:
        if case.method.upper() == "GET" or response.status_code >= 300:
            return
        client = Client()
        for path in READ_BACK:
            read = client.get(path, {"limit": 200}, HTTP_AUTHORIZATION=f"Bearer {secret}")
            # the test client hooks these again after its request; the fuzzing runs without them
            # (else PostgreSQL loses the test's connection, see the `fuzz_shop` fixture)
            request_started.disconnect(close_old_connections)
            request_finished.disconnect(close_old_connections)
            assert read.status_code < 500, (
                f"after {case.method} {case.formatted_path} answered {response.status_code}, "
                f"GET {path} answered {read.status_code}"
            )

    check.__name__ = "stored_values_read_back"
    return check
