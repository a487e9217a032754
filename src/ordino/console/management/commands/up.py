"""`ordino up`: everything the README's first command needs, then serve.

secret key → migrate → demo data (when the database has no orders) → admin user → demo token →
URLs → serve. Without ORDINO_SECRET_KEY the demo generates a key once and keeps it in
ORDINO_DATA_DIR/secret_key (readable by its owner only), so sessions survive a restart.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ordino.console.safety import secret_key_file_ensure
from ordino.console.services import (
    DEMO_TOKEN_NAME,
    admin_user_ensure,
    bind_parse,
    demo_token_ensure,
    public_urls,
)
from ordino.console.serving import add_serve_arguments, serve_exec
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.demo.load import demo_load, demo_present
from ordino.demo.synthetic import demo_generate
from ordino.orders.models import Order


class Command(BaseCommand):
    help = "Migrate, load demo data on first run, ensure the admin user, print the URLs, serve."
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        add_serve_arguments(parser)
        parser.add_argument("--no-demo", action="store_true", help="do not load demo data")
        parser.add_argument("--no-serve", action="store_true", help="prepare everything, then exit")

    def handle(self, *args, **options) -> None:
        try:
            bind_parse(options["bind"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        out = self.stdout.write
        if secret_key_file_ensure():
            out(f"Generated a secret key in {settings.SECRET_KEY_FILE} (keep it private).")
        out("Migrating the database ...")
        call_command("migrate", interactive=False, verbosity=0)

        if options["no_demo"]:
            out("Demo data: skipped (--no-demo).")
        else:
            now = utcnow()  # "today", once: the data's dates and the load's steps follow from it
            data = demo_generate(seed=42, orders=300, now=now)
            if Order.objects.exists() or demo_present(data):
                out("Demo data: the database has data already; nothing loaded.")
            else:
                out("Loading demo data (seed 42) ...")
                report = demo_load(data, now=now, echo=out)
                out(
                    f"Demo data: {report.created['orders']} orders in {report.total_seconds:.1f} s."
                )

        admin = admin_user_ensure(username="admin")
        token = demo_token_ensure()
        urls = public_urls(options["bind"])
        rule = "=" * 72
        out(rule)
        out(f"  Console   {urls['console']}")
        if admin.created:
            out(f"            user admin, password {admin.password}")
            out("            (shown once and not stored; reset: ordino createadmin --reset)")
        else:
            out("            user admin (exists; new password: ordino createadmin --reset)")
        out(f"  API docs  {urls['api_docs']}")
        out(f"  OpenAPI   {urls['openapi']}")
        if token is not None:
            out(f"  API token {token.secret}")
            out("            (all scopes, shown once; send as 'Authorization: Bearer <token>')")
        else:
            out(
                f"  API token the {DEMO_TOKEN_NAME!r} token was printed on the first run; "
                "mint another: ordino token create --name NAME --scopes '*'"
            )
        out(rule)
        if options["no_serve"]:
            return
        serve_exec(
            bind=options["bind"],
            workers=options["workers"],
            threads=options["threads"],
            timeout=options["timeout"],
            with_worker=True,  # the one-command demo: everything in one go
        )
