"""Reads of the customer's shipping e-mails: the templates in force (the merchant's, else the
built-in), their preview, and a shipment's notices within the caller's reach."""

from __future__ import annotations

from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.fulfillment.selectors import fulfillment_list
from ordino.shipping.domain.notices import (
    DEFAULTS,
    KINDS,
    VARIABLES,
    NoticeTemplate,
    sample_context,
    template_limits,
)
from ordino.shipping.models import ShippingNotice, ShippingNoticeTemplate
from ordino.shipping.notices.render import template_check, template_render


def kind_check(kind: str) -> str:
    if kind not in KINDS:
        raise NotFound("notice_template", kind)
    return kind


def notice_template_get(*, kind: str) -> NoticeTemplate:
    """The template of `kind` in force: the merchant's row, else the built-in one."""
    row = ShippingNoticeTemplate.objects.filter(kind=kind_check(kind)).first()
    if row is None:
        return DEFAULTS[kind]
    return NoticeTemplate(row.kind, row.subject, row.body, row.is_active, built_in=False)


def notice_template_serialize(template: NoticeTemplate) -> dict:
    return {
        "kind": template.kind,
        "subject": template.subject,
        "body": template.body,
        "is_active": template.is_active,
        "built_in": template.built_in,
        "variables": sorted(VARIABLES),
    }


def notice_template_read(*, kind: str) -> dict:
    return notice_template_serialize(notice_template_get(kind=kind))


def notice_template_list() -> list[dict]:
    return [notice_template_read(kind=k) for k in KINDS]


def notice_preview(*, kind: str, subject: str | None = None, body: str | None = None) -> dict:
    """The template (the one in force, or the subject and body given) rendered with the sample
    context, checked as saving checks it (422 naming the field and the variable)."""
    current = notice_template_get(kind=kind)
    subject = current.subject if subject is None else subject
    body = current.body if body is None else body
    errors = template_limits(kind=kind, subject=subject, body=body, reason="")
    if errors:
        field, message = errors[0]
        raise DomainError("invalid_template", message, field=field)
    template_check(field="subject", source=subject)
    template_check(field="body", source=body)
    context = sample_context(kind)
    return {
        "kind": kind,
        "subject": " ".join(template_render(subject, context).split()),
        "body": template_render(body, context),
        "context": context,
    }


def notice_serialize(n: ShippingNotice) -> dict:
    return {
        "id": n.pk,
        "kind": n.kind,
        "tracking_number": n.tracking_number,
        "status": n.status,
        "reason": n.reason,
        "email": n.email,
        "subject": n.subject,
        "body": n.body,
        "created_at": n.created_at,
        "sent_at": n.sent_at,
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
        "notices": [notice_serialize(n) for n in notices],
    }
