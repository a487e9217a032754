"""`ordino users deactivate|reactivate|report|roles`: people (docs/people.md)."""

from __future__ import annotations

import getpass

from django.core.management.base import BaseCommand, CommandError

from ordino.accounts.people import roles_ensure, user_deactivate, user_reactivate, users_report
from ordino.audit.context import acting_as
from ordino.core.domain.errors import DomainError


class Command(BaseCommand):
    help = "Deactivate and reactivate users, print the user report, install the default roles."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(
            dest="action", metavar="{deactivate,reactivate,report,roles}"
        )
        actions.required = True
        for name, what in (("deactivate", "stop a user signing in; revoke their API tokens"),
                           ("reactivate", "let a deactivated user sign in again")):  # fmt: skip
            sub = actions.add_parser(name, help=what)
            sub.add_argument("username")
            sub.add_argument("--reason", required=True, help="recorded in the audit log")
        actions.add_parser("report", help="active users, seats, last sign-ins, role members")
        actions.add_parser("roles", help="create the default roles; add what they lack")

    def handle(self, *args, **options) -> None:
        with acting_as(f"cli:{getpass.getuser()}"):
            try:
                getattr(self, f"handle_{options['action']}")(options)
            except DomainError as exc:
                raise CommandError(exc.message) from None

    def handle_deactivate(self, options) -> None:
        user, revoked = user_deactivate(username=options["username"], reason=options["reason"])
        self.stdout.write(self.style.SUCCESS(
            f"Deactivated {user.username}; {revoked} API token(s) revoked."))  # fmt: skip

    def handle_reactivate(self, options) -> None:
        user = user_reactivate(username=options["username"], reason=options["reason"])
        self.stdout.write(self.style.SUCCESS(
            f"Reactivated {user.username}. Their revoked tokens stay revoked."))  # fmt: skip

    def handle_roles(self, options) -> None:
        made = roles_ensure()
        self.stdout.write(f"Roles made: {', '.join(made) or 'none (all there)'}.")

    def handle_report(self, options) -> None:
        report = users_report()
        seats = "not stated" if report.seats is None else str(report.seats)
        self.stdout.write(f"Active users: {report.active} of {seats} seats"
                          + ("" if report.seats_left is None else f" ({report.seats_left} left)")
                          + f"; {report.inactive} deactivated.")  # fmt: skip
        self.stdout.write(f"Never signed in: {report.never_signed_in}; "
                          f"no sign-in for 30 days: {report.idle}.")  # fmt: skip
        self.stdout.write("")
        self.stdout.write(
            f"{'user':<24} {'active':<6} {'last sign-in (UTC)':<20} roles / limited to"
        )
        for line in report.users:
            last = line.last_login.strftime("%Y-%m-%d %H:%M") if line.last_login else "never"
            limits = [f"channel {c}" for c in line.channels]
            limits += [f"location {loc}" for loc in line.locations]
            roles = ", ".join(line.roles) or ("superuser" if line.superuser else "-")
            self.stdout.write(
                f"{line.username:<24} {'yes' if line.active else 'no':<6} "
                f"{last:<20} {roles}" + (f" / {', '.join(limits)}" if limits else "")
            )
        self.stdout.write("")
        for role, members in report.roles.items():
            self.stdout.write(f"{role}: {', '.join(members)}")
