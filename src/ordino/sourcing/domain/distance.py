"""Distance from a location to the destination: great circle when both have coordinates,
otherwise through the merchant's zone table. Never a network call.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ordino.sourcing.domain.facts import Destination, LocationFacts

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp = p2 - p1
    dl = math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class ZoneTable:
    """Zones by (country, postal prefix) or (country, region), and km between zones.

    `postal` maps (country, postal prefix) → zone; the longest matching prefix wins.
    `regions` maps (country, region) → zone; `countries` maps country → zone as a last resort.
    `km` maps (zone, zone) → km, read in both directions; a zone to itself is `same_zone_km`
    unless listed.
    """

    postal: Mapping[tuple[str, str], str] = field(default_factory=dict)
    regions: Mapping[tuple[str, str], str] = field(default_factory=dict)
    countries: Mapping[str, str] = field(default_factory=dict)
    km: Mapping[tuple[str, str], float] = field(default_factory=dict)
    same_zone_km: float = 0.0

    def __post_init__(self) -> None:
        for name in ("postal", "regions", "countries", "km"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))
        lengths = sorted({len(prefix) for _, prefix in self.postal}, reverse=True)
        object.__setattr__(self, "_prefix_lengths", tuple(lengths))

    def zone_of(self, country: str, region: str = "", postal_code: str = "") -> str | None:
        code = postal_code.replace(" ", "").upper()
        for length in self._prefix_lengths:  # type: ignore[attr-defined]
            if length <= len(code):
                found = self.postal.get((country, code[:length]))
                if found is not None:
                    return found
        if region:
            found = self.regions.get((country, region))
            if found is not None:
                return found
        return self.countries.get(country)

    def between(self, a: str, b: str) -> float | None:
        if (a, b) in self.km:
            return float(self.km[(a, b)])
        if (b, a) in self.km:
            return float(self.km[(b, a)])
        return self.same_zone_km if a == b else None


NO_ZONES = ZoneTable()


@dataclass(frozen=True)
class Distance:
    km: float | None
    method: str  # "coordinates", "zones" or "unknown"
    detail: str = ""


def distance_to(
    location: LocationFacts, destination: Destination, zones: ZoneTable = NO_ZONES
) -> Distance:
    if (
        location.latitude is not None
        and location.longitude is not None
        and destination.latitude is not None
        and destination.longitude is not None
    ):
        km = haversine_km(
            location.latitude, location.longitude, destination.latitude, destination.longitude
        )
        return Distance(km, "coordinates")
    here = zones.zone_of(location.country, location.region, location.postal_code)
    there = zones.zone_of(destination.country, destination.region, destination.postal_code)
    if here is None or there is None:
        missing = "location" if here is None else "destination"
        return Distance(None, "unknown", f"no coordinates and no zone for the {missing}")
    km = zones.between(here, there)
    if km is None:
        return Distance(None, "unknown", f"no distance between zones {here} and {there}")
    return Distance(km, "zones", f"zone {here} → {there}")
