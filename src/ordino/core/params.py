"""Types of API inputs shared by the modules' adapters.

    def movement_list(request, created_from: IsoDateTime | None = None): ...

`IsoDateTime` takes an RFC 3339 / ISO 8601 date-time with its offset, as the OpenAPI document
says (`format: date-time`), e.g. `2026-01-31T09:30:00Z`. Pydantic alone would also read `0.5` or
`1700000000` as seconds since 1970 and a bare date as midnight, which no client means. Offsets
stay within ±14:59 (real ones reach +14:00; PostgreSQL refuses -20:34 with a server error).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import BeforeValidator

_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-](0\d|1[0-4]):[0-5]\d)$",
    re.ASCII,
)


def _iso_date_time(value: object) -> object:
    if isinstance(value, datetime) or (isinstance(value, str) and _RFC3339.match(value)):
        return value
    raise ValueError("expected an ISO 8601 date-time with its offset, e.g. 2026-01-31T09:30:00Z")


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_date_time)]

# Integer inputs stay inside the database's integer columns (32-bit on PostgreSQL): a larger
# number is refused as invalid (422) instead of failing in the database (a server error).
MAX_INT = 2_147_483_647
MAX_QUANTITY = 1_000_000_000  # units in one stock operation, kit or buffer
