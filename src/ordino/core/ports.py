"""Ports: what a module needs from a module above it, without importing it.

Modules depend in one direction (docs/architecture.md, "The direction of dependency"). When a
lower module must ask something of a higher one inside the same transaction — fulfillment
telling orders that items shipped, customers asking orders which orders a token reaches — it
declares a `Port` naming what it needs, and `wiring.py` (the composition root, loaded at start-up
by `ordino.apps.WiringConfig`) plugs the higher module's function into it. A port used before it
is plugged is a programming error, never a silent no-op.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class PortNotWired(RuntimeError):
    pass


class Port(Generic[F]):
    def __init__(self, name: str, what: str) -> None:
        self.name = name
        self.what = what
        self._impl: F | None = None

    def plug(self, impl: F) -> None:
        self._impl = impl

    @property
    def plugged(self) -> bool:
        return self._impl is not None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._impl is None:
            raise PortNotWired(f"port {self.name} ({self.what}) is not plugged: see wiring.py")
        return self._impl(*args, **kwargs)

    def __repr__(self) -> str:
        return f"Port({self.name!r})"
