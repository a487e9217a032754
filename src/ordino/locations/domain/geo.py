"""Countries and coordinates of places. Pure Python."""

from __future__ import annotations

from decimal import Decimal

from ordino.core.domain.errors import DomainError


def coordinates_check(latitude: Decimal | None, longitude: Decimal | None) -> None:
    """Both or neither; latitude within ±90 and longitude within ±180."""
    if (latitude is None) != (longitude is None):
        field = "longitude" if longitude is None else "latitude"
        raise DomainError(
            "coordinates_incomplete", "Give latitude and longitude together.", field=field
        )
    if latitude is not None and not Decimal(-90) <= latitude <= Decimal(90):
        raise DomainError(
            "invalid_latitude", f"Latitude {latitude} is outside -90..90.", field="latitude"
        )
    if longitude is not None and not Decimal(-180) <= longitude <= Decimal(180):
        raise DomainError(
            "invalid_longitude", f"Longitude {longitude} is outside -180..180.", field="longitude"
        )
