"""The transaction idioms, and nothing else (`grep -rn "transaction.atomic" src` finds only this
file).

`request_atomic()`: the transaction of one API write (accounts/idempotency.py
`ApiWriteMiddleware`); every use case the request calls joins it.

`use_case_atomic()`: the transaction a use case runs in. Without savepoints: a use case called
from an API request joins the request's transaction (ApiWriteMiddleware), and a use case that
fails fails the whole request, which then changes nothing; called on its own (CLI, demo, tests)
it is a transaction of its own.

`savepoint()`: a part that may fail while the rest goes on — a unique insert a concurrent twin
may win (catch IntegrityError after it), or one item of a batch whose refusal must not undo the
others (a console action over many rows, a periodic job over many orders).
"""

from __future__ import annotations

from django.db import transaction


def use_case_atomic() -> transaction.Atomic:
    return transaction.atomic(savepoint=False)


def savepoint() -> transaction.Atomic:
    return transaction.atomic()


def request_atomic() -> transaction.Atomic:
    # A savepoint when the caller already holds a transaction (a test's), so that a refused
    # request rolls back its own work only.
    return transaction.atomic()
