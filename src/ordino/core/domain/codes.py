"""Codes and tags: the human keys of catalog, locations and channels. Pure Python."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ordino.core.domain.errors import DomainError

# A code travels in URLs (/catalog/skus/{code}) and in CSV files: no spaces, no slashes.
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}$")


def code_check(code: str, *, field: str = "code") -> str:
    """The code stripped of surrounding blanks; refused unless it is 1-64 URL-safe characters."""
    value = (code or "").strip()
    if not _CODE.match(value):
        raise DomainError(
            "invalid_code",
            f"{field} {code!r} must be 1 to 64 characters: letters, digits, '.', '_', ':' or '-', "
            "starting with a letter or digit.",
            field=field,
        )
    return value


def name_check(name: str, *, field: str = "name") -> str:
    value = (name or "").strip()
    if not value:
        raise DomainError("required", f"{field} must not be blank.", field=field)
    return value


def tags_normalise(tags: Iterable[str], *, field: str = "tags") -> list[str]:
    """Tags stripped and lower-cased, blanks dropped, duplicates removed, first order kept."""
    seen: dict[str, None] = {}
    for tag in tags:
        value = tag.strip().lower()
        if not value:
            continue
        if len(value) > 64:
            raise DomainError(
                "invalid_tag", f"Tag {tag!r} is longer than 64 characters.", field=field
            )
        seen.setdefault(value, None)
    return list(seen)
