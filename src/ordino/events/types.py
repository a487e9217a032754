"""Events as classes: a frozen dataclass per fact, named in the past tense, defined in the
module that owns the fact (`inventory/events.py`, `orders/events.py`).

Each class carries its stable wire `name` (the outbox `name` column, and what outbound
webhooks will publish) and the `aggregate_type` it is about. Declaring a class registers it;
the relay maps a stored name back to its class. The catalog is `docs/events.md`.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, Self

REGISTRY: dict[str, type[Event]] = {}


@dataclasses.dataclass(frozen=True)
class Event:
    name: ClassVar[str] = ""
    aggregate_type: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.__dict__.get("name"):
            return  # a base class shared by several events, never emitted itself
        known = REGISTRY.get(cls.name)
        if known is not None and known.__qualname__ != cls.__qualname__:
            raise ValueError(f"event name {cls.name!r} is taken by {known.__qualname__}")
        REGISTRY[cls.name] = cls

    def payload(self) -> dict[str, Any]:
        """The JSON stored in the outbox (and published): the fields, by name."""
        return dataclasses.asdict(self)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Self:
        """The event back from its stored payload (the inverse of `payload`)."""
        return cls(**payload)
