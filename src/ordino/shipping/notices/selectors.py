"""Reads of the customer's shipping e-mails: the templates in force (a channel's, else the
every-channel one, else the built-in), the context an e-mail renders with, previews of a draft
— or of the template in force, for the parts left out — checked as saving checks it and
rendered with the sample order or a real one the caller reaches (writing nothing), and a
shipment's notices within the caller's reach."""

from __future__ import annotations

from django.db.models import F

from ordino.core.domain.errors import NotFound
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.fulfillment.selectors import fulfillment_list, shipment_read
from ordino.shipping import ports
from ordino.shipping.commands import NoticeTemplateSettings
from ordino.shipping.domain import notices as n
from ordino.shipping.domain.tracking import tracking_number_clean
from ordino.shipping.domain.tracking_maps import STATUSES
from ordino.shipping.models import ShippingNotice, ShippingNoticeTemplate, Tracker
from ordino.shipping.notices.checks import channel_check, notice_template_check
from ordino.shipping.notices.render import template_render


def kind_check(kind: str) -> str:
    if kind not in n.KINDS:
        raise NotFound("notice_template", kind)
    return kind


def _template(row: ShippingNoticeTemplate) -> n.NoticeTemplate:
    return n.NoticeTemplate(
        row.kind, row.subject, row.body, row.is_active, built_in=False, html=row.html,
        channel=row.channel.code if row.channel_id else "", from_email=row.from_email,
    )  # fmt: skip


def notice_template_get(*, kind: str, channel: str = "") -> n.NoticeTemplate:
    """The template of `kind` in force for orders of `channel` (a code): the channel's own row,
    else the row for every channel, else the built-in one."""
    rows = ShippingNoticeTemplate.objects.filter(kind=kind_check(kind)).select_related("channel")
    by_channel = {
        (r.channel.code if r.channel_id else ""): r
        for r in rows.filter(channel__code=channel) | rows.filter(channel__isnull=True)
    }
    row = by_channel.get(channel) if channel else None
    row = row or by_channel.get("")
    return _template(row) if row is not None else n.DEFAULTS[kind]


def notice_template_serialize(template: n.NoticeTemplate) -> dict:
    return {
        "kind": template.kind,
        "channel": template.channel or None,
        "subject": template.subject,
        "body": template.body,
        "html": template.html,
        "from_email": template.from_email,
        "is_active": template.is_active,
        "built_in": template.built_in,
        "variables": sorted(n.VARIABLES),
    }


def notice_template_read(*, kind: str, channel: str = "") -> dict:
    return notice_template_serialize(notice_template_get(kind=kind, channel=channel))


TEMPLATES_LISTED = 1000  # 4 kinds x 250 channels: more than any merchant sets


def notice_templates_set() -> list[dict]:
    """Every template the merchant set, by kind then channel (every channel first)."""
    rows = ShippingNoticeTemplate.objects.select_related("channel")
    rows = rows.order_by("kind", F("channel__code").asc(nulls_first=True))[:TEMPLATES_LISTED]
    return [notice_template_serialize(_template(r)) for r in rows]


def _parcels(shipment: dict, tracking_number: str) -> list[n.Parcel]:
    trackers = {t.tracking_number: t for t in Tracker.objects.filter(shipment_id=shipment["id"])}
    numbers = [tracking_number] if tracking_number else shipment["tracking_numbers"]
    parcels = []
    for number in numbers:
        tracker = trackers.get(tracking_number_clean(number))
        status = tracker.status if tracker else "unknown"
        parcels.append(n.Parcel(number, status, STATUSES[status].label))
    return parcels


