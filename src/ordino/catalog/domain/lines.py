"""Lines that name SKUs: every code must be a SKU that can be sold. Pure Python."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from ordino.core.domain.errors import DomainError


def line_skus_known(line_codes: Sequence[str], known: Collection[str]) -> None:
    """Refuse the lines whose SKU code is not among the `known` (active) ones, naming each line
    (`lines.1.sku`) — an order's lines and a simulated cart's alike."""
    missing = sorted(set(line_codes) - set(known))
    if missing:
        raise DomainError(
            "sku_not_found",
            f"Unknown SKU(s): {', '.join(missing)}.",
            errors=[
                {"field": f"lines.{i}.sku", "code": "sku_not_found", "message": f"No SKU {code!r}."}
                for i, code in enumerate(line_codes)
                if code in missing
            ],
        )
