"""A fake of the connector core's HTTP transport (connectors/platforms/base.py: HttpTransport):
it serves prepared bodies in order and records every call, so a pull's pages, cursor and
rate-limit operation names can be checked without the network."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fixture(platform: str, name: str) -> Any:
    return json.loads((FIXTURES / platform / name).read_text())


@dataclass(frozen=True)
class Call:
    path: str
    params: dict[str, Any]
    operation: str


class FakeTransport:
    def __init__(self, bodies: Sequence[Any]) -> None:
        self.bodies = list(bodies)
        self.calls: list[Call] = []

    def get(self, path: str, *, params: Mapping[str, Any] | None = None, operation: str = ""):
        self.calls.append(Call(path, dict(params or {}), operation))
        assert self.bodies, f"unexpected call {path} {params}"
        return copy.deepcopy(self.bodies.pop(0))
