"""What a shipping label says, one per parcel (docs/shipping.md, "Labels").

A shipment's parcels are its packages, each with its own tracking number (a single package
may take the shipment's single tracking number); a shipment recorded without packages has one
parcel per tracking number. A parcel with no tracking number is refused, naming the package: a
label without a barcode cannot be scanned. A tracking number is what Code 128 carries here:
1 to 40 printable ASCII characters. Text is folded and cut to what fits on a 4×6 in label
(`label_text.py`); the limits below are the characters a line holds at its size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from ordino.core.domain.errors import DomainError
from ordino.shipping.domain.label_text import text_cut

if TYPE_CHECKING:
    from ordino.shipping.domain.manifests import ManifestRow

TRACKING_MAX = 40
# Characters per line across the 4 in label less its margins: the sender's block at 8 pt, the
# recipient's at 12 pt bold, the carrier at 14 pt, the service at 11 pt, the reference at 8 pt.
SENDER_WIDTH = 56
RECIPIENT_WIDTH = 34
CARRIER_WIDTH = 24
SERVICE_WIDTH = 32
REFERENCE_WIDTH = 56
PARCELS_MAX = 999  # "999 of 999" is the widest parcel text the label has room for


@dataclass(frozen=True)
class PackageFacts:
    """A package as the shipment recorded it (weight unknown: None)."""

    weight_grams: int | None
    tracking_number: str


@dataclass(frozen=True)
class ShipmentFacts:
    """What a shipment's labels are made from: plain values read by the selector."""

    shipment_id: int
    order_reference: str
    carrier: str
    service: str
    sender: Mapping[str, str]  # name, line1, line2, postal_code, city, region, country
    recipient: Mapping[str, str]  # name, company, line1, line2, postal_code, city, ...
    day: date
    tracking_numbers: tuple[str, ...]
    packages: tuple[PackageFacts, ...] = ()


@dataclass(frozen=True)
class LabelContent:
    """One parcel's label, every text already fit to its line."""

    shipment_id: int
    index: int  # 1-based: the parcel's place in its shipment
    count: int
    tracking_number: str
    sender: tuple[str, ...]
    recipient: tuple[str, ...]
    carrier: str
    service: str
    weight: str  # "1.25 kg", or "" when the package's weight was not recorded
    reference: str
    day: date
    banner: str = ""  # printed large across the label ("RETURN"); "" on a shipment's label
    dated: str = "Shipped"  # the word before the day at the foot of the label

    @property
    def parcel_text(self) -> str:
        return parcel_text(self.index, self.count)

    @property
    def key(self) -> tuple[int, int]:
        return (self.shipment_id, self.index)


def tracking_check(value: str, *, field: str) -> str:
    """The tracking number as Code 128 prints it, or a DomainError naming the field."""
    if not 1 <= len(value) <= TRACKING_MAX or not all(32 <= ord(c) <= 126 for c in value):
        raise DomainError(
            "tracking_not_printable",
            f"Tracking number {value[: TRACKING_MAX + 10]!r} cannot be printed as a barcode: "
            f"1 to {TRACKING_MAX} printable ASCII characters.",
            field=field,
        )
    return value


def parcel_text(index: int, count: int) -> str:
    """ "2 of 3": which parcel of the shipment this is."""
    if not 1 <= index <= count <= PARCELS_MAX:
        raise ValueError(f"parcel {index} of {count}")
    return f"{index} of {count}"


def weight_text(grams: int | None) -> str:
    """1250 → "1.25 kg"; unknown → ""."""
    if grams is None:
        return ""
    kg = (Decimal(grams) / 1000).normalize()
    return f"{kg:f} kg"


def address_lines(address: Mapping[str, str], *, width: int, company: bool) -> tuple[str, ...]:
    """The address as the label prints it, empty parts left out: name, (company), street lines,
    "postal code city", "region country"."""
    get = lambda key: str(address.get(key) or "").strip()  # noqa: E731
    lines = [get("name"), get("company") if company else "", get("line1"), get("line2")]
    lines.append(" ".join(p for p in (get("postal_code"), get("city")) if p))
    lines.append(" ".join(p for p in (get("region"), get("country").upper()) if p))
    return tuple(cut for cut in (text_cut(line, width) for line in lines) if cut)


