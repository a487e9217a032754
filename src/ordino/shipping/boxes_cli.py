"""`ordino shipping box|boxes|pack` (docs/shipping.md, "Parcels and packing"): box types and the
boxes packing proposes, parsed and run for `management/commands/shipping.py`."""

from __future__ import annotations

import re

from ordino.shipping.commands import BoxTypeSettings
from ordino.shipping.selectors import box_type_list, fulfillment_packing_propose
from ordino.shipping.services import box_type_save

ACTIONS = ("box", "boxes", "pack")
SIDES = re.compile(r"^(\d{1,5})x(\d{1,5})x(\d{1,5})$")


def _sides(text: str) -> tuple[int, int, int]:
    m = SIDES.match(text.strip().lower())
    if not m:
        raise ValueError(text)
    return tuple(int(g) for g in m.groups())  # type: ignore[return-value]


def parsers(actions) -> None:
    box = actions.add_parser("box", help="create or change a box type (mm and g)")
    box.add_argument("code")
    box.add_argument("--inner", type=_sides, required=True, help="LxWxH in mm")
    box.add_argument("--outer", type=_sides, required=True, help="LxWxH in mm")
    box.add_argument("--tare", type=int, required=True, help="g")
    box.add_argument("--max-weight", type=int, required=True, help="gross, g")
    box.add_argument("--name", default="")
    box.add_argument("--location", default=None, help="a location's code; none: every one")
    box.add_argument("--inactive", action="store_true")
    box.add_argument("--reason", default="")
    boxes = actions.add_parser("boxes", help="list the box types")
    boxes.add_argument("--location", default=None)
    pack = actions.add_parser("pack", help="propose boxes for a fulfillment order")
    pack.add_argument("fo_id", type=int)


def run(out, options, actor: str) -> None:
    {"box": _box, "boxes": _boxes, "pack": _pack}[options["action"]](out, options, actor)


def _box(out, options, actor) -> None:
    command = BoxTypeSettings(
        code=options["code"],
        name=options["name"] or options["code"],
        inner=options["inner"],
        outer=options["outer"],
        tare_g=options["tare"],
        max_weight_g=options["max_weight"],
        location=options["location"],
        is_active=not options["inactive"],
        reason=options["reason"],
    )
    box = box_type_save(command=command, actor=actor)
    out.write(f"Saved box {box.code} ({options['location'] or 'every location'}).")


def _boxes(out, options, actor) -> None:
    for b in box_type_list(location=options["location"]):
        where = b.location.code if b.location_id else "*"
        out.write(
            f"{b.code}@{where}  {b.name}  inner {b.inner_length_mm}x{b.inner_width_mm}x"
            f"{b.inner_height_mm} mm, tare {b.tare_g} g, up to {b.max_weight_g} g"
            f"{'' if b.is_active else '  (inactive)'}"
        )


def _pack(out, options, actor) -> None:
    proposal = fulfillment_packing_propose(fo_id=options["fo_id"])
    out.write(
        f"Fulfillment order {proposal['fulfillment_order_id']} at {proposal['location']}: "
        f"{proposal['units']} unit(s) in {len(proposal['parcels'])} parcel(s)."
    )
    for i, parcel in enumerate(proposal["parcels"], start=1):
        p = parcel["parcel"]
        out.write(
            f"  {i}. {parcel['why']}; rated as {p['length_cm']}x{p['width_cm']}x"
            f"{p['height_cm']} cm, {p['weight_kg']} kg"
        )
