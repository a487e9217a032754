"""`ordino serve`: the production HTTP server (gunicorn), never Django's development server."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ordino.console.safety import secret_key_problem
from ordino.console.serving import add_serve_arguments, serve_exec


class Command(BaseCommand):
    help = "Serve Ordino with gunicorn (N worker processes; access log on stdout)."
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        add_serve_arguments(parser)

    def handle(self, *args, **options) -> None:
        problem = secret_key_problem()
        if problem is not None:
            raise CommandError(problem)
        self.stdout.write(
            f"Serving Ordino on http://{options['bind']}/ with {options['workers']} worker(s)."
        )
        serve_exec(
            bind=options["bind"],
            workers=options["workers"],
            threads=options["threads"],
            timeout=options["timeout"],
            with_worker=options["with_worker"],
        )
