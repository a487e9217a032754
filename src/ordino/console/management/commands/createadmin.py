"""`ordino createadmin`: create the admin user, or give it a new password with --reset."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ordino.console.services import admin_user_ensure
from ordino.core.domain.errors import DomainError


class Command(BaseCommand):
    help = "Create the console's admin user (a random password is printed once), or --reset it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password", default=None, help="default: a random password, printed once"
        )
        parser.add_argument(
            "--reset", action="store_true", help="set a new password on an existing user"
        )

    def handle(self, *args, **options) -> None:
        username = options["username"]
        try:
            outcome = admin_user_ensure(
                username=username,
                email=options["email"],
                password=options["password"],
                reset=options["reset"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if outcome.created:
            self.stdout.write(self.style.SUCCESS(f"Created admin user {username!r}."))
        elif outcome.password is None:
            self.stdout.write(
                f"Admin user {username!r} already exists; its password is unchanged. "
                f"Set a new one with: ordino createadmin --username {username} --reset"
            )
            return
        else:
            self.stdout.write(self.style.SUCCESS(f"Reset the password of {username!r}."))
        if options["password"] is None:
            self.stdout.write(f"  username: {username}")
            self.stdout.write(f"  password: {outcome.password}   (shown once, not stored)")
