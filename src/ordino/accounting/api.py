"""HTTP adapter of the journal: `GET /accounting/journal` as JSON or CSV (docs/accounting.md).

Finance data covers the whole network: scope `reports:read` and a token limited to no channel
and no location (a limited one is refused, 403 token_restricted)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field as NinjaField
from ninja import Query, Router, Schema
from pydantic import ConfigDict

from ordino.accounting import export
from ordino.accounting.domain.period import period
from ordino.accounting.schemas import JournalOut
from ordino.accounting.selectors import journal_get
from ordino.core.domain.errors import DomainError
from ordino.core.principal import principal_of

router = Router(tags=["accounting"])
DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


class JournalParams(Schema):
    """A period of UTC days (as reports/api.py's PeriodParams, required here) and a format."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    # Strings, not `date`: pydantic would read `?to=0` as a Unix time.
    date_from: str | None = NinjaField(
        None, alias="from", pattern=DAY, json_schema_extra={"format": "date"},
        description="First UTC day, YYYY-MM-DD (default: 29 days before `to`).",
    )  # fmt: skip
    date_to: str | None = NinjaField(
        None, alias="to", pattern=DAY, json_schema_extra={"format": "date"},
        description="Last UTC day, inclusive, YYYY-MM-DD (default: today; 366 days at most).",
    )  # fmt: skip
    format: Literal["json", "csv"] = "json"


@router.get(
    "/journal",
    response={200: JournalOut},
    summary="The accounting journal of a period",
    openapi_extra={
        "responses": {
            200: {
                "description": "JSON, or with format=csv one row per entry",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def journal(request: HttpRequest, params: Query[JournalParams]):
    """Double entries (sales, tax payable, shipping income, sales returns, receivables, payment
    clearing per provider, goodwill) of the UTC days `from`..`to`, per-account totals and the
    trial balance per currency (debits = credits)."""
    principal = principal_of(request)
    principal.require("reports:read")
    principal.scope.require_whole_network("the accounting journal")
    if principal.scope.channel_ids is not None:
        raise DomainError(
            "token_restricted",
            "This token is limited to some channels; the journal covers every channel.",
            status=403,
        )
    date_from, date_to = period(params.date_from, params.date_to)
    result = journal_get(date_from=date_from, date_to=date_to)
    if params.format == "csv":
        response = HttpResponse(export.csv_text(result), content_type="text/csv; charset=utf-8")
        name = f"journal-{date_from.isoformat()}-{date_to.isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return export.as_json(result)
