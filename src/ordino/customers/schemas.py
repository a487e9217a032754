"""API shapes of customers. Inputs forbid unknown fields; outputs are separate."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema
from pydantic import ConfigDict

from ordino.core.params import Country, CountryOrBlank, Tags


class Input(Schema):
    # strict: JSON types as documented (0 is no boolean, "5" no integer); unknown fields refused
    model_config = ConfigDict(extra="forbid", strict=True)


class CustomerIn(Input):  # the component `CustomerIn`; orders have `OrderCustomerIn`
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=32, description="E.164, or national with `country`.")
    first_name: str = Field("", max_length=128)
    last_name: str = Field("", max_length=128)
    country: CountryOrBlank = Field("", description="ISO 3166-1 alpha-2: reads a national phone.")
    tags: Tags = []


class CustomerPatch(Input):
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=32)
    first_name: str | None = Field(None, max_length=128)
    last_name: str | None = Field(None, max_length=128)
    country: CountryOrBlank | None = Field(
        None,
        description="ISO 3166-1 alpha-2: reads a national phone; default: the default address's.",
    )
    tags: Tags | None = None


class AddressIn(Input):  # the component `AddressIn`; orders have `OrderAddressIn`
    name: str = Field("", max_length=255)
    line1: str = Field(..., min_length=1, max_length=255)
    line2: str = Field("", max_length=255)
    city: str = Field(..., min_length=1, max_length=128)
    region: str = Field("", max_length=128)
    postal_code: str = Field("", max_length=32)
    country: Country
    phone: str = Field("", max_length=32)
    is_default: bool = False


class AddressOut(Schema):
    id: int
    name: str
    line1: str
    line2: str
    city: str
    region: str
    postal_code: str
    country: str
    phone: str
    is_default: bool


class IdentityOut(Schema):
    channel: str
    external_id: str

    @staticmethod
    def resolve_channel(obj) -> str:
        return obj.channel.code


class CustomerOut(Schema):
    id: int
    email: str
    phone: str
    first_name: str
    last_name: str
    tags: list[str]
    addresses: list[AddressOut]
    identities: list[IdentityOut]
    created_at: datetime

    @staticmethod
    def resolve_addresses(obj) -> list:
        return list(obj.addresses.all())

    @staticmethod
    def resolve_identities(obj) -> list:
        return list(obj.identities.all())
