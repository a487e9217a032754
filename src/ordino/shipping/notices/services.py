"""Use cases of the customer's shipping e-mails (docs/shipping.md, "Customer e-mails"):

- `notice_template_save`: the merchant's template of a kind for a channel (or every channel),
  checked (`checks.py`: limits, the sender, the channel, each part compiles, renders the sample,
  only the fixed context's variables) and audited with a reason;
- `shipment_notice_send`: one e-mail of a shipment (or of one of its parcels) and kind, with
  the template in force for the order's channel (text, or text and HTML as
  multipart/alternative), run by the outbox's subscribers (wiring.py) after the news
  committed. Its `ShippingNotice` row is written first, in its own transaction, under a unique
  constraint: a repeated event finds the row and sends nothing (at most once; a send that
  failed is recorded `failed`, not retried).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError

from ordino.audit.services import audit_record
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.fulfillment.selectors import fulfillment_get, shipment_read
from ordino.fulfillment.services.pickup import PICKUP_METHODS
from ordino.shipping import ports
from ordino.shipping.commands import NoticeTemplateSettings
from ordino.shipping.domain import notices as n
from ordino.shipping.models import ShippingNotice, ShippingNoticeTemplate, Tracker
from ordino.shipping.notices.checks import notice_template_check
from ordino.shipping.notices.render import template_render
from ordino.shipping.notices.selectors import kind_check, notice_context_of, notice_template_get

log = logging.getLogger(__name__)
ACTOR = "system:shipping-notices"
_AUDITED = ("subject", "body", "html", "from_email", "is_active")


def notice_template_save(
    *, command: NoticeTemplateSettings, actor: str
) -> tuple[ShippingNoticeTemplate, bool]:
    """Set the template of a kind for a channel (blank: every channel without its own), created
    when none was set for it; (row, created). Checked before anything is written (an unknown
    channel: 404 naming it); audited with the reason."""
    kind_check(command.kind)
    channel = notice_template_check(command)
    with use_case_atomic():
        row = (
            ShippingNoticeTemplate.objects.select_for_update()
            .filter(kind=command.kind, channel=channel)
            .first()
        )
        before = _audited(row) if row else None
        row = row or ShippingNoticeTemplate(kind=command.kind, channel=channel)
        row.subject, row.body, row.html = command.subject, command.body, command.html
        row.from_email, row.is_active = command.from_email, command.is_active
        row.updated_at = utcnow()
        try:
            with savepoint():
                row.save()
        except IntegrityError:  # created meanwhile by another request: nothing written
            raise DomainError(
                "notice_template_conflict",
                f"The {command.kind} template was saved meanwhile: send the change again.",
                field="kind", status=409,
            ) from None  # fmt: skip
        audit_record(
            object_type="shipping_notice_template", object_id=row.pk, label=str(row),
            action="changed" if before else "created", before=before, after=_audited(row),
            reason=command.reason, actor=actor,
        )  # fmt: skip
    return row, before is None


def _audited(row: ShippingNoticeTemplate) -> dict:
    return {"channel": row.channel.code if row.channel_id else "",
            **{f: getattr(row, f) for f in _AUDITED}}  # fmt: skip


def _claim(shipment: dict, kind: str, tracking_number: str) -> ShippingNotice | None:
    """The notice's row, written (committed) before anything is sent; None when it exists."""
    with use_case_atomic():
        try:
            with savepoint():
                return ShippingNotice.objects.create(
                    shipment_id=shipment["id"],
                    fulfillment_order_id=shipment["fulfillment_order_id"],
                    order_id=shipment["order_id"], kind=kind, tracking_number=tracking_number,
                    status=n.SENDING,
                )  # fmt: skip
        except IntegrityError:
            return None


def _why_not(template: n.NoticeTemplate, delivery_method: str, email: str) -> str:
    if not settings.ORDINO_SHIPPING_EMAIL:
        return n.TURNED_OFF
    if delivery_method in PICKUP_METHODS:
        return n.NOT_TO_CUSTOMER  # the store tells the customer when it is ready (pickup)
    if not template.is_active:
        return n.TEMPLATE_INACTIVE
    return "" if email else n.NO_EMAIL


def _message(template: n.NoticeTemplate, context: dict, to: str) -> EmailMultiAlternatives:
    """The e-mail: plain text, with the HTML alternative when the template has one."""
    subject = " ".join(template_render(template.subject, context).split())[: n.SUBJECT_MAX]
    message = EmailMultiAlternatives(
        subject, template_render(template.body, context),
        template.from_email or settings.DEFAULT_FROM_EMAIL, [to],
    )  # fmt: skip
    if template.html:
        message.attach_alternative(template_render(template.html, context, html=True), "text/html")
    return message


