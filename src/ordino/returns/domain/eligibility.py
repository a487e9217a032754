"""May these units be returned? The window (days from delivery, or from shipment when there is no
delivery date), the SKUs that are not returnable, and the units still returnable:
shipped − returned − already requested on pending returns (docs/returns.md, "Eligibility")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ordino.core.domain.errors import DomainError

REASONS = (
    "damaged",
    "defective",
    "wrong_item",
    "not_as_described",
    "size_or_fit",
    "changed_mind",
    "other",
)


@dataclass(frozen=True)
class Policy:
    """The policy that applies to one line: the most specific of (channel and SKU) > SKU >
    channel > the default window of the settings."""

    window_days: int
    returnable: bool = True


@dataclass(frozen=True)
class PolicyRule:
    channel_id: int | None
    sku_id: int | None
    window_days: int
    returnable: bool


def policy_for(
    rules: list[PolicyRule], *, channel_id: int, sku_id: int, default_days: int
) -> Policy:
    """The most specific rule for (channel, SKU): both named, then the SKU, then the channel."""
    ranked = {
        (channel_id, sku_id): 0,
        (None, sku_id): 1,
        (channel_id, None): 2,
    }
    best: tuple[int, PolicyRule] | None = None
    for rule in rules:
        rank = ranked.get((rule.channel_id, rule.sku_id))
        if rank is not None and (best is None or rank < best[0]):
            best = (rank, rule)
    if best is None:
        return Policy(window_days=default_days)
    return Policy(window_days=best[1].window_days, returnable=best[1].returnable)


@dataclass(frozen=True)
class LineFacts:
    """What eligibility reads of one order line."""

    line_no: int
    sku_code: str
    shipped: int
    returned: int
    pending: int  # requested on the order's requested or open returns, not yet received
    handed_over_at: datetime | None  # last delivery, else last shipment, of its units
    policy: Policy

    @property
    def returnable(self) -> int:
        return max(self.shipped - self.returned - self.pending, 0)


@dataclass(frozen=True)
class Wanted:
    line_no: int
    quantity: int


def request_check(*, lines: dict[int, LineFacts], wanted: list[Wanted], now: datetime) -> None:
    """Raise one DomainError naming every refused field (`lines.<i>.<field>`); else nothing."""
    errors: list[dict[str, str]] = []
    if not wanted:
        errors.append(_error("lines", "lines_required", "Name at least one line to return."))
    seen: set[int] = set()
    for i, item in enumerate(wanted):
        errors += _line_errors(i, item, lines.get(item.line_no), now, seen)
        seen.add(item.line_no)
    if errors:
        first = errors[0]
        raise DomainError(first["code"], first["message"], errors=errors)


def _line_errors(
    i: int, item: Wanted, line: LineFacts | None, now: datetime, seen: set[int]
) -> list[dict[str, str]]:
    if line is None:
        return [_error(f"lines.{i}.line_no", "line_not_found", f"No line {item.line_no}.")]
    if item.line_no in seen:
        return [_error(f"lines.{i}.line_no", "line_repeated", "Name each line once.")]
    if item.quantity < 1:
        return [_error(f"lines.{i}.quantity", "quantity_invalid", "Return at least one unit.")]
    if not line.policy.returnable:
        return [
            _error(f"lines.{i}.line_no", "not_returnable", f"{line.sku_code} cannot be returned.")
        ]
    if line.handed_over_at is not None:
        closes = line.handed_over_at + timedelta(days=line.policy.window_days)
        if now > closes:
            return [
                _error(
                    f"lines.{i}.line_no",
                    "return_window_closed",
                    f"The return window of line {line.line_no} closed on {closes:%Y-%m-%d}.",
                )
            ]
    if item.quantity > line.returnable:
        return [
            _error(
                f"lines.{i}.quantity",
                "quantity_exceeds_returnable",
                f"Line {line.line_no} has {line.returnable} returnable unit(s).",
            )
        ]
    return []


def _error(field: str, code: str, message: str) -> dict[str, str]:
    return {"field": field, "code": code, "message": message}
