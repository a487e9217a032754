"""Customs declarations of international parcels (docs/shipping.md, "Customs"). Pure Python.

A parcel needs one when it leaves one country for another and the two are not both in the EU
customs union. Each order line in the parcel is one item: what the customer paid for its units
(the line's total over its ordered units, times the units in the parcel, in the order's
currency, to the currency's minor unit; units given free at their price before discounts),
its net weight from the SKU, its HS tariff number and country of origin from the catalog. The
form printed beside our own labels is a CN22 for a small parcel, a CN23 past
`CN22_VALUE_LIMIT` or `CN22_ITEMS_MAX` items.

Out of scope (documented): the EU's special fiscal territories (the Canary Islands, Åland,
Mount Athos, the French overseas departments, ...) count as their member state's country code;
Monaco, San Marino and Andorra are not in the list (their postal codes say more than an
ISO code does)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ordino.core.domain.errors import DomainError
from ordino.core.domain.money import quantum

# The 27 member states of the European Union's customs union (ISO 3166-1 alpha-2).
EU_CUSTOMS_UNION = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)
CONTENTS_TYPE = "merchandise"
NON_DELIVERY = "return"
# A CN22 takes a few items and a small value (UPU: up to 300 SDR); past either, a CN23.
CN22_VALUE_LIMIT = Decimal(300)
CN22_ITEMS_MAX = 4
# Past this declared value a parcel needs a formal export filing Ordino does not make (the EU's
# electronic export declaration over 1,000 EUR; the US's EEI over 2,500 USD a tariff line).
VALUE_LIMIT = Decimal(1000)


def declaration_needed(origin: str, destination: str) -> bool:
    """Whether a parcel from `origin` to `destination` (ISO codes) crosses a customs border."""
    o, d = origin.strip().upper(), destination.strip().upper()
    if o == d:
        return False
    return not (o in EU_CUSTOMS_UNION and d in EU_CUSTOMS_UNION)


@dataclass(frozen=True)
class LineToDeclare:
    """One order line's units in the parcel and what the declaration reads of it."""

    sku: str
    name: str
    quantity: int  # units in this parcel
    ordered: int  # units the line was ordered with (its total covers them all)
    line_total: Decimal  # what the customer paid for the line, in the order's currency
    hs_code: str
    origin_country: str
    description: str  # the catalog's customs description; blank: the name
    unit_weight_grams: int | None
    unit_price: Decimal = Decimal(0)  # the line's price a unit before discounts: free goods


@dataclass(frozen=True)
class CustomsItem:
    sku: str
    description: str
    quantity: int
    value: Decimal  # all its units, in the declaration's currency
    net_weight_grams: int  # all its units
    hs_code: str
    origin_country: str


@dataclass(frozen=True)
class CustomsDeclaration:
    """What a carrier's API and the CN22/CN23 form say of a parcel's contents."""

    items: tuple[CustomsItem, ...]
    currency: str
    signer: str
    sender_country: str
    recipient_country: str
    form: str  # "CN22" or "CN23"
    contents_type: str = CONTENTS_TYPE
    non_delivery: str = NON_DELIVERY

    @property
    def value(self) -> Decimal:
        return sum((i.value for i in self.items), Decimal(0))

    @property
    def net_weight_grams(self) -> int:
        return sum(i.net_weight_grams for i in self.items)


def declaration_make(
    *,
    lines: list[LineToDeclare],
    currency: str,
    signer: str,
    sender_country: str,
    recipient_country: str,
    value_limit: Decimal = VALUE_LIMIT,
    cn22_limit: Decimal = CN22_VALUE_LIMIT,
) -> CustomsDeclaration:
    """The parcel's declaration. A SKU without HS code, origin or weight: 422
    `customs_data_missing` naming each; an item of no value even at its price: 422
    `customs_value_missing`; a value past `value_limit`: 422 `customs_value_over_limit`; no
    unit to declare: 409 `nothing_to_declare`."""
    shipped = [line for line in lines if line.quantity > 0]
    if not shipped:
        raise DomainError("nothing_to_declare", "The parcel carries no item.", status=409)
    _missing_check(shipped)
    items = tuple(_item(line, currency) for line in shipped)
    _valued_check(items)
    total = sum((i.value for i in items), Decimal(0))
    if total > value_limit:
        raise DomainError(
            "customs_value_over_limit",
            f"The parcel's declared value {total} {currency} is over {value_limit} {currency}: "
            "it needs a formal export declaration, made outside Ordino.",
        )
    many = len(items) > CN22_ITEMS_MAX or total > cn22_limit
    return CustomsDeclaration(
        items=items,
        currency=currency,
        signer=signer.strip(),
        sender_country=sender_country.upper(),
        recipient_country=recipient_country.upper(),
        form="CN23" if many else "CN22",
    )


def _missing_check(lines: list[LineToDeclare]) -> None:
    errors = []
    for line in lines:
        for field, given in (
            ("hs_code", line.hs_code),
            ("origin_country", line.origin_country),
            ("weight_grams", line.unit_weight_grams),
        ):
            if not given:
                message = f"SKU {line.sku} has no {field.replace('_', ' ')}."
                errors.append({"field": f"{line.sku}.{field}", "code": "required",
                               "message": message})  # fmt: skip
    if errors:
        skus = sorted({e["field"].rsplit(".", 1)[0] for e in errors})
        raise DomainError(
            "customs_data_missing",
            f"A customs declaration needs each SKU's HS code, origin and weight; missing for "
            f"{', '.join(skus)}. Nothing was bought.",
            errors=errors,
        )


def _valued_check(items: tuple[CustomsItem, ...]) -> None:
    """Customs and carriers take no item of no value (EasyPost: "must be greater than zero")."""
    free = [i.sku for i in items if i.value <= 0]
    if free:
        raise DomainError(
            "customs_value_missing",
            f"A customs declaration values each item above zero; {', '.join(free)} was paid "
            "nothing and has no price. Give the line a price. Nothing was bought.",
            errors=[{"field": f"{sku}.value", "code": "required",
                     "message": f"{sku} has no value to declare."} for sku in free],
        )  # fmt: skip


def _item(line: LineToDeclare, currency: str) -> CustomsItem:
    """The units at what was paid for them; units given free (a line discounted to nothing)
    at their price before discounts: goods given away still have a customs value."""
    to_minor = quantum(currency)
    paid = line.line_total * line.quantity / line.ordered  # the units' share of the line
    value = paid.quantize(to_minor, rounding=ROUND_HALF_UP)
    if value <= 0:
        value = (line.unit_price * line.quantity).quantize(to_minor, rounding=ROUND_HALF_UP)
    return CustomsItem(
        sku=line.sku,
        description=(line.description or line.name or line.sku)[:100],
        quantity=line.quantity,
        value=value,
        net_weight_grams=(line.unit_weight_grams or 0) * line.quantity,
        hs_code=line.hs_code,
        origin_country=line.origin_country,
    )


def eel_pfc(declaration: CustomsDeclaration) -> str:
    """The US export exemption a US parcel declares (no EEI under 2,500 USD a line: 30.37(a);
    to Canada: 30.36); '' from anywhere else."""
    if declaration.sender_country != "US":
        return ""
    return "NOEEI 30.36" if declaration.recipient_country == "CA" else "NOEEI 30.37(a)"
