"""Zones: the most specific rule wins; a table with a conflict is refused naming the rows."""

from __future__ import annotations

import pytest

from ordino.core.domain.errors import DomainError
from ordino.shipping.domain.zones import ZoneRule, zone_match, zone_rules_check

RULES = zone_rules_check(
    [
        ZoneRule("1", "DE", row=2),
        ZoneRule("2", "DE", postal_prefix="2", row=3),
        ZoneRule("3", "DE", postal_prefix="27", row=4),
        ZoneRule("US-W", "US", region="CA", row=5),
        ZoneRule("US-LA", "US", postal_prefix="900", row=6),
        ZoneRule("UK", "GB", postal_prefix="sw1a", row=7),
    ]
)


@pytest.mark.parametrize(
    ("country", "region", "postal", "zone", "row"),
    [
        ("DE", "", "10115", "1", 2),  # the country alone
        ("DE", "", "20095", "2", 3),  # a prefix over the country
        ("de", "", "27498", "3", 4),  # the longer prefix over the shorter
        ("US", "CA", "94105", "US-W", 5),  # the region
        ("US", "CA", "90001", "US-LA", 6),  # a prefix over the region
        ("GB", "", "SW1A 1AA", "UK", 7),  # spaces and case do not matter
    ],
)
def test_the_most_specific_rule_wins(country, region, postal, zone, row):
    match = zone_match(RULES, country=country, region=region, postal_code=postal)
    assert (match.zone, match.rule.row) == (zone, row)


def test_an_address_no_zone_covers_is_refused_naming_it():
    with pytest.raises(DomainError) as refused:
        zone_match(RULES, country="FR", postal_code="75001")
    assert refused.value.code == "address_not_covered"
    assert refused.value.message == "No zone of this service covers FR 75001."


def test_two_rows_for_the_same_addresses_with_different_zones_are_refused_naming_both():
    rows = [ZoneRule("1", "DE", postal_prefix="2", row=2), ZoneRule("9", "DE", "", "2", row=8)]
    with pytest.raises(DomainError) as refused:
        zone_rules_check(rows)
    assert refused.value.errors == [
        {
            "field": "row 8",
            "code": "zone_conflict",
            "message": "Row 8: the same addresses as row 2 (1), another zone.",
        }
    ]


def test_a_row_without_a_zone_or_a_country_is_refused():
    with pytest.raises(DomainError) as refused:
        zone_rules_check([ZoneRule("", "DE", row=2), ZoneRule("1", "Germany", row=3)])
    assert [e["field"] for e in refused.value.errors] == ["row 2", "row 3"]
