"""The transfer API's answers (its inputs are multipart forms, checked in api.py)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class RowErrorOut(Schema):
    row: int = Field(..., description="The file's row, as a spreadsheet numbers it (header: 1).")
    column: str
    code: str
    message: str


class ImportJobOut(Schema):
    id: int
    kind: str
    file_name: str
    file_size: int
    file_sha256: str
    mapping_name: str
    mapping: dict
    dry_run: bool
    status: str = Field(
        ...,
        description="`pending` (a background import waiting for a worker), `running`; then "
        "`done` (imported), `checked` (a dry run with no error), `refused` (bad rows: nothing "
        "imported) or `failed` (nothing imported).",
    )
    rows_total: int
    rows_done: int
    rows_failed: int
    created: int = Field(..., description="New orders, SKUs, customers, stock levels changed.")
    existing: int = Field(..., description="Already there: nothing new (an order replayed).")
    errors: list[RowErrorOut] = Field(..., description="Every bad row, up to 1,000.")
    errors_more: int
    created_by: str
    created_at: datetime
    finished_at: datetime | None
    background: bool = Field(..., description="Run by `ordino worker` (background=true).")
    attempts: int = Field(..., description="Runs started: a worker that died is replaced.")
    note: str = Field(..., description="Why it was run again, or failed without a bad row.")
    started_at: datetime | None
    progress_at: datetime | None = Field(
        None, description="While running: when its worker last reported rows_done."
    )
    stalled: bool = Field(
        False,
        description="Nobody works on it: `running` but its worker has not been heard of for "
        "10 minutes (the worker's sweep runs it again, nothing of it kept, or fails it after 3 "
        "runs), or `pending` for 10 minutes (is `ordino worker` running?).",
    )


class TotalOut(Schema):
    currency: str
    legacy: str
    ordino: str
    difference: str


class DifferenceOut(Schema):
    kind: str = Field(
        ...,
        description="missing_in_ordino, missing_in_legacy, total_differs, currency_differs, "
        "status_differs, line_count_differs, duplicate_in_legacy",
    )
    channel: str
    external_id: str
    legacy: str
    ordino: str
    row: int | None


class ReconcileOut(Schema):
    legacy_orders: int
    ordino_orders: int
    matched: int
    differences_by_kind: dict[str, int]
    totals: list[TotalOut]
    differences: list[DifferenceOut] = Field(..., description="The first 1,000 differences.")
    differences_total: int