def shipment_notice_send(
    *, shipment_id: int, kind: str, tracking_number: str = "", status: str = "",
    status_text: str = "",
) -> ShippingNotice | None:  # fmt: skip
    """The customer's e-mail of `kind` about a shipment (tracking number blank) or one of its
    parcels: sent once, else recorded skipped with why; None when it was handled before."""
    shipment = shipment_read(shipment_id=shipment_id)
    if ShippingNotice.objects.filter(
        shipment_id=shipment_id, kind=kind, tracking_number=tracking_number
    ).exists():
        return None  # a repeated event: sent (or skipped) already
    # everything read before the row is written: after it, only the e-mail can fail
    contact = ports.order_contact(order_id=shipment["order_id"])
    fo = fulfillment_get(fo_id=shipment["fulfillment_order_id"])
    template = notice_template_get(kind=kind, channel=contact["channel"])
    skipped = _why_not(template, fo.delivery_method, contact["email"])
    context = notice_context_of(
        contact=contact, shipment=shipment, kind=kind, tracking_number=tracking_number,
        status=status, status_text=status_text,
    )  # fmt: skip
    notice = _claim(shipment, kind, tracking_number)
    if notice is None:
        return None  # the same event handled meanwhile by another relay
    notice.email = contact["email"]
    if skipped:
        return _finish(notice, n.SKIPPED, skipped)
    try:
        message = _message(template, context, notice.email)
        notice.subject, notice.body = message.subject, message.body
        message.send()
    except Exception:  # at most once: recorded, never sent again by a repeated event
        log.exception("shipping notice %s of shipment %s not sent", kind, shipment_id)
        return _finish(notice, n.FAILED, "send_error")
    return _finish(notice, n.SENT, "")


_SAID = {
    n.SENT: "sent to {email}",
    n.FAILED: "not sent: the mail server refused it",
    n.SKIPPED: "not sent: {reason}",
}
INTERRUPTED = "interrupted"  # the process stopped between the notice's row and its send
STUCK_AFTER = timedelta(hours=1)
_REASONS = {
    n.NO_EMAIL: "the order has no e-mail address",
    n.TURNED_OFF: "shipping e-mails are turned off",
    n.TEMPLATE_INACTIVE: "its template is inactive",
    n.NOT_TO_CUSTOMER: "the shipment goes to a store",
}


def shipping_notices_interrupted(*, now=None) -> int:
    """The periodic sweep: a notice still `sending` an hour after its row was written lost its
    process between the row and the send. At most once: it is not sent again, but recorded
    failed (`interrupted`) with a line on the order's timeline, so a person can tell the
    customer (docs/shipping.md, "Customer e-mails"). Answers how many."""
    now = now or utcnow()
    stuck = ShippingNotice.objects.filter(status=n.SENDING, created_at__lt=now - STUCK_AFTER)
    found = 0
    for notice in stuck.order_by("id")[:200]:
        _finish(notice, n.FAILED, INTERRUPTED)
        found += 1
    return found


def _finish(notice: ShippingNotice, status: str, reason: str) -> ShippingNotice:
    now = utcnow()
    notice.status, notice.reason = status, reason
    notice.sent_at = now if status == n.SENT else None
    what = notice.kind.replace("_", " ").capitalize()
    parcel = f" (parcel {notice.tracking_number})" if notice.tracking_number else ""
    said = _SAID[status].format(email=notice.email, reason=_REASONS.get(reason, reason))
    if reason == INTERRUPTED:
        said = "may not have been sent: its sending was interrupted (not sent again)"
    with use_case_atomic():
        notice.save()
        ports.order_timeline_add(
            order_id=notice.order_id, kind="shipping_notice",
            message=f"{what} e-mail{parcel} {said}.", actor=ACTOR,
            data={"notice_id": notice.pk, "shipment_id": notice.shipment_id, "kind": notice.kind,
                  "status": status, "reason": reason},
            now=now,
        )  # fmt: skip
    return notice


def shipment_delivered_notice(*, shipment_id: int, status_text: str = "") -> ShippingNotice | None:
    """The `delivered` e-mail once every parcel of the shipment is delivered (one e-mail per
    shipment, not per parcel); None until then, or when it was handled before."""
    statuses = set(Tracker.objects.filter(shipment_id=shipment_id).values_list("status", flat=True))
    if statuses != {"delivered"}:
        return None
    return shipment_notice_send(
        shipment_id=shipment_id, kind=n.DELIVERED, status="delivered", status_text=status_text
    )
