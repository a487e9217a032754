"""A failure's signature: what two failures share when they are the same problem, so the log can
group them into themes (docs/integrations.md, "Failure themes"). Numbers, ids and quoted values
vary between occurrences of one problem; they are replaced by placeholders."""

from __future__ import annotations

import re

_QUOTED = re.compile(r"(['\"])(?:(?!\1).){0,200}\1")
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I)
_HEX = re.compile(r"\b[0-9a-f]{16,}\b", re.I)
_NUMBER = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


def error_shape(error: str, *, value: str = "<v>", number: str = "<n>") -> str:
    """An error with what varies between occurrences replaced: quoted values, ids, numbers.
    `unknown SKU 'ABC-1'` → `unknown SKU <v>` (the signature lowercases it; a theme's heading
    keeps the case and shows `'…'`)."""
    shape = _QUOTED.sub(value, error)
    shape = _UUID.sub("<id>", shape)
    shape = _HEX.sub("<id>", shape)
    shape = _NUMBER.sub(number, shape)
    return _SPACES.sub(" ", shape).strip()


def error_signature(*, system: str, operation: str, status_code: int | None, error: str) -> str:
    """`shopify orders/create 422 unknown sku <v>`: one theme per system, operation, status and
    error shape."""
    if not error and (status_code is None or status_code < 400):
        return ""
    status = str(status_code) if status_code is not None else "-"
    return f"{system} {operation or '-'} {status} {error_shape(error).lower()}"[:200]
