"""`ordino feeds status CODE`: a channel's feed (settings, pending SKUs, last runs);
`ordino feeds push CODE`: push every SKU's level now (a full push; `--pending` pushes only the
due delta round); `ordino feeds settings CODE [--enable|--disable] [--min-interval SECONDS]
[--batch-size N] [--reason TEXT]`: show or change its settings (docs/feeds.md)."""

from __future__ import annotations

import getpass

from django.core.management.base import BaseCommand, CommandError

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.feeds.selectors import (
    feed_channel_get,
    feed_run_serialize,
    feed_settings_of,
    feed_status,
)
from ordino.feeds.services import feed_push_delta, feed_push_full, feed_settings_set


class Command(BaseCommand):
    help = "Channel feeds of available-to-sell: status, push, settings."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{status,push,settings}")
        actions.required = True
        actions.add_parser("status", help="settings, pending SKUs, last runs").add_argument(
            "channel", help="channel code"
        )
        push = actions.add_parser("push", help="push every SKU's level now")
        push.add_argument("channel", help="channel code")
        push.add_argument("--pending", action="store_true", help="only the due delta round")
        change = actions.add_parser("settings", help="show the settings, or change some")
        change.add_argument("channel", help="channel code")
        on_off = change.add_mutually_exclusive_group()
        on_off.add_argument("--enable", action="store_true")
        on_off.add_argument("--disable", action="store_true")
        change.add_argument("--min-interval", type=int, metavar="SECONDS")
        change.add_argument("--batch-size", type=int, metavar="N")
        change.add_argument("--reason", default="", help="why (kept in the audit log)")

    def handle(self, *args, **options) -> None:
        try:
            channel = feed_channel_get(code=options["channel"])
            getattr(self, f"_{options['action']}")(channel, options)
        except DomainError as refused:
            details = "; ".join(f"{e['field']}: {e['message']}" for e in refused.errors)
            raise CommandError(details or refused.message) from None

    def _status(self, channel, options: dict) -> None:
        status = feed_status(channel=channel)
        s = status["settings"]
        state = "enabled" if s["enabled"] else "disabled"
        self.stdout.write(
            f"Feed of {status['channel']}: {state}, every {s['min_interval_seconds']} s, "
            f"batches of {s['batch_size']}"
        )
        oldest = status["oldest_pending_since"]
        since = f" (oldest since {oldest:%Y-%m-%d %H:%M:%S})" if oldest else ""
        self.stdout.write(
            f"  {status['items']} SKUs, {status['pending']} pending{since}, "
            f"{status['failing']} failing"
        )
        for run in status["runs"]:
            self.stdout.write(self._run_line(run))

    def _run_line(self, run: dict) -> str:
        error = f"  {run['error']}" if run["error"] else ""
        return (
            f"  {run['started_at']:%Y-%m-%d %H:%M:%S} {run['kind']:<5} "
            f"pushed {run['skus_pushed']}, failed {run['skus_failed']}, "
            f"settled {run['skus_settled']} in {run['batches']} batches{error}"
        )

    def _push(self, channel, options: dict) -> None:
        if options["pending"]:
            settings = feed_settings_of(channel)
            run = feed_push_delta(settings=settings, now=utcnow()) if settings.enabled else None
            if run is None:
                self.stdout.write("Nothing due: no SKU pending, or pushed within its interval.")
                return
        else:
            run = feed_push_full(channel=channel, actor=f"cli:{getpass.getuser()}")
        self.stdout.write(self._run_line(feed_run_serialize(run)))
        if run.skus_failed:
            raise CommandError(f"{run.skus_failed} SKU(s) failed; they stay pending: {run.error}")

    def _settings(self, channel, options: dict) -> None:
        current = feed_settings_of(channel)
        changes = (
            options["enable"]
            or options["disable"]
            or options["min_interval"] is not None
            or options["batch_size"] is not None
        )
        if changes:
            enabled = options["enable"] or (current.enabled and not options["disable"])
            feed_settings_set(
                channel=channel,
                enabled=enabled,
                min_interval_seconds=_given(options["min_interval"], current.min_interval_seconds),
                batch_size=_given(options["batch_size"], current.batch_size),
                reason=options["reason"],
            )
        self._status(channel, options)


def _given(value: int | None, default: int) -> int:
    return default if value is None else value