def shipment_parcels(facts: ShipmentFacts) -> list[tuple[int | None, str]]:
    """(weight in grams, tracking number) of each parcel, in the shipment's order."""
    if not facts.packages:
        pairs = [(None, t, f"tracking_numbers.{i}") for i, t in enumerate(facts.tracking_numbers)]
    else:
        only = facts.tracking_numbers[0] if len(facts.tracking_numbers) == 1 else ""
        pairs = []
        for i, p in enumerate(facts.packages):
            tracking = p.tracking_number or (only if len(facts.packages) == 1 else "")
            if not tracking.strip():
                raise DomainError(
                    "package_without_tracking",
                    f"Package {i + 1} of shipment {facts.shipment_id} has no tracking number: "
                    "its label would have no barcode.",
                    field=f"packages.{i}.tracking_number",
                )
            pairs.append((p.weight_grams, tracking, f"packages.{i}.tracking_number"))
    if not pairs:
        raise DomainError(
            "no_parcels", f"Shipment {facts.shipment_id} has no parcel to label.", status=409
        )
    return [(grams, tracking_check(t, field=field)) for grams, t, field in pairs]


def shipment_labels_make(facts: ShipmentFacts) -> list[LabelContent]:
    """One label per parcel of the shipment, "1 of N" to "N of N"."""
    parcels = shipment_parcels(facts)
    if len(parcels) > PARCELS_MAX:
        raise DomainError(
            "too_many_parcels", f"A shipment has at most {PARCELS_MAX} parcels.", status=409
        )
    sender = address_lines(facts.sender, width=SENDER_WIDTH, company=False)
    recipient = address_lines(facts.recipient, width=RECIPIENT_WIDTH, company=True)
    reference = text_cut(f"{facts.order_reference} / shipment {facts.shipment_id}", REFERENCE_WIDTH)
    return [
        LabelContent(
            shipment_id=facts.shipment_id,
            index=i,
            count=len(parcels),
            tracking_number=tracking,
            sender=sender,
            recipient=recipient,
            carrier=text_cut(facts.carrier, CARRIER_WIDTH),
            service=text_cut(facts.service, SERVICE_WIDTH),
            weight=weight_text(grams),
            reference=reference,
            day=facts.day,
        )
        for i, (grams, tracking) in enumerate(parcels, start=1)
    ]


def labels_order(labels: Iterable[LabelContent]) -> list[LabelContent]:
    """A bulk print's labels: by shipment, then parcel; each parcel once. Two parcels with one
    tracking number would print the same barcode twice: refused, naming both."""
    unique = {label.key: label for label in labels}
    ordered = [unique[key] for key in sorted(unique)]
    tracking_once(ordered, "a parcel's label is printed once")
    return ordered


def tracking_once(parcels: Sequence[LabelContent | ManifestRow], why: str) -> None:
    """Refuse (409 `duplicate_tracking_number`, naming both) two parcels of one tracking
    number: a label, a manifest's row, is one parcel's."""
    seen: dict[str, LabelContent] = {}
    for label in parcels:
        first = seen.setdefault(label.tracking_number, label)
        if first is not label:
            raise DomainError(
                "duplicate_tracking_number",
                f"Tracking number {label.tracking_number!r} is on parcel {first.parcel_text} of "
                f"shipment {first.shipment_id} and parcel {label.parcel_text} of shipment "
                f"{label.shipment_id}: {why}.",
                status=409,
            )


def labels_of(shipments: Sequence[ShipmentFacts]) -> list[LabelContent]:
    """Every parcel's label of these shipments, in print order."""
    return labels_order(label for facts in shipments for label in shipment_labels_make(facts))


RETURN_BANNER = "RETURN"


def return_label_make(
    *,
    reference: str,
    order_reference: str,
    customer: Mapping[str, str],
    location: Mapping[str, str],
    carrier: str,
    day: date,
) -> LabelContent:
    """A return's 4×6 in label (docs/returns.md, "The return label"): from the customer's
    address to the receiving location, "RETURN" printed large, the return's reference as its
    barcode (Code 128, the same bounds as a tracking number). Plain values: returns calls it."""
    return LabelContent(
        shipment_id=0,
        index=1,
        count=1,
        tracking_number=tracking_check(reference, field="reference"),
        sender=address_lines(customer, width=SENDER_WIDTH, company=True),
        recipient=address_lines(location, width=RECIPIENT_WIDTH, company=False),
        carrier=text_cut(carrier, CARRIER_WIDTH),
        service="",
        weight="",
        reference=text_cut(f"Return {reference} / order {order_reference}", REFERENCE_WIDTH),
        day=day,
        banner=RETURN_BANNER,
        dated="Issued",
    )
