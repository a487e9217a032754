"""`ordino webhooks`: outbound webhooks from the command line (docs/webhooks.md, "Command line").

ordino webhooks endpoints                       the endpoints
ordino webhooks add URL --event order.shipped   add one (prints its secret, once)
ordino webhooks disable ID --reason TEXT | enable ID | rotate ID
ordino webhooks messages ID [--state dead]      an endpoint's messages
ordino webhooks replay --message ID | --endpoint ID --from ISO --to ISO [--only-failed]
ordino webhooks send-due                        send what is due now (the worker does it too)
"""

from __future__ import annotations

import getpass
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from ordino.core.domain.errors import DomainError
from ordino.webhooks import selectors, services


def _when(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise CommandError(f"{text!r} is not an ISO 8601 date-time") from exc
    if value.tzinfo is None:
        raise CommandError(f"{text!r} needs its offset, e.g. 2026-03-01T00:00:00Z")
    return value


class Command(BaseCommand):
    help = "Outbound webhooks: endpoints, messages, replays, sending what is due."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="ACTION")
        actions.required = True
        actions.add_parser("endpoints", help="list the endpoints")
        add = actions.add_parser("add", help="add an endpoint; prints its secret once")
        add.add_argument("url")
        add.add_argument("--event", action="append", required=True, dest="events",
                         metavar="TYPE", help="an event type (repeat): docs/events.md")  # fmt: skip
        add.add_argument("--description", default="")
        disable = actions.add_parser("disable", help="stop sending to an endpoint")
        disable.add_argument("endpoint", type=int)
        disable.add_argument("--reason", required=True)
        enable = actions.add_parser("enable", help="send to it again (its waiting messages)")
        enable.add_argument("endpoint", type=int)
        rotate = actions.add_parser("rotate", help="a new secret (the old signs for 24 h)")
        rotate.add_argument("endpoint", type=int)
        messages = actions.add_parser("messages", help="an endpoint's messages, newest first")
        messages.add_argument("endpoint", type=int)
        messages.add_argument("--state", choices=["pending", "failed", "delivered", "dead"])
        messages.add_argument("--limit", type=int, default=50)
        replay = actions.add_parser("replay", help="send messages again (same webhook-id)")
        replay.add_argument("--message", type=int)
        replay.add_argument("--endpoint", type=int)
        replay.add_argument("--from", dest="since")
        replay.add_argument("--to", dest="until")
        replay.add_argument("--only-failed", action="store_true")
        replay.add_argument("--reason", default="")
        actions.add_parser("send-due", help="send every due message now")

    def handle(self, *args, **options) -> None:
        actor = f"cli:{getpass.getuser()}"
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options, actor)
        except DomainError as exc:
            problems = [str(p["message"]) for p in exc.errors] or [exc.message]
            raise CommandError(f"{exc.code}: {'; '.join(problems)}") from exc

    def _endpoints(self, options: dict, actor: str) -> None:
        for e in selectors.endpoint_list().order_by("id"):
            note = f" ({e.disabled_reason})" if e.status == "disabled" else ""
            self.stdout.write(f"{e.pk}\t{e.status}{note}\t{e.url}\t{','.join(e.event_types)}")

    def _add(self, options: dict, actor: str) -> None:
        made = services.endpoint_create(
            url=options["url"], event_types_chosen=options["events"],
            description=options["description"], actor=actor,
        )  # fmt: skip
        self.stdout.write(f"Endpoint {made.endpoint.pk} added. Its signing secret (shown once):")
        self.stdout.write(made.secret)

    def _disable(self, options: dict, actor: str) -> None:
        services.endpoint_disable(
            endpoint_id=options["endpoint"], reason=options["reason"], actor=actor
        )
        self.stdout.write(f"Endpoint {options['endpoint']} disabled.")

    def _enable(self, options: dict, actor: str) -> None:
        services.endpoint_enable(endpoint_id=options["endpoint"], actor=actor)
        self.stdout.write(f"Endpoint {options['endpoint']} enabled: its waiting messages go.")

    def _rotate(self, options: dict, actor: str) -> None:
        made = services.endpoint_secret_rotate(endpoint_id=options["endpoint"], actor=actor)
        self.stdout.write("New signing secret (shown once; the old one signs for 24 hours):")
        self.stdout.write(made.secret)

    def _messages(self, options: dict, actor: str) -> None:
        messages = selectors.message_filter(endpoint_id=options["endpoint"], state=options["state"])
        for m in messages.order_by("-id")[: max(options["limit"], 1)]:
            order = f"order {m.order_id} #{m.sequence}" if m.order_id else "-"
            self.stdout.write(
                f"{m.webhook_id}\t{m.event_type}\t{order}\t{m.state}\t{m.attempts} attempt(s)"
                f"\t{m.last_error}"
            )

    def _replay(self, options: dict, actor: str) -> None:
        if options["message"]:
            message = services.message_replay(
                message_id=options["message"], actor=actor, reason=options["reason"]
            )
            self.stdout.write(f"{message.webhook_id} replayed: {message.state}.")
            return
        if not (options["endpoint"] and options["since"] and options["until"]):
            raise CommandError("--message ID, or --endpoint ID --from ISO --to ISO")
        count = services.endpoint_messages_replay(
            endpoint_id=options["endpoint"], since=_when(options["since"]),
            until=_when(options["until"]), only_failed=options["only_failed"], actor=actor,
            reason=options["reason"],
        )  # fmt: skip
        self.stdout.write(f"{count} message(s) replayed.")

    def _send_due(self, options: dict, actor: str) -> None:
        self.stdout.write(f"{services.messages_send_due()} message(s) tried.")
