"""Countries and coordinates, without a database."""

from decimal import Decimal

import pytest

from ordino.core.domain.countries import country_normalise
from ordino.core.domain.errors import DomainError
from ordino.locations.domain.geo import coordinates_check


def test_country_is_upper_cased():
    assert country_normalise(" de ") == "DE"


def test_blank_country_allowed_only_when_optional():
    assert country_normalise("", required=False) == ""
    with pytest.raises(DomainError):
        country_normalise("")


@pytest.mark.parametrize("bad", ["XX", "DEU", "D", "UK"])
def test_unknown_country_is_refused(bad):
    with pytest.raises(DomainError) as err:
        country_normalise(bad)
    assert err.value.code == "invalid_country"
    assert err.value.errors[0]["field"] == "country"


def test_coordinates_come_in_pairs_and_ranges():
    coordinates_check(Decimal("52.52"), Decimal("13.405"))
    coordinates_check(None, None)
    with pytest.raises(DomainError) as err:
        coordinates_check(Decimal("52.52"), None)
    assert err.value.errors[0]["field"] == "longitude"
    with pytest.raises(DomainError) as err:
        coordinates_check(Decimal("91"), Decimal("0"))
    assert err.value.code == "invalid_latitude"
