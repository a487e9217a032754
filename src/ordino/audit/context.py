"""Who is acting, for the audit (docs/people.md): set once per request or command, so use cases
record their actor without every signature carrying it. The console sets `user:<username>`,
the API `token:<name>` once the token is known, a command `cli:<name>`; anything else (the
worker, migrations) is `system`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

SYSTEM = "system"
_actor: ContextVar[str] = ContextVar("ordino_audit_actor", default=SYSTEM)


def actor_current() -> str:
    return _actor.get()


def actor_set(actor: str) -> Token:
    return _actor.set(actor[:128])


def actor_reset(token: Token) -> None:
    _actor.reset(token)


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    token = actor_set(actor)
    try:
        yield
    finally:
        actor_reset(token)
