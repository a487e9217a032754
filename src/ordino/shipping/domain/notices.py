"""The customer's shipping e-mails (docs/shipping.md, "Customer e-mails"), without Django: the
kinds, their built-in templates, the fixed context a template sees (each carrier's public
tracking link: `tracking_links.py`), and the limits of what a merchant types.

The templates are Django template language; compiling and rendering them is the adapter's
(`shipping/notices/render.py`): here only the data they see.
"""

from __future__ import annotations

from dataclasses import dataclass

from ordino.shipping.domain.tracking_links import tracking_url

SHIPPED = "shipped"
OUT_FOR_DELIVERY = "out_for_delivery"
DELIVERED = "delivered"
EXCEPTION = "exception"
KINDS = (SHIPPED, OUT_FOR_DELIVERY, DELIVERED, EXCEPTION)

SUBJECT_MAX = 200
BODY_MAX = 10_000
HTML_MAX = 50_000  # inline styles make HTML longer than its text
EMAIL_MAX = 254
CHANNEL_MAX = 64  # channels.Channel.code
ORDER_NUMBER_MAX = 128  # orders.Order.external_id
REASON_MAX = 255

# What a notice row says happened (ShippingNotice.status) and why one was not sent.
SENDING, SENT, SKIPPED, FAILED = "sending", "sent", "skipped", "failed"
NO_EMAIL = "no_email"
TURNED_OFF = "turned_off"
TEMPLATE_INACTIVE = "template_inactive"
NOT_TO_CUSTOMER = "not_to_customer"

# The names a template may use: anything else is refused when it is saved, naming it.
VARIABLES = {
    "order_number": "the order's number (the channel's)",
    "customer_name": "the name on the shipping address, else the customer's",
    "carrier": "the carrier, as the shipment names it",
    "service": "the carrier's service, if the shipment names one",
    "tracking_numbers": "the shipment's tracking numbers (a list)",
    "tracking_url": "the first parcel's public tracking link (blank when the carrier has none)",
    "parcels": "each parcel: tracking_number, tracking_url, status, status_label",
    "status": "the status the e-mail is about (ours: in_transit, delivered, failure, ...)",
    "status_label": "that status in words",
    "status_text": "the carrier's words for a delivery or an exception",
}

# Each carrier's public tracking page, by the code tracking uses (domain/tracking.py).


@dataclass(frozen=True)
class NoticeTemplate:
    kind: str
    subject: str
    body: str
    is_active: bool = True
    built_in: bool = False
    html: str = ""  # blank: plain text only
    channel: str = ""  # the channel's code; blank: every channel
    from_email: str = ""  # blank: the default sender


_SIGN = "\n\nThank you for your order.\n"
_LINKS = (
    "{% for parcel in parcels %}- {{ parcel.tracking_number }}"
    "{% if parcel.tracking_url %}: {{ parcel.tracking_url }}{% endif %}\n{% endfor %}"
)
DEFAULTS = {
    SHIPPED: NoticeTemplate(
        SHIPPED,
        "Your order {{ order_number }} has shipped",
        "Hello {{ customer_name|default:'there' }},\n\nYour order {{ order_number }} is on its "
        "way with {{ carrier }}{% if service %} ({{ service }}){% endif %}.\n\nTrack it:\n"
        + _LINKS
        + _SIGN,
        built_in=True,
    ),
    OUT_FOR_DELIVERY: NoticeTemplate(
        OUT_FOR_DELIVERY,
        "Your order {{ order_number }} is out for delivery",
        "Hello {{ customer_name|default:'there' }},\n\nA parcel of your order {{ order_number }} "
        "is out for delivery with {{ carrier }} today.\n\nTrack it:\n" + _LINKS + _SIGN,
        built_in=True,
    ),
    DELIVERED: NoticeTemplate(
        DELIVERED,
        "Your order {{ order_number }} was delivered",
        "Hello {{ customer_name|default:'there' }},\n\nYour order {{ order_number }} was "
        "delivered by {{ carrier }}.{% if status_text %} {{ status_text }}{% endif %}" + _SIGN,
        built_in=True,
    ),
    EXCEPTION: NoticeTemplate(
        EXCEPTION,
        "A problem with the delivery of your order {{ order_number }}",
        "Hello {{ customer_name|default:'there' }},\n\n{{ carrier }} reports a problem with a "
        "parcel of your order {{ order_number }}: {{ status_label }}."
        "{% if status_text %}\n{{ status_text }}{% endif %}\n\nWe are looking into it. Track "
        "it:\n" + _LINKS + _SIGN,
        built_in=True,
    ),
}

