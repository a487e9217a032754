"""The transaction a use case runs in, and the one kind of savepoint a use case may take.

`use_case_atomic()` has no savepoint: a use case called from an API request joins the request's
transaction (ApiWriteMiddleware), and a use case that fails fails the whole request, which then
changes nothing; called on its own (CLI, demo, tests) it is a transaction of its own.

`savepoint()` is for the one step a use case catches a database error of and goes on from: an
insert that may hit a unique constraint (`except IntegrityError`, then a read to say why, or a
409 the caller may catch and go on), or one row of a batch that must not undo the others. On
PostgreSQL a failed statement aborts the whole transaction unless a savepoint around it is
rolled back; nowhere else does a use case need one (docs/architecture.md, "Transactions and
concurrency").
"""

from __future__ import annotations

from django.db import transaction


def use_case_atomic() -> transaction.Atomic:
    return transaction.atomic(savepoint=False)


def savepoint() -> transaction.Atomic:
    """A savepoint inside the caller's transaction (a transaction of its own when there is
    none): a database error inside rolls back to it, and the transaction goes on."""
    return transaction.atomic(savepoint=True)
