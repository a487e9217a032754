"""The ledger check (`ordino inventory check`): rebuild every balance from the ledger, compare
it with the stored balances and, with `--repair`, rewrite the differing ones (docs/design.md §2).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ordino.catalog.models import Sku
from ordino.core.transactions import use_case_atomic
from ordino.inventory import selectors
from ordino.inventory.domain import operations as ops
from ordino.inventory.domain.ledger import Quantities
from ordino.inventory.ledger import balances_overwrite
from ordino.locations.models import Location


@dataclass(frozen=True)
class InventoryCheck:
    checked: int  # balances compared
    differences: list[ops.BalanceDifference] = field(default_factory=list)
    location_codes: dict[int, str] = field(default_factory=dict)
    sku_codes: dict[int, str] = field(default_factory=dict)
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return not self.differences


def inventory_check() -> InventoryCheck:
    """Rebuild every balance from the ledger and compare it with the stored balances.
    Read-only; run it any time (the two reads are taken in one transaction)."""
    with use_case_atomic():
        ledger = selectors.ledger_balances()
        stored = selectors.stored_balances()
    return _check_result(stored, ledger, repaired=False)


def inventory_repair() -> InventoryCheck:
    """Rewrite every differing balance from the ledger (the ledger is the truth). Stop writers
    first: a sale between the projection and the rewrite would be lost from the balance."""
    with use_case_atomic():
        ledger = selectors.ledger_balances()
        stored = selectors.stored_balances()
        result = _check_result(stored, ledger, repaired=True)
        balances_overwrite({(d.location_id, d.sku_id): d.ledger for d in result.differences})
    return result


def _check_result(
    stored: dict[tuple[int, int], Quantities],
    ledger: dict[tuple[int, int], Quantities],
    *,
    repaired: bool,
) -> InventoryCheck:
    differences = ops.balances_compare(stored, ledger)
    location_ids = {d.location_id for d in differences}
    sku_ids = {d.sku_id for d in differences}
    return InventoryCheck(
        checked=len(stored.keys() | ledger.keys()),
        differences=differences,
        location_codes=dict(Location.objects.filter(id__in=location_ids).values_list("id", "code")),
        sku_codes=dict(Sku.objects.filter(id__in=sku_ids).values_list("id", "code")),
        repaired=repaired and bool(differences),
    )
