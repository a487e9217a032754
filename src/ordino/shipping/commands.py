"""Plain commands of shipping's use cases (docs/architecture.md, "The layers of a module")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ServiceSettings:
    """A carrier's service: created when new, changed otherwise (by carrier and code)."""

    carrier: str
    code: str
    name: str
    currency: str
    max_weight: Decimal
    unit: str = "kg"
    divisor: Decimal = Decimal(5000)
    min_volume: Decimal = Decimal(0)
    increment: Decimal = Decimal("0.5")
    transit_days: int = 2
    max_longest: Decimal = Decimal(0)
    max_length_plus_girth: Decimal = Decimal(0)
    carrier_name: str = ""
    reason: str = ""


@dataclass(frozen=True)
class BoxTypeSettings:
    """A box type: created when new, changed otherwise (by location and code; no location:
    every location's)."""

    code: str
    name: str
    inner: tuple[int, int, int]  # mm
    outer: tuple[int, int, int]  # mm
    tare_g: int
    max_weight_g: int
    location: str | None = None
    is_active: bool = True
    reason: str = ""


@dataclass(frozen=True)
class NoticeTemplateSettings:
    """The merchant's e-mail for one kind of shipping news (domain/notices.py: KINDS)."""

    kind: str
    subject: str
    body: str
    is_active: bool = True
    reason: str = ""
    html: str = ""  # blank: the e-mail is plain text only
    channel: str = ""  # a channel's code; blank: every channel without its own
    from_email: str = ""  # blank: the default sender (DEFAULT_FROM_EMAIL)