def notice_context_of(
    *, contact: dict, shipment: dict, kind: str, tracking_number: str = "", status: str = "",
    status_text: str = "",
) -> dict:  # fmt: skip
    """The context an e-mail of `kind` about a shipment (or one of its parcels) renders with."""
    status = status or ("shipped" if kind == n.SHIPPED else kind)
    label = STATUSES[status].label if status in STATUSES else status.replace("_", " ").capitalize()
    return n.notice_context(
        order_number=contact["number"], customer_name=contact["name"],
        carrier=shipment["carrier"], service=shipment["service"],
        parcels=_parcels(shipment, tracking_number), status=status, status_label=label,
        status_text=status_text,
    )  # fmt: skip


def order_notice_context(*, kind: str, contact: dict, scope: Scope = UNRESTRICTED) -> dict:
    """A real order's context for a preview: its number and customer, its latest shipment's
    carrier and parcels within `scope` (the sample's while it has none)."""
    fo = (
        fulfillment_list(scope=scope)
        .filter(order_id=contact["id"], shipments__isnull=False)
        .order_by("-id")
        .first()
    )
    shipment = fo.shipments.order_by("-id").first() if fo is not None else None
    if shipment is None:
        sample = n.sample_context(kind)
        return {**sample, "order_number": contact["number"], "customer_name": contact["name"]}
    return notice_context_of(
        contact=contact, shipment=shipment_read(shipment_id=shipment.pk), kind=kind
    )


def order_contact_find(*, number: str, channel: str = "", scope: Scope = UNRESTRICTED) -> dict:
    """The contact of the order numbered `number` that `scope` reaches (404 naming
    `order_number` else), through orders' port."""
    return ports.order_contact_by_number(number=number, channel=channel, scope=scope)


def notice_preview(
    *, kind: str, subject: str | None = None, body: str | None = None, html: str | None = None,
    channel: str = "", order_number: str = "", scope: Scope = UNRESTRICTED,
) -> dict:  # fmt: skip
    """{kind, channel, subject, body, html, context}: the draft rendered (its HTML escaped; blank
    when the e-mail is text only). With `order_number`: that order's context (404 outside the
    caller's reach), the template of its channel for the parts left out."""
    kind_check(kind)
    channel_check(channel)
    contact = order_contact_find(number=order_number, channel=channel, scope=scope) \
        if order_number else None  # fmt: skip
    channel = channel or (contact["channel"] if contact else "")
    current = notice_template_get(kind=kind, channel=channel)
    draft = NoticeTemplateSettings(
        kind=kind, subject=current.subject if subject is None else subject,
        body=current.body if body is None else body,
        html=current.html if html is None else html, channel=channel,
    )  # fmt: skip
    notice_template_check(draft)
    context = (
        order_notice_context(kind=kind, contact=contact, scope=scope)
        if contact
        else n.sample_context(kind)
    )
    return {
        "kind": kind,
        "channel": channel or None,
        "subject": " ".join(template_render(draft.subject, context).split()),
        "body": template_render(draft.body, context),
        "html": template_render(draft.html, context, html=True) if draft.html else "",
        "context": context,
    }


def notice_serialize(notice: ShippingNotice) -> dict:
    return {
        "id": notice.pk,
        "kind": notice.kind,
        "tracking_number": notice.tracking_number,
        "status": notice.status,
        "reason": notice.reason,
        "email": notice.email,
        "subject": notice.subject,
        "body": notice.body,
        "created_at": notice.created_at,
        "sent_at": notice.sent_at,
    }


def shipment_notices(*, shipment_id: int, scope: Scope = UNRESTRICTED) -> dict:
    """A shipment's customer e-mails, oldest first, if the caller reaches its fulfillment order
    (else 404, as if it did not exist)."""
    fo = fulfillment_list(scope=scope).filter(shipments__id=shipment_id).first()
    if fo is None:
        raise NotFound("shipment", shipment_id)
    notices = ShippingNotice.objects.filter(shipment_id=shipment_id).order_by("id")
    return {
        "shipment_id": shipment_id,
        "fulfillment_order_id": fo.pk,
        "order_id": fo.order_id,
        "notices": [notice_serialize(x) for x in notices],
    }
