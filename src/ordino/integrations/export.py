"""The integration log's export (docs/integrations.md, "Export"): CSV or JSON lines, written as
the rows are read, one chunk at a time, so six months of calls never sit in memory at once."""

from __future__ import annotations

import csv
import json
from typing import IO, Any

from ordino.integrations.models import IntegrationCall
from ordino.integrations.selectors import EXPORT_CHUNK, CallFilters, integration_calls_chunks

COLUMNS = (
    "id", "at", "direction", "system", "connection", "operation", "method", "endpoint",
    "status_code", "ok", "latency_ms", "error", "error_signature", "object_type", "object_id",
    "correlation_id", "request_headers", "request_body", "response_body",
)  # fmt: skip
FORMATS = ("csv", "jsonl")


def call_row(call: IntegrationCall) -> dict[str, Any]:
    row = {column: getattr(call, column) for column in COLUMNS}
    row["at"] = call.at.isoformat().replace("+00:00", "Z")
    return row


def integration_calls_export(
    out: IO[str], *, filters: CallFilters, fmt: str, chunk: int = EXPORT_CHUNK
) -> int:
    """Write the calls matching `filters` to `out` in id order; how many were written."""
    if fmt not in FORMATS:
        raise ValueError(f"format is one of {', '.join(FORMATS)}, not {fmt!r}")
    writer = csv.DictWriter(out, fieldnames=COLUMNS) if fmt == "csv" else None
    if writer is not None:
        writer.writeheader()
    written = 0
    for rows in integration_calls_chunks(filters, chunk=chunk):
        for call in rows:
            row = call_row(call)
            if writer is not None:
                headers = row["request_headers"]
                row["request_headers"] = "" if headers is None else json.dumps(headers)
                writer.writerow(row)
            else:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        written += len(rows)
    return written
