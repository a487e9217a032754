"""The export format (docs/transfer.md, "The export format"): one JSON-lines and one CSV file
per entity, and `manifest.json` with each file's rows and SHA-256.

Values are written so that the same data gives the same bytes on any database: Decimals as
their text with the column's decimals, times in ISO 8601 UTC, JSON values with sorted keys.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

FORMAT = "ordino-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"


def value_encode(value: object) -> object:
    """A column's value as JSON can hold it, the same way every time."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict | list):  # a JSON column: its keys sorted, at every depth
        return json.loads(json_canonical(value))
    return value


def jsonl_line(names: list[str], values: tuple) -> str:
    row = {name: value_encode(v) for name, v in zip(names, values, strict=True)}
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"


def csv_cell(value: object) -> str:
    """A CSV cell: blank for None, JSON text for JSON values, the JSON line's text otherwise."""
    encoded = value_encode(value)
    if encoded is None:
        return ""
    if isinstance(encoded, dict | list):
        return json_canonical(encoded)
    if isinstance(encoded, bool):
        return "true" if encoded else "false"
    return str(encoded)


def json_canonical(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def manifest_problems(manifest: object) -> list[str]:
    """What makes a manifest unreadable to this Ordino (before any file is opened)."""
    if not isinstance(manifest, dict):
        return ["manifest.json is not a JSON object."]
    if manifest.get("format") != FORMAT:
        return [f"manifest.json: format is {manifest.get('format')!r}, not {FORMAT!r}."]
    if manifest.get("format_version") != FORMAT_VERSION:
        return [
            f"manifest.json: format version {manifest.get('format_version')!r}; this Ordino "
            f"reads version {FORMAT_VERSION}."
        ]
    files = manifest.get("files")
    if not isinstance(files, list) or not all(
        isinstance(f, dict) and {"entity", "file", "rows", "sha256"} <= set(f) for f in files
    ):
        return ["manifest.json: `files` must list entity, file, rows and sha256 for each file."]
    bad = [f["file"] for f in files if not _safe_name(str(f["file"]))]
    return [f"manifest.json names a file outside the export: {name!r}." for name in bad]


def _safe_name(name: str) -> bool:
    return bool(name) and "/" not in name and "\\" not in name and not name.startswith(".")
