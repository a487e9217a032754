"""Reconciliation: a legacy system's orders against Ordino's (docs/transfer.md,
"Reconciliation"): counts, totals per currency, and every order that differs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from ordino.core.domain.errors import DomainError
from ordino.core.domain.money import quantum

MISSING_IN_ORDINO = "missing_in_ordino"
MISSING_IN_LEGACY = "missing_in_legacy"
TOTAL_DIFFERS = "total_differs"
CURRENCY_DIFFERS = "currency_differs"
STATUS_DIFFERS = "status_differs"
LINES_DIFFER = "line_count_differs"
DUPLICATE_IN_LEGACY = "duplicate_in_legacy"


@dataclass(frozen=True)
class OrderFacts:
    """What both sides say about one order."""

    channel: str
    external_id: str
    total: Decimal
    currency: str
    placed_at: datetime | None = None
    status: str | None = None
    line_count: int | None = None
    row: int | None = None  # the legacy file's row

    @property
    def key(self) -> tuple[str, str]:
        return self.channel, self.external_id


@dataclass(frozen=True)
class Difference:
    kind: str
    channel: str
    external_id: str
    legacy: str = ""
    ordino: str = ""
    row: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "channel": self.channel, "external_id": self.external_id,
                "legacy": self.legacy, "ordino": self.ordino, "row": self.row}  # fmt: skip


@dataclass
class Report:
    legacy_orders: int = 0
    ordino_orders: int = 0
    matched: int = 0
    totals: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # currency → sides
    differences: list[Difference] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        tally: dict[str, int] = defaultdict(int)
        for d in self.differences:
            tally[d.kind] += 1
        return dict(sorted(tally.items()))


def reconcile(
    legacy: list[OrderFacts], ordino: list[OrderFacts], statuses: dict[str, str]
) -> Report:
    """Compare both lists; `statuses` reads the legacy statuses in Ordino's words (a status
    not in it is compared as it is, case-insensitively)."""
    report = Report(ordino_orders=len(ordino))
    theirs: dict[tuple[str, str], OrderFacts] = {}
    for order in legacy:
        if order.key in theirs:
            report.differences.append(
                Difference(DUPLICATE_IN_LEGACY, *order.key, legacy=str(order.total), row=order.row)
            )
            continue
        theirs[order.key] = order
    report.legacy_orders = len(theirs)
    ours = {o.key: o for o in ordino}
    sums: dict[str, dict[str, Decimal]] = defaultdict(
        lambda: {"legacy": Decimal(0), "ordino": Decimal(0)}
    )
    for order in theirs.values():
        sums[order.currency]["legacy"] += order.total
    for order in ours.values():
        sums[order.currency]["ordino"] += order.total
    for key in sorted(set(theirs) | set(ours)):
        report.differences.extend(_compare(theirs.get(key), ours.get(key), statuses))
        if key in theirs and key in ours:
            report.matched += 1
    report.totals = {c: _sides(c, s) for c, s in sorted(sums.items())}
    return report


def _sides(currency: str, sums: dict[str, Decimal]) -> dict[str, Decimal]:
    """Both sums and their difference, with the currency's decimals (0 EUR reads 0.00)."""
    try:
        unit = quantum(currency)
    except DomainError:  # a currency Ordino does not know: as the file wrote it
        unit = None
    sides = {**sums, "difference": sums["ordino"] - sums["legacy"]}
    return {k: v.quantize(unit) if unit is not None else v for k, v in sides.items()}


def _compare(
    legacy: OrderFacts | None, ordino: OrderFacts | None, statuses: dict[str, str]
) -> list[Difference]:
    if ordino is None:
        assert legacy is not None
        return [
            Difference(MISSING_IN_ORDINO, *legacy.key, legacy=str(legacy.total), row=legacy.row)
        ]
    if legacy is None:
        return [Difference(MISSING_IN_LEGACY, *ordino.key, ordino=str(ordino.total))]
    out: list[Difference] = []

    def differs(kind: str, theirs: object, ours: object) -> None:
        out.append(Difference(kind, *legacy.key, str(theirs), str(ours), legacy.row))

    if legacy.currency != ordino.currency:
        differs(CURRENCY_DIFFERS, legacy.currency, ordino.currency)
    elif legacy.total != ordino.total:
        differs(TOTAL_DIFFERS, legacy.total, ordino.total)
    if legacy.status:
        said = legacy.status.strip().lower()
        if statuses.get(said, said) != (ordino.status or "").lower():
            differs(STATUS_DIFFERS, legacy.status, ordino.status)
    if legacy.line_count is not None and legacy.line_count != ordino.line_count:
        differs(LINES_DIFFER, legacy.line_count, ordino.line_count)
    return out
