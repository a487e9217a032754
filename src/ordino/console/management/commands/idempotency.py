"""`ordino idempotency purge`: forget Idempotency-Keys older than the retention period."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ordino.accounts.idempotency import idempotency_purge

MINIMUM_HOURS = 24  # the API promises to remember a key at least this long


class Command(BaseCommand):
    help = "Delete remembered Idempotency-Keys older than --older-than-hours (default: the TTL)."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{purge}")
        actions.required = True
        purge = actions.add_parser("purge", help="delete expired keys")
        purge.add_argument(
            "--older-than-hours",
            type=int,
            default=None,
            help=f"default ORDINO_IDEMPOTENCY_TTL_HOURS ({settings.ORDINO_IDEMPOTENCY_TTL_HOURS})",
        )

    def handle(self, *args, **options) -> None:
        hours = options["older_than_hours"] or settings.ORDINO_IDEMPOTENCY_TTL_HOURS
        if hours < MINIMUM_HOURS:
            raise CommandError(f"Keys are kept at least {MINIMUM_HOURS} hours; got {hours}.")
        deleted = idempotency_purge(older_than_hours=hours)
        self.stdout.write(f"Purged {deleted} idempotency key(s) older than {hours} hours.")
