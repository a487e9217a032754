"""Recorded carrier answers (tests/shipping/carriers/recorded/*.json), replayed with `responses`:
EasyPost's shapes as its own VCR cassettes show them (EasyPost/easypost-python
tests/cassettes), Shippo's as its API reference documents them; ids and values are ours."""

from __future__ import annotations

import json
from pathlib import Path

import responses

HERE = Path(__file__).parent / "recorded"
EASYPOST = "https://api.easypost.com/v2"
SHIPPO = "https://api.goshippo.com"


def recorded(name: str, **changes) -> dict:
    data = json.loads((HERE / f"{name}.json").read_text())
    data.update(changes)
    return data


def answer(
    rsps: responses.RequestsMock,
    method: str,
    url: str,
    name: str | None = None,
    *,
    status: int = 200,
    body: Exception | None = None,
    **changes,
) -> None:
    if body is not None:
        rsps.add(method, url, body=body)
    else:
        rsps.add(method, url, json=recorded(name, **changes) if name else {}, status=status)
