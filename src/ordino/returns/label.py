"""A return's label (docs/returns.md, "The return label"): a 4×6 in label from the customer's
address to the return's receiving location, "RETURN" printed large and the return's number as
its Code 128 barcode, drawn by shipping's label drawing (`shipping/labels/`) from plain values
(returns sits above shipping: it calls shipping, never the other way round)."""

from __future__ import annotations

from ordino.core.domain.clock import utcnow
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.locations.selectors import location_address
from ordino.returns.domain.states import label_check
from ordino.returns.models import ReturnShipment
from ordino.returns.selectors import return_get
from ordino.shipping.domain.labels import LabelContent, return_label_make
from ordino.shipping.labels.selectors import FORMATS, labels_render

LABEL_FORMATS = tuple(sorted(FORMATS))


def return_label(*, return_id: int, scope: Scope = UNRESTRICTED) -> LabelContent:
    """The return's label; outside the caller's reach 404 `return_not_found`; a return that is
    not open 409 `return_not_open`."""
    ret = return_get(return_id=return_id, scope=scope)
    label_check(ret.state)
    order = ret.order
    parcel = ReturnShipment.objects.filter(ret=ret).order_by("pk").first()
    return return_label_make(
        reference=ret.number,
        order_reference=order.external_id,
        customer=order.shipping_address or order.billing_address or {},
        location=location_address(ret.location),
        carrier=parcel.carrier if parcel else "",
        day=(ret.approved_at or utcnow()).date(),
    )


def return_label_document(
    *, return_id: int, fmt: str = "pdf", scope: Scope = UNRESTRICTED
) -> tuple[bytes, str]:
    """The label as one PDF page or one ZPL II format, and its media type."""
    return labels_render([return_label(return_id=return_id, scope=scope)], fmt)
