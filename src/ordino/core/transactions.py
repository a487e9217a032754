"""The transaction a use case runs in.

Without savepoints: a use case called from an API request joins the request's transaction
(ApiWriteMiddleware), and a use case that fails fails the whole request, which then changes
nothing; called on its own (CLI, demo, tests) it is a transaction of its own.
"""

from __future__ import annotations

from django.db import transaction


def use_case_atomic() -> transaction.Atomic:
    return transaction.atomic(savepoint=False)