# The built-in HTML versions: inline styles (mail clients drop style sheets), the tracking
# link as a button. Rendered with autoescape on (shipping/notices/render.py).
_HTML_HEAD = (
    '<!DOCTYPE html><html><body style="margin:0;padding:24px;background:#f4f4f5;'
    'font-family:Helvetica,Arial,sans-serif;color:#18181b">'
    '<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;'
    'padding:24px;line-height:1.5">'
    "<p>Hello {{ customer_name|default:'there' }},</p>"
)
_HTML_FOOT = "<p>Thank you for your order.</p></div></body></html>"
_HTML_BUTTON = (
    '{% if tracking_url %}<p style="margin:24px 0"><a href="{{ tracking_url }}" '
    'style="background:#2563eb;color:#ffffff;padding:12px 20px;border-radius:6px;'
    'text-decoration:none;display:inline-block">Track your parcel</a></p>{% endif %}'
)
_HTML_LINKS = (
    '<ul style="padding-left:20px">{% for parcel in parcels %}<li>'
    '{% if parcel.tracking_url %}<a href="{{ parcel.tracking_url }}" style="color:#2563eb">'
    "{{ parcel.tracking_number }}</a>{% else %}{{ parcel.tracking_number }}{% endif %}</li>"
    "{% endfor %}</ul>"
)
HTML_DEFAULTS = {
    SHIPPED: _HTML_HEAD
    + "<p>Your order <strong>{{ order_number }}</strong> is on its way with {{ carrier }}"
    "{% if service %} ({{ service }}){% endif %}.</p>" + _HTML_BUTTON + _HTML_LINKS + _HTML_FOOT,
    OUT_FOR_DELIVERY: _HTML_HEAD
    + "<p>A parcel of your order <strong>{{ order_number }}</strong> is out for delivery with "
    "{{ carrier }} today.</p>" + _HTML_BUTTON + _HTML_LINKS + _HTML_FOOT,
    DELIVERED: _HTML_HEAD
    + "<p>Your order <strong>{{ order_number }}</strong> was delivered by {{ carrier }}.</p>"
    "{% if status_text %}<p>{{ status_text }}</p>{% endif %}" + _HTML_FOOT,
    EXCEPTION: _HTML_HEAD
    + "<p>{{ carrier }} reports a problem with a parcel of your order <strong>"
    "{{ order_number }}</strong>: {{ status_label }}.</p>"
    "{% if status_text %}<p>{{ status_text }}</p>{% endif %}<p>We are looking into it.</p>"
    + _HTML_BUTTON
    + _HTML_LINKS
    + _HTML_FOOT,
}
DEFAULTS = {
    kind: NoticeTemplate(t.kind, t.subject, t.body, built_in=True, html=HTML_DEFAULTS[kind])
    for kind, t in DEFAULTS.items()
}


@dataclass(frozen=True)
class Parcel:
    tracking_number: str
    status: str = ""
    status_label: str = ""


def notice_context(
    *, order_number: str, customer_name: str, carrier: str, service: str,
    parcels: list[Parcel], status: str, status_label: str, status_text: str = "",
) -> dict:  # fmt: skip
    """The fixed context every template renders with."""
    shown = [
        {
            "tracking_number": p.tracking_number,
            "tracking_url": tracking_url(carrier, p.tracking_number),
            "status": p.status,
            "status_label": p.status_label,
        }
        for p in parcels
    ]
    return {
        "order_number": order_number,
        "customer_name": customer_name,
        "carrier": carrier,
        "service": service,
        "tracking_numbers": [p.tracking_number for p in parcels],
        "tracking_url": shown[0]["tracking_url"] if shown else "",
        "parcels": shown,
        "status": status,
        "status_label": status_label,
        "status_text": status_text,
    }


_SAMPLE_STATUS = {
    SHIPPED: ("in_transit", "In transit", ""),
    OUT_FOR_DELIVERY: ("out_for_delivery", "Out for delivery", ""),
    DELIVERED: ("delivered", "Delivered", "Left with a neighbour at number 12."),
    EXCEPTION: ("failure", "Delivery failed", "Address not found."),
}


def sample_context(kind: str) -> dict:
    """What a preview and the check on saving render: every variable with a plausible value."""
    status, label, text = _SAMPLE_STATUS[kind]
    return notice_context(
        order_number="1001", customer_name="Ada Lovelace", carrier="DHL", service="Express",
        parcels=[Parcel("JD014600006281230704", status, label), Parcel("JD014600006281230705",
                                                                       status, label)],
        status=status, status_label=label, status_text=text,
    )  # fmt: skip


def template_limits(
    *, kind: str, subject: str, body: str, reason: str, html: str = "", channel: str = "",
    from_email: str = "",
) -> list[tuple[str, str]]:  # fmt: skip
    """(field, message) for each limit broken: the kind, the subject's, body's and HTML's
    lengths, the channel's code and the sender's length (its form: the adapter's check)."""
    errors = []
    if kind not in KINDS:
        errors.append(("kind", f"kind is one of {', '.join(KINDS)}."))
    if not isinstance(subject, str) or not subject.strip() or len(subject) > SUBJECT_MAX:
        errors.append(("subject", f"subject is required, at most {SUBJECT_MAX} characters."))
    elif "\n" in subject or "\r" in subject:
        errors.append(("subject", "subject is one line."))
    if not isinstance(body, str) or not body.strip() or len(body) > BODY_MAX:
        errors.append(("body", f"body is required, at most {BODY_MAX} characters."))
    if len(reason or "") > REASON_MAX:
        errors.append(("reason", f"reason: at most {REASON_MAX} characters."))
    return errors + _lengths(html=html, channel=channel, from_email=from_email)


def _lengths(*, html: str, channel: str, from_email: str) -> list[tuple[str, str]]:
    errors = []
    if not isinstance(html, str) or len(html) > HTML_MAX:
        errors.append(("html", f"html: at most {HTML_MAX} characters (blank: text only)."))
    if not isinstance(channel, str) or len(channel) > CHANNEL_MAX:
        errors.append(("channel", f"channel: a channel's code, at most {CHANNEL_MAX} characters."))
    if not isinstance(from_email, str) or len(from_email) > EMAIL_MAX:
        errors.append(("from_email", f"from_email: at most {EMAIL_MAX} characters."))
    return errors
