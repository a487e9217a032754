"""Rows into typed values, and an orders file's rows into orders (docs/transfer.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ordino.transfer.domain.cells import CellError, cell_parse
from ordino.transfer.domain.fields import KIND_FIELDS, ORDER_HEADER
from ordino.transfer.domain.mapping import Plan, Problem


@dataclass
class Row:
    number: int  # as a spreadsheet shows it: the header is row 1
    values: dict[str, object]


def row_read(plan: Plan, number: int, cells: Sequence[object]) -> Row | list[Problem]:
    """Every field of the row, typed; all its bad cells at once."""
    values: dict[str, object] = {}
    problems: list[Problem] = []
    for f in KIND_FIELDS[plan.kind]:
        position = plan.positions.get(f.name)
        raw = cells[position] if position is not None and position < len(cells) else None
        if (raw is None or str(raw).strip() == "") and f.name in plan.constants:
            raw = plan.constants[f.name]
        try:
            values[f.name] = cell_parse(f, raw, zone=plan.zone)
        except CellError as exc:
            problems.append(Problem(number, plan.column_of(f.name), exc.code, exc.message))
    return problems or Row(number, values)


def row_blank(cells: Sequence[object]) -> bool:
    return all(c is None or str(c).strip() == "" for c in cells)


@dataclass
class OrderRows:
    """The rows of one order (one row per line), in file order."""

    key: tuple[str, str]  # channel, external id
    rows: list[Row] = field(default_factory=list)

    @property
    def head(self) -> Row:
        return self.rows[0]


def orders_group(rows: list[Row], plan: Plan) -> tuple[list[OrderRows], list[Problem]]:
    """Rows → orders by (channel, external id), wherever in the file their rows are. A row whose
    order fields (customer, address, totals) differ from its order's first row is refused: an
    order is one thing, and the file must say it once."""
    orders: dict[tuple[str, str], OrderRows] = {}
    problems: list[Problem] = []
    for row in rows:
        key = (str(row.values["channel"]), str(row.values["external_id"]))
        group = orders.setdefault(key, OrderRows(key))
        if group.rows:
            for name in ORDER_HEADER:
                if row.values.get(name) != group.head.values.get(name):
                    problems.append(
                        Problem(
                            row.number,
                            plan.column_of(name),
                            "order_differs",
                            f"{name} differs from row {group.head.number} of order {key[1]}.",
                        )
                    )
        group.rows.append(row)
    return list(orders.values()), problems
