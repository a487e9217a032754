"""`ordino shipping notices` and `ordino shipping notice-template` (docs/shipping.md, "Customer
e-mails"): the shipping command's parsers and handlers for the customer's e-mails.

    ordino shipping notices SHIPMENT_ID            (a shipment's e-mails: sent, skipped, failed)
    ordino shipping notice-template KIND [--subject S --body-file FILE] [--inactive]
        [--reason R]                 (without --subject and --body-file: print the one in force)
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from ordino.shipping.commands import NoticeTemplateSettings
from ordino.shipping.domain.notices import BODY_MAX, KINDS
from ordino.shipping.notices.selectors import notice_template_get, shipment_notices
from ordino.shipping.notices.services import notice_template_save


def notices_arguments(actions) -> None:
    listed = actions.add_parser("notices", help="a shipment's customer e-mails")
    listed.add_argument("shipment_id", type=int)
    template = actions.add_parser("notice-template", help="show or set a customer e-mail")
    template.add_argument("kind", choices=KINDS)
    template.add_argument("--subject", help="Django template language, one line")
    template.add_argument("--body-file", help="a UTF-8 text file: the body's template")
    template.add_argument("--inactive", action="store_true", help="send none of this kind")
    template.add_argument("--reason", default="", help="kept in the audit log")


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


def notice_template_run(options, actor: str) -> list[str]:
    kind = options["kind"]
    if options["subject"] is None and options["body_file"] is None:
        t = notice_template_get(kind=kind)
        state = ("built-in" if t.built_in else "set") + ("" if t.is_active else ", inactive")
        return [f"{kind} ({state})", f"Subject: {t.subject}", "", t.body]
    if options["subject"] is None or options["body_file"] is None:
        raise CommandError("Give both --subject and --body-file.")
    try:
        body = Path(options["body_file"]).read_text(encoding="utf-8")[: BODY_MAX + 1]
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"Cannot read {options['body_file']}: {exc}.") from None
    command = NoticeTemplateSettings(
        kind=kind, subject=options["subject"], body=body, is_active=not options["inactive"],
        reason=options["reason"],
    )  # fmt: skip
    _, created = notice_template_save(command=command, actor=actor)
    return [f"The {kind} template set ({'created' if created else 'changed'})."]
