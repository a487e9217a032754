"""`ordino connectors list|add|poll|messages|replay` (docs/connectors.md, "Command line").

Secrets never go on the command line (other users see it in the process list): `add` reads the
access token and the webhook secret from the environment variables ORDINO_CONNECTOR_ACCESS_TOKEN
and ORDINO_CONNECTOR_WEBHOOK_SECRET (or those `--token-env` / `--secret-env` name)."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from ordino.connectors import selectors, services
from ordino.connectors.platforms import PLATFORMS
from ordino.core.domain.errors import DomainError

STATUSES = ("received", "captured", "updated", "cancelled", "ignored", "failed")


class Command(BaseCommand):
    help = "Channel connectors: connections, polls, inbound messages and their replay."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{list,add,poll,messages,replay}")
        actions.required = True
        actions.add_parser("list", help="the connections")
        add = actions.add_parser("add", help="connect a channel to its shop")
        add.add_argument("channel", help="the channel's code")
        add.add_argument("platform", choices=sorted(PLATFORMS))
        add.add_argument("base_url", help="the shop's https address")
        add.add_argument("--poll-every", type=int, default=300, help="seconds; 0: never")
        add.add_argument("--token-env", default="ORDINO_CONNECTOR_ACCESS_TOKEN")
        add.add_argument("--secret-env", default="ORDINO_CONNECTOR_WEBHOOK_SECRET")
        poll = actions.add_parser("poll", help="poll a connection now")
        poll.add_argument("connection_id", type=int)
        listing = actions.add_parser("messages", help="inbound messages, newest first")
        listing.add_argument("--status", choices=STATUSES)
        listing.add_argument("--connection", type=int)
        listing.add_argument("--limit", type=int, default=50, help="at most N (default 50)")
        replay = actions.add_parser("replay", help="process stored messages again")
        replay.add_argument("message_ids", type=int, nargs="*")
        replay.add_argument("--failed", action="store_true", help="every failed message")

    def handle(self, *args, **options) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DomainError as refused:
            raise CommandError(refused.message) from None

    def _list(self, options) -> None:
        rows = list(selectors.connection_list())
        if not rows:
            self.stdout.write("No connections.")
        for c in rows:
            polled = f"{c.last_poll_at:%Y-%m-%d %H:%M}" if c.last_poll_at else "never"
            state = "active" if c.is_active else "inactive"
            self.stdout.write(
                f"{c.pk:>4}  {c.channel.code:<16} {c.platform:<12} {c.base_url:<40} {state:<8} "
                f"polled {polled} {c.last_poll_error}".rstrip()
            )

    def _add(self, options) -> None:
        values = services.ConnectionSettings(
            platform=options["platform"], base_url=options["base_url"],
            access_token=os.environ.get(options["token_env"]) or None,
            webhook_secret=os.environ.get(options["secret_env"]) or None,
            is_active=True, poll_interval_seconds=options["poll_every"],
        )  # fmt: skip
        c = services.connection_create(channel=options["channel"], values=values)
        self.stdout.write(
            f"Connection {c.pk}: {c.channel.code} → {c.platform} {c.base_url}; webhooks to "
            f"/api/v1/connectors/{c.pk}/webhooks/{c.platform}"
            + (
                ""
                if c.webhook_secret_encrypted
                else f" (no webhook secret: set {options['secret_env']})"
            )
        )

    def _poll(self, options) -> None:
        connection = selectors.connection_get(connection_id=options["connection_id"])
        result = services.connection_poll(connection=connection)
        if result.error:
            raise CommandError(f"Poll failed after {result.pulled} order(s): {result.error}")
        self.stdout.write(f"Pulled {result.pulled} order(s), {result.new} new.")

    def _messages(self, options) -> None:
        if not 1 <= options["limit"] <= 1000:
            raise CommandError("--limit is 1 to 1000.")
        rows = selectors.message_list(status=options["status"], connection_id=options["connection"])
        rows = list(rows[: options["limit"]])
        if not rows:
            self.stdout.write("No messages.")
        for m in rows:
            error = f" {m.error_path}: {m.error_message}" if m.status == "failed" else ""
            order = f" order {m.order_id}" if m.order_id else ""
            self.stdout.write(
                f"{m.pk:>6}  {m.received_at:%Y-%m-%d %H:%M}  {m.source:<7} {m.topic:<18} "
                f"{m.external_order_id:<16} {m.status}{order}{error}"
            )

    def _replay(self, options) -> None:
        ids = list(options["message_ids"])
        if options["failed"]:
            ids += list(selectors.message_list(status="failed").values_list("pk", flat=True))
        if not ids:
            raise CommandError("Name message ids, or --failed.")
        still = 0
        for message_id in sorted(set(ids)):
            message = services.message_replay(
                message=selectors.message_get(message_id=message_id), actor="cli:connectors"
            )
            still += message.status == "failed"
            self.stdout.write(f"{message.pk:>6}  {message.status}  {message.error_message}")
        if still:
            raise CommandError(f"{still} message(s) still failing.")
