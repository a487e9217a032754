"""HTTP adapters of the customer's shipping e-mails (docs/shipping.md, "Customer e-mails"):

- `GET /shipping/notice-templates` (those set), `GET/PUT …/{kind}[?channel=CODE]`,
  `POST …/{kind}/preview`: the merchant's templates, each for one channel or every channel.
  Every location's customers get them: only unrestricted tokens change them (as box types);
  any `shipping:read` token reads and previews (a real order's preview: `orders:read`, within
  the token's reach, else 404);
- `GET /shipments/{id}/notices`: a shipment's e-mails, under `fulfillment:read` and the
  caller's reach (as `/shipments/{id}/tracking`).
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from ordino.core.principal import principal_of
from ordino.shipping.commands import NoticeTemplateSettings
from ordino.shipping.domain.notices import (
    BODY_MAX,
    CHANNEL_MAX,
    EMAIL_MAX,
    HTML_MAX,
    ORDER_NUMBER_MAX,
    REASON_MAX,
    SUBJECT_MAX,
)
from ordino.shipping.notices import selectors
from ordino.shipping.notices.services import notice_template_save
from ordino.shipping.schemas import Input

templates_router = Router(tags=["shipping"])
shipments_router = Router(tags=["shipping"])
TEMPLATE = "/notice-templates/{kind}"


class NoticeChannelQuery(Schema):
    channel: str = Field(
        "", max_length=CHANNEL_MAX, description="A channel's code; blank: every channel."
    )


class NoticeTemplateIn(Input):
    """The whole template (PUT): Django template language over the fixed context."""

    subject: str = Field(..., min_length=1, max_length=SUBJECT_MAX)
    body: str = Field(..., min_length=1, max_length=BODY_MAX, description="The plain text.")
    html: str = Field("", max_length=HTML_MAX, description="Blank: the e-mail is text only.")
    from_email: str = Field("", max_length=EMAIL_MAX, description="Blank: the default sender.")
    is_active: bool = True
    reason: str = Field("", max_length=REASON_MAX)


class NoticePreviewIn(Input):
    """A draft to preview; a part left out: the template in force's (the channel's)."""

    subject: str | None = Field(None, min_length=1, max_length=SUBJECT_MAX)
    body: str | None = Field(None, min_length=1, max_length=BODY_MAX)
    html: str | None = Field(None, max_length=HTML_MAX, description='"": text only.')
    channel: str = Field("", max_length=CHANNEL_MAX, description="Whose template; blank: all.")
    order_number: str = Field(
        "", max_length=ORDER_NUMBER_MAX, description="A real order's context; blank: a sample."
    )


class NoticeTemplateOut(Schema):
    kind: str
    channel: str | None
    subject: str
    body: str
    html: str
    from_email: str
    is_active: bool
    built_in: bool
    variables: list[str]


class NoticePreviewOut(Schema):
    kind: str
    channel: str | None
    subject: str
    body: str
    html: str
    context: dict


class NoticeOut(Schema):
    id: int
    kind: str
    tracking_number: str
    status: str
    reason: str
    email: str
    subject: str
    body: str
    created_at: datetime
    sent_at: datetime | None


class ShipmentNoticesOut(Schema):
    shipment_id: int
    fulfillment_order_id: int
    order_id: int
    notices: list[NoticeOut]


@templates_router.get("/notice-templates", response=list[NoticeTemplateOut],
                      summary="The customer e-mails' templates set")  # fmt: skip
def notice_template_list(request: HttpRequest):
    """Every template the merchant set, by kind, the one for every channel (`channel` null)
    before the channels' own; a kind not listed for every channel sends the built-in one."""
    principal_of(request).require("shipping:read")
    return selectors.notice_templates_set()[: selectors.TEMPLATES_LISTED]


@templates_router.get(TEMPLATE, response=NoticeTemplateOut, summary="A customer e-mail's template")
def notice_template_get(request: HttpRequest, kind: str, query: Query[NoticeChannelQuery]):
    """The template of `kind` (shipped, out_for_delivery, delivered, exception) in force for
    orders of `channel`: the channel's own, else the one for every channel (`channel` null),
    else the built-in one (`built_in`), and the variables it may use."""
    principal_of(request).require("shipping:read")
    selectors.kind_check(kind)
    return selectors.notice_template_read(kind=kind, channel=query.channel)


@templates_router.put(TEMPLATE, response={200: NoticeTemplateOut, 201: NoticeTemplateOut},
                      summary="Set a customer e-mail's template")  # fmt: skip
def notice_template_put(
    request: HttpRequest, kind: str, payload: NoticeTemplateIn, query: Query[NoticeChannelQuery]
):
    """Checked before it is kept: each part compiles, renders the sample, and uses only the
    fixed context's variables (422 `invalid_template` naming the field and the variable; the
    HTML is escaped and may not turn that off); `from_email` is an address; `channel` names an
    existing channel (404 `channel_not_found`) or is blank for every channel. 201 when it is the
    first for (kind, channel). Audited with `reason`."""
    principal = principal_of(request)
    principal.require("shipping:write")
    principal.scope.require_unrestricted("changing the customer's shipping e-mails")
    selectors.kind_check(kind)
    command = NoticeTemplateSettings(kind=kind, channel=query.channel, **payload.model_dump())
    _, created = notice_template_save(command=command, actor=f"token:{principal.token.name}")
    return Status(201 if created else 200,
                  selectors.notice_template_read(kind=kind, channel=query.channel))  # fmt: skip


@templates_router.post(f"{TEMPLATE}/preview", response=NoticePreviewOut,
                       summary="Preview a customer e-mail")  # fmt: skip
def notice_template_preview(request: HttpRequest, kind: str, payload: NoticePreviewIn):
    """The template in force (or the draft's subject, body and HTML) rendered with a sample
    order, or with the order numbered `order_number` (404 outside the caller's reach; its
    channel's template fills the parts left out): checked as saving checks it. Writes
    nothing."""
    principal = principal_of(request)
    principal.require("shipping:read")
    if payload.order_number:  # a real customer's name and parcels: what reading orders shows
        principal.require("orders:read")
    return selectors.notice_preview(kind=kind, scope=principal.scope, **payload.model_dump())


@shipments_router.get("/{int:shipment_id}/notices", response=ShipmentNoticesOut,
                      summary="A shipment's customer e-mails")  # fmt: skip
def shipment_notices(request: HttpRequest, shipment_id: int):
    """Each e-mail of the shipment and its parcels: sent (with what it said), skipped (why) or
    failed. A shipment outside the caller's reach: 404."""
    principal = principal_of(request)
    principal.require("fulfillment:read")
    return selectors.shipment_notices(shipment_id=shipment_id, scope=principal.scope)
