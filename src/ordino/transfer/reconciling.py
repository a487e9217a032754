"""Reconcile a legacy system's order export with Ordino (docs/transfer.md, "Reconciliation"):
read and map the file like an import (kind `legacy_orders`), compare, report; writes nothing."""

from __future__ import annotations

import csv
import io
from typing import IO

from ordino.core.domain.errors import DomainError
from ordino.core.domain.money import quantum
from ordino.transfer.domain.mapping import Plan, Problem, plan_make
from ordino.transfer.domain.reconcile import OrderFacts, Report, reconcile
from ordino.transfer.domain.rows import Row, row_blank, row_read
from ordino.transfer.importing import mapping_resolve
from ordino.transfer.reading import FileRefused, sheet_read
from ordino.transfer.selectors import orders_facts

KIND = "legacy_orders"
MAX_LISTED = 1000  # differences in the API's answer; the CSV has them all


class FileNotReadable(DomainError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            problems[0].code,
            f"The file cannot be reconciled: {len(problems)} problem(s), the first at row "
            f"{problems[0].row}, column {problems[0].column}: {problems[0].message}",
            errors=[
                {"field": f"row {p.row}: {p.column}", "code": p.code, "message": p.message}
                for p in problems[:100]
            ],
        )


def legacy_reconcile(
    *, handle: IO[bytes], file_name: str, mapping_name: str = "", columns=None, constants=None
) -> Report:
    columns, constants = mapping_resolve(
        kind=KIND, name=mapping_name, columns=columns, constants=constants
    )
    try:
        sheet = sheet_read(handle, file_name)
    except FileRefused as exc:
        raise FileNotReadable([exc.problem]) from None
    plan = plan_make(KIND, sheet.header, columns, constants)
    if not isinstance(plan, Plan):
        raise FileNotReadable(plan)
    legacy, problems = _legacy_read(plan, sheet.rows)
    if problems:
        raise FileNotReadable(problems)
    dates = [o.placed_at for o in legacy if o.placed_at is not None]
    ordino = orders_facts(
        channels={o.channel for o in legacy},
        since=min(dates) if dates and len(dates) == len(legacy) else None,
        until=max(dates) if dates and len(dates) == len(legacy) else None,
    )
    return reconcile(legacy, ordino, plan.statuses)


def _legacy_read(plan: Plan, raw) -> tuple[list[OrderFacts], list[Problem]]:
    orders: list[OrderFacts] = []
    problems: list[Problem] = []
    for number, cells in raw:
        if row_blank(cells):
            continue
        read = row_read(plan, number, cells)
        if not isinstance(read, Row):
            problems.extend(read)
            continue
        v = read.values
        currency = str(v["currency"]).upper()
        try:
            total = v["total"].quantize(quantum(currency))
        except DomainError as exc:
            problems.append(Problem(number, plan.column_of("currency"), exc.code, exc.message))
            continue
        orders.append(OrderFacts(
            channel=str(v["channel"]), external_id=str(v["external_id"]), total=total,
            currency=currency, placed_at=v["placed_at"], status=v["status"],
            line_count=v["line_count"], row=number,
        ))  # fmt: skip
    return orders, problems


def report_as_dict(report: Report, *, limit: int = MAX_LISTED) -> dict:
    return {
        "legacy_orders": report.legacy_orders,
        "ordino_orders": report.ordino_orders,
        "matched": report.matched,
        "differences_by_kind": report.counts,
        "totals": [
            {"currency": c, **{k: str(v) for k, v in sides.items()}}
            for c, sides in report.totals.items()
        ],
        "differences": [d.as_dict() for d in report.differences[:limit]],
        "differences_total": len(report.differences),
    }


def report_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kind", "channel", "external_id", "legacy", "ordino", "legacy_row"])
    for d in report.differences:
        writer.writerow([d.kind, d.channel, d.external_id, d.legacy, d.ordino, d.row or ""])
    return out.getvalue()


def report_text(report: Report) -> str:
    lines = [
        f"Legacy orders: {report.legacy_orders}   Ordino orders: {report.ordino_orders}   "
        f"matched: {report.matched}",
    ]
    for currency, sides in report.totals.items():
        lines.append(
            f"{currency}: legacy {sides['legacy']}  Ordino {sides['ordino']}  "
            f"difference {sides['difference']}"
        )
    if not report.differences:
        lines.append("No differences.")
    for kind, count in report.counts.items():
        lines.append(f"{kind}: {count}")
    for d in report.differences[:50]:
        lines.append(
            f"  {d.kind:<20} {d.channel}/{d.external_id}  legacy={d.legacy}  ordino={d.ordino}"
        )
    if len(report.differences) > 50:
        lines.append(f"  ... {len(report.differences) - 50} more (see the CSV)")
    return "\n".join(lines) + "\n"
