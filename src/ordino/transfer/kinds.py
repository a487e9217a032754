"""Each import kind's rows through the owning module's use cases (docs/transfer.md, "Kinds").

A row (an order: its rows) is one step in a savepoint of its own: a refused step is undone
alone and listed, and the steps after it still run, so one pass finds every bad row. Whether
anything stays is decided by the caller (importing.py): all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ordino.catalog.selectors import product_list, sku_list
from ordino.catalog.services import product_create, product_update, sku_create, sku_update
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint
from ordino.customers.selectors import customer_list
from ordino.customers.services import customer_address_add, customer_create
from ordino.inventory.services import stock_count, stock_safety_set
from ordino.orders.services import order_capture
from ordino.transfer.domain.mapping import Plan, Problem
from ordino.transfer.domain.orders import OrderRows, capture_command, error_row_column
from ordino.transfer.domain.rows import Row, orders_group


@dataclass
class Tally:
    created: int = 0
    existing: int = 0
    done: int = 0
    problems: list[Problem] = field(default_factory=list)


Progress = Callable[[int], None]


def _refused(exc: DomainError, row: Row, column_of: Callable[[str], str]) -> list[Problem]:
    errors = exc.errors or [{"field": "", "code": exc.code, "message": exc.message}]
    return [
        Problem(row.number, column_of(e.get("field", "")), e.get("code", exc.code), e["message"])
        for e in errors
    ]


def _step(tally: Tally, rows: list[Row], work: Callable[[], bool], problems) -> None:
    """Run one step in its savepoint; True: it created something, False: it existed."""
    try:
        with savepoint():
            created = work()
    except DomainError as exc:
        tally.problems.extend(problems(exc))
        return
    tally.done += len(rows)
    if created:
        tally.created += 1
    else:
        tally.existing += 1


def products_apply(plan: Plan, rows: list[Row], actor: str, progress: Progress) -> Tally:
    tally = Tally()
    names = {"code": "sku", "name": "sku_name", "product": "product_code"}
    for row in rows:
        v = row.values
        _step(
            tally,
            [row],
            lambda v=v: _product_row(v),
            lambda e, r=row: _refused(
                e, r, lambda f: plan.column_of(names.get(f, f) if f else "sku")
            ),
        )
        progress(tally.done)
    return tally


SKU_COLUMNS = ("barcode", "weight_grams", "length_mm", "width_mm", "height_mm", "tax_class",
               "hs_code", "origin_country", "customs_description")  # fmt: skip


def _product_row(v: dict) -> bool:
    product = product_list().filter(code=v["product_code"]).first()
    tags = v["tags"] if v["tags"] is not None else None
    if product is None:
        product_create(
            code=v["product_code"], name=v["product_name"], description=v["description"] or "",
            tags=tags,
        )  # fmt: skip
    elif product.name != v["product_name"]:
        product_update(product=product, name=v["product_name"])
    sku = sku_list().filter(code=v["sku"]).first()
    given = {k: v[k] for k in SKU_COLUMNS if v[k] is not None}
    if v["is_active"] is not None:
        given["is_active"] = v["is_active"]
    if sku is None:
        sku_create(product_code=v["product_code"], code=v["sku"], name=v["sku_name"] or "",
                   tags=tags, **given)  # fmt: skip
        return True
    if v["sku_name"] is not None:
        given["name"] = v["sku_name"]
    changed = {k: val for k, val in given.items() if getattr(sku, k) != val}
    if changed:
        sku_update(sku=sku, **changed)
    return False


def customers_apply(plan: Plan, rows: list[Row], actor: str, progress: Progress) -> Tally:
    tally = Tally()
    names = {"line1": "address_line1", "city": "address_city", "postal_code":
             "address_postal_code", "name": "address_name"}  # fmt: skip
    for row in rows:
        _step(
            tally,
            [row],
            lambda v=row.values: _customer_row(v),
            lambda e, r=row: _refused(
                e, r, lambda f: plan.column_of(names.get(f, f) if f else "email")
            ),
        )
        progress(tally.done)
    return tally


def _customer_row(v: dict) -> bool:
    country = v["country"] or v["address_country"] or ""
    found = None
    if v["email"]:
        found = customer_list(email=v["email"]).first()
    elif v["phone"]:
        found = customer_list(phone=v["phone"], country=country or None).first()
    if found is not None:
        return False
    customer = customer_create(
        email=v["email"] or "", phone=v["phone"] or "", first_name=v["first_name"] or "",
        last_name=v["last_name"] or "", country=country, tags=v["tags"],
    )  # fmt: skip
    if v["address_line1"] or v["address_city"]:
        customer_address_add(
            customer=customer, line1=v["address_line1"] or "", city=v["address_city"] or "",
            country=v["address_country"] or country, name=v["address_name"] or "",
            line2=v["address_line2"] or "", region=v["address_region"] or "",
            postal_code=v["address_postal_code"] or "",
        )  # fmt: skip
    return True


def stock_apply(plan: Plan, rows: list[Row], actor: str, progress: Progress) -> Tally:
    """Absolute levels through inventory's cycle count (the ledger records a `count` movement
    for each difference; the same file again moves nothing)."""
    tally = Tally()
    names = {"location_code": "location", "sku_code": "sku", "counted": "on_hand",
             "quantity": "safety_stock", "location": "location", "sku": "sku"}  # fmt: skip
    for row in rows:
        _step(
            tally,
            [row],
            lambda v=row.values: _stock_row(v, actor),
            lambda e, r=row: _refused(e, r, lambda f: plan.column_of(names.get(f, "on_hand"))),
        )
        progress(tally.done)
    return tally


def _stock_row(v: dict, actor: str) -> bool:
    at = {"location_code": v["location"], "sku_code": v["sku"], "actor": actor,
          "reference": "import"}  # fmt: skip
    change = stock_count(counted=v["on_hand"], **at)
    moved = bool(change.movements)
    if v["safety_stock"] is not None:
        moved = bool(stock_safety_set(quantity=v["safety_stock"], **at).movements) or moved
    return moved


def orders_apply(plan: Plan, rows: list[Row], actor: str, progress: Progress) -> Tally:
    """One capture per order, exactly once by (channel, external id): importing the same file
    again replays every order and creates nothing."""
    tally = Tally()
    groups, tally.problems = orders_group(rows, plan)
    bad_rows = {p.row for p in tally.problems}
    for group in groups:
        if any(r.number in bad_rows for r in group.rows):
            continue
        _step(
            tally,
            group.rows,
            lambda g=group: _order_capture(g, actor),
            lambda e, g=group: [
                Problem(*error_row_column(g, plan, err), err.get("code", e.code), err["message"])
                for err in (e.errors or [{"field": "", "code": e.code, "message": e.message}])
            ],
        )
        progress(tally.done)
    return tally


def _order_capture(group: OrderRows, actor: str) -> bool:
    return not order_capture(command=capture_command(group), actor=actor).replayed


APPLY: dict[str, Callable[[Plan, list[Row], str, Progress], Tally]] = {
    "orders": orders_apply,
    "products": products_apply,
    "customers": customers_apply,
    "stock": stock_apply,
}


def chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
