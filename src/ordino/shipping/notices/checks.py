"""The checks a customer e-mail's template passes before it is saved or previewed
(docs/shipping.md, "Customer e-mails"): the limits, the sender's form, the channel's existence,
and each part's template (compiles, renders the sample, only the fixed context's variables; the
HTML one escaped). A refusal is 422 `invalid_template` naming the field; an unknown channel is
404 `channel_not_found` naming `channel`."""

from __future__ import annotations

from email.utils import parseaddr

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from ordino.channels.selectors import channel_get
from ordino.core.domain.errors import DomainError, NotFound
from ordino.shipping.commands import NoticeTemplateSettings
from ordino.shipping.domain import notices as n
from ordino.shipping.notices.render import template_check


def sender_check(from_email: str) -> None:
    """A sender is an address, optionally with a name (`Shop A <shop@a.example>`), one line."""
    if not from_email:
        return
    _, address = parseaddr(from_email)
    try:
        if "\n" in from_email or "\r" in from_email or not address:
            raise ValidationError("one line")
        validate_email(address)
    except ValidationError:
        raise DomainError(
            "invalid_template", "from_email: an e-mail address, such as shop@example.com.",
            field="from_email",
        ) from None  # fmt: skip


def channel_check(channel: str):
    """The channel a template names (blank: every channel), or 404 naming the field."""
    if not channel:
        return None
    try:
        return channel_get(code=channel)
    except NotFound:
        raise NotFound("channel", channel, field="channel") from None


def notice_template_check(command: NoticeTemplateSettings):
    """Refuse (naming the field) a template that breaks a limit, names no real channel or does
    not render; answers its channel (None: every channel)."""
    errors = n.template_limits(
        kind=command.kind, subject=command.subject, body=command.body, reason=command.reason,
        html=command.html, channel=command.channel, from_email=command.from_email,
    )  # fmt: skip
    if errors:
        raise DomainError(
            "invalid_template", errors[0][1],
            errors=[{"field": f, "code": "invalid_template", "message": m} for f, m in errors],
        )  # fmt: skip
    sender_check(command.from_email)
    template_check(field="subject", source=command.subject)
    template_check(field="body", source=command.body)
    if command.html:
        template_check(field="html", source=command.html, html=True)
    return channel_check(command.channel)
