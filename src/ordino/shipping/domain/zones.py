"""Which zone of a carrier's service an address falls in (docs/shipping.md, "Zones").

A zone rule names a country, maybe a region and maybe a postal-code prefix. The most specific
rule that matches wins: a longer postal prefix over a shorter one, any prefix over a region, a
region over the country alone. Two rules equally specific for the same address would make the
answer depend on their order: refused when the table is loaded, naming both rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ordino.core.domain.errors import DomainError


@dataclass(frozen=True)
class ZoneRule:
    zone: str
    country: str
    region: str = ""
    postal_prefix: str = ""
    row: int = 0  # the row of the file it came from, for the errors

    @property
    def specificity(self) -> tuple[int, int]:
        return (len(self.postal_prefix), 1 if self.region else 0)

    def matches(self, country: str, region: str, postal: str) -> bool:
        return (
            self.country == country
            and (not self.region or self.region == region)
            and postal.startswith(self.postal_prefix)
        )

    def describe(self) -> str:
        parts = [self.country]
        if self.region:
            parts.append(f"region {self.region}")
        if self.postal_prefix:
            parts.append(f"postal codes {self.postal_prefix}…")
        return ", ".join(parts)


@dataclass(frozen=True)
class ZoneMatch:
    zone: str
    rule: ZoneRule

    def why(self) -> str:
        return f"zone {self.zone}: {self.rule.describe()} (row {self.rule.row})"


def postal_normal(code: str) -> str:
    """Compared without spaces or hyphens, upper case: "SW1A 1AA" and "sw1a1aa" are one code."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def zone_rules_check(rules: Sequence[ZoneRule]) -> list[ZoneRule]:
    """The rules normalized, or DomainError listing every row in conflict: a blank zone or
    country, or two rows equally specific for the same addresses with different zones."""
    errors: list[dict[str, str]] = []
    seen: dict[tuple[str, str, str], ZoneRule] = {}
    out = []
    for rule in rules:
        rule = ZoneRule(
            rule.zone.strip(),
            rule.country.strip().upper(),
            rule.region.strip().upper(),
            postal_normal(rule.postal_prefix),
            rule.row,
        )
        if not rule.zone or len(rule.country) != 2 or not rule.country.isalpha():
            errors.append(
                _error(rule.row, "invalid_zone_row", "needs a zone and a 2-letter country")
            )
            continue
        key = (rule.country, rule.region, rule.postal_prefix)
        other = seen.get(key)
        if other is not None and other.zone != rule.zone:
            errors.append(
                _error(
                    rule.row,
                    "zone_conflict",
                    f"the same addresses as row {other.row} ({other.zone}), another zone",
                )
            )
            continue
        seen.setdefault(key, rule)
        out.append(rule)
    if errors:
        raise DomainError("invalid_zones", "The zone table has errors.", errors=errors)
    return out


def zone_match(
    rules: Sequence[ZoneRule], *, country: str, region: str = "", postal_code: str = ""
) -> ZoneMatch:
    """The most specific rule for the address (rules checked by `zone_rules_check`), or
    DomainError `address_not_covered` naming the address."""
    country, region, postal = country.upper(), region.upper(), postal_normal(postal_code)
    best: ZoneRule | None = None
    for rule in rules:
        if rule.matches(country, region, postal) and (
            best is None or rule.specificity > best.specificity
        ):
            best = rule
    if best is None:
        where = " ".join(x for x in (country, region, postal_code) if x)
        raise DomainError(
            "address_not_covered", f"No zone of this service covers {where}.", field="address"
        )
    return ZoneMatch(best.zone, best)


def _error(row: int, code: str, message: str) -> dict[str, str]:
    return {"field": f"row {row}", "code": code, "message": f"Row {row}: {message}."}
