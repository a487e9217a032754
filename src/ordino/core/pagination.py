"""Cursor pagination for API lists: keyset on id, an opaque cursor, a capped page size.

    @router.get("/things", response=Page[ThingOut])
    def things_list(request, page: Query[PageParams]):
        return paginate(thing_list(...), page)

The answer is `{"items": [...], "next_cursor": "..." | null}`; pass `next_cursor` back as
`?cursor=` for the next page. Keyset on id never skips nor repeats a row while others write.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.conf import settings
from django.db.models import QuerySet
from ninja import Field, Schema

from ordino.core.domain.errors import DomainError

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = getattr(settings, "ORDINO_API_PAGE_SIZE_MAX", 200)
_PREFIX = "id:"


class PageParams(Schema):
    cursor: str | None = Field(None, description="`next_cursor` of the previous page.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")


class Page(Schema, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


@dataclass(frozen=True)
class PageResult:
    items: list
    next_cursor: str | None


def cursor_encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{last_id}".encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not raw.startswith(_PREFIX):
            raise ValueError(raw)
        value = int(raw[len(_PREFIX) :])
        if value < 0:
            raise ValueError(raw)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise DomainError(
            "invalid_cursor",
            "The cursor is not one this API handed out; start again without a cursor.",
            field="cursor",
            status=400,
        ) from None
    return value


def paginate(
    queryset: QuerySet,
    page: PageParams | None = None,
    *,
    cursor: str | None = None,
    limit: int | None = None,
) -> PageResult:
    """One page of `queryset` in ascending id order after the cursor, and the next cursor."""
    if page is not None:
        cursor, limit = page.cursor, page.limit
    limit = min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    qs = queryset.order_by("pk")
    if cursor:
        qs = qs.filter(pk__gt=cursor_decode(cursor))
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return PageResult(items=rows, next_cursor=cursor_encode(rows[-1].pk) if more else None)
