"""`ordino reports touches [--since T] [--until T] [--channel CODE]`: touches per order, as
`GET /reports/touches`; `ordino reports teams`: team membership, as `GET /reports/teams`
(docs/reports.md, docs/people.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.core.management.base import BaseCommand, CommandError

from ordino.core.domain.errors import DomainError
from ordino.reports.domain.touches import TouchStats
from ordino.reports.teams import teams_report
from ordino.reports.touches import touches_report_get


def _instant(text: str | None, option: str) -> datetime | None:
    """An ISO 8601 date-time with its offset, or a day (its UTC midnight)."""
    if text is None:
        return None
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), tzinfo=UTC)
        when = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option} is no date or date-time: {text!r}.") from None
    if when.tzinfo is None:
        raise CommandError(f"{option} needs its offset, e.g. {text}Z.")
    return when


def _pct(value) -> str:
    return "-" if value is None else f"{value * 100:.1f} %"


def _n(value) -> str:
    return "-" if value is None else str(value)


class Command(BaseCommand):
    help = "Reports: touches per order, team membership."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{touches,teams}")
        actions.required = True
        touches = actions.add_parser("touches", help="people's actions on the period's orders")
        touches.add_argument("--since", help="orders captured from (default: 30 days ago)")
        touches.add_argument("--until", help="... until, excluded (default: now)")
        touches.add_argument("--channel", help="one channel's orders")
        actions.add_parser("teams", help="each team, its lead and its members")

    def handle(self, *args, **options) -> None:
        if options["action"] == "teams":
            return self._teams()
        try:
            report = touches_report_get(
                since=_instant(options["since"], "--since"),
                until=_instant(options["until"], "--until"),
                channel_code=options["channel"],
            )
        except DomainError as refused:
            raise CommandError(refused.message) from None
        s = report.stats
        self.stdout.write(
            f"Orders captured {report.since:%Y-%m-%d %H:%M} to {report.until:%Y-%m-%d %H:%M} "
            f"UTC{f' in {report.channel}' if report.channel else ''}: {s.orders}; "
            f"touched {s.orders_touched}; zero-touch {_pct(s.zero_touch_rate)}."
        )
        self.stdout.write(f"Touches: {s.touches}; per order {self._figures(s)}.")
        self.stdout.write("")
        for c in report.per_channel:
            self.stdout.write(
                f"{c.channel:<16} {c.stats.orders:>7} orders, touched {c.stats.orders_touched:>6}, "
                f"zero-touch {_pct(c.stats.zero_touch_rate):>8}; {self._figures(c.stats)}"
            )
        self._table("kind", [(kind, n) for kind, n in report.by_kind])
        self._table(
            "who",
            [
                (
                    f"{u['actor']}" + (f" ({', '.join(u['roles'])})" if u["roles"] else ""),
                    u["touches"],
                )
                for u in report.by_user
            ],
        )
        self._table("role", [(role or "(no role)", n) for role, n in report.by_role])

    def _figures(self, s: TouchStats) -> str:
        return f"mean {_n(s.mean)}, p50 {_n(s.p50)}, p90 {_n(s.p90)}, max {_n(s.max)}"

    def _table(self, title: str, rows: list[tuple[str, int]]) -> None:
        if not rows:
            return
        self.stdout.write("")
        self.stdout.write(f"{title:<48} touches")
        for name, n in rows:
            self.stdout.write(f"{name:<48} {n:>7}")

    def _teams(self) -> None:
        lines = teams_report()
        if not lines:
            self.stdout.write("No team.")
        for t in lines:
            lead = t.lead or "none"
            if t.lead_active is False:
                lead += " (deactivated)"
            self.stdout.write(
                f"{t.team}: lead {lead}, manager {t.manager or 'none'}; "
                f"{t.active_members} of {len(t.members)} members active."
            )
            for m in t.members:
                seen = f"{m.last_login:%Y-%m-%d %H:%M}" if m.last_login else "never"
                self.stdout.write(
                    f"  {m.username:<20} {'lead' if m.lead else '':<4} "
                    f"{'active' if m.active else 'inactive':<8} last sign-in {seen:<16} "
                    f"{', '.join(m.roles) or '-'}"
                )
