"""`ordino shipping notices`, `notice-template` and `notice-preview` (docs/shipping.md,
"Customer e-mails"): the shipping command's parsers and handlers for the customer's e-mails.

    ordino shipping notices SHIPMENT_ID            (a shipment's e-mails: sent, skipped, failed)
    ordino shipping notice-template KIND [--channel CODE] [--subject S --body-file FILE
        [--html-file FILE] [--from ADDRESS] [--inactive] [--reason R]]
                                     (without --subject and --body-file: print the one in force)
    ordino shipping notice-preview KIND [--channel CODE] [--order NUMBER] [--subject S]
        [--body-file FILE] [--html-file FILE]      (a draft rendered; nothing saved)
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from ordino.shipping.commands import NoticeTemplateSettings
from ordino.shipping.domain.notices import BODY_MAX, HTML_MAX, KINDS
from ordino.shipping.notices.selectors import notice_preview, notice_template_get, shipment_notices
from ordino.shipping.notices.services import notice_template_save


def notices_arguments(actions) -> None:
    listed = actions.add_parser("notices", help="a shipment's customer e-mails")
    listed.add_argument("shipment_id", type=int)
    template = actions.add_parser("notice-template", help="show or set a customer e-mail")
    _template_arguments(template)
    template.add_argument("--from", dest="from_email", default="", help="the sender's address")
    template.add_argument("--inactive", action="store_true", help="send none of this kind")
    template.add_argument("--reason", default="", help="kept in the audit log")
    preview = actions.add_parser("notice-preview", help="render a customer e-mail's draft")
    _template_arguments(preview)
    preview.add_argument("--order", default="", help="an order's number; default: a sample")


def _template_arguments(parser) -> None:
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--channel", default="", help="a channel's code; default: every channel")
    parser.add_argument("--subject", help="Django template language, one line")
    parser.add_argument("--body-file", help="a UTF-8 text file: the plain text's template")
    parser.add_argument("--html-file", help="a UTF-8 file: the HTML's template (optional)")


def notices_lines(options) -> list[str]:
    read = shipment_notices(shipment_id=options["shipment_id"])
    if not read["notices"]:
        return [f"Shipment {options['shipment_id']}: no e-mails yet."]
    lines = []
    for n in read["notices"]:
        parcel = f" {n['tracking_number']}" if n["tracking_number"] else ""
        why = f" ({n['reason']})" if n["reason"] else ""
        to = f" to {n['email']}: {n['subject']}" if n["status"] == "sent" else ""
        lines.append(f"{n['kind']}{parcel}  {n['status']}{why}{to}")
    return lines


def _read(path: str | None, limit: int) -> str | None:
    if path is None:
        return None
    try:
        return Path(path).read_text(encoding="utf-8")[: limit + 1]
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"Cannot read {path}: {exc}.") from None


def notice_template_run(options, actor: str) -> list[str]:
    kind, channel = options["kind"], options["channel"]
    if options["subject"] is None and options["body_file"] is None:
        t = notice_template_get(kind=kind, channel=channel)
        state = ("built-in" if t.built_in else "set") + ("" if t.is_active else ", inactive")
        whose = f"channel {t.channel}" if t.channel else "every channel"
        lines = [f"{kind} ({state}, {whose})", f"Subject: {t.subject}"]
        lines += [f"From: {t.from_email}"] if t.from_email else []
        return [*lines, "", t.body] + (["", "HTML:", t.html] if t.html else [])
    if options["subject"] is None or options["body_file"] is None:
        raise CommandError("Give both --subject and --body-file.")
    command = NoticeTemplateSettings(
        kind=kind, channel=channel, subject=options["subject"],
        body=_read(options["body_file"], BODY_MAX),
        html=_read(options["html_file"], HTML_MAX) or "",
        from_email=options["from_email"], is_active=not options["inactive"],
        reason=options["reason"],
    )  # fmt: skip
    _, created = notice_template_save(command=command, actor=actor)
    whose = f" for channel {channel}" if channel else ""
    return [f"The {kind} template{whose} set ({'created' if created else 'changed'})."]


def notice_preview_run(options) -> list[str]:
    shown = notice_preview(
        kind=options["kind"], channel=options["channel"], order_number=options["order"],
        subject=options["subject"], body=_read(options["body_file"], BODY_MAX),
        html=_read(options["html_file"], HTML_MAX),
    )  # fmt: skip
    lines = [f"Subject: {shown['subject']}", "", shown["body"]]
    return lines + (["", "HTML:", shown["html"]] if shown["html"] else ["", "(text only)"])
