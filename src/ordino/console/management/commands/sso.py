"""`ordino sso map|unmap|list`: which identity-provider group gives which Ordino role at a single
sign-on (docs/sso.md). Roles are the console's groups, named exactly."""

from __future__ import annotations

import getpass

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from ordino.audit.context import acting_as
from ordino.core.domain.errors import DomainError
from ordino.sso.config import sso_enabled
from ordino.sso.selectors import idp_group_mappings
from ordino.sso.services import idp_group_map, idp_group_unmap


class Command(BaseCommand):
    help = "Map identity-provider groups to Ordino roles for single sign-on."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{map,unmap,list}")
        actions.required = True
        mapping = actions.add_parser("map", help="the IdP group gives the role from now on")
        mapping.add_argument("idp_group", help="the group as the provider's groups claim names it")
        mapping.add_argument("role", help="an Ordino role (group), by its exact name")
        unmapping = actions.add_parser("unmap", help="the IdP group gives the role no more")
        unmapping.add_argument("idp_group")
        unmapping.add_argument("role", nargs="?", help="one role (default: every role)")
        actions.add_parser("list", help="the mappings, and the roles there are")

    def handle(self, *args, **options) -> None:
        try:
            with acting_as(f"cli:{getpass.getuser()}"):  # the audit's actor (docs/people.md)
                getattr(self, f"handle_{options['action']}")(options)
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def handle_map(self, options) -> None:
        mapping = idp_group_map(idp_group=options["idp_group"], role_name=options["role"])
        self.stdout.write(self.style.SUCCESS(f"Mapped {mapping.idp_group!r} → {options['role']!r}"))

    def handle_unmap(self, options) -> None:
        removed = idp_group_unmap(idp_group=options["idp_group"], role_name=options["role"])
        group = options["idp_group"]
        self.stdout.write(self.style.SUCCESS(f"Removed {removed} mapping(s) of {group!r}"))

    def handle_list(self, options) -> None:
        if not sso_enabled():
            self.stdout.write("Single sign-on is off (set ORDINO_OIDC_ISSUER and _CLIENT_ID).")
        rows = idp_group_mappings()
        if not rows:
            self.stdout.write("No IdP group is mapped: nobody can sign in with SSO.")
        width = max((len(group) for group, _ in rows), default=0)
        for group, role in rows:
            self.stdout.write(f"{group.ljust(width)}  →  {role}")
        roles = ", ".join(Group.objects.order_by("name").values_list("name", flat=True))
        self.stdout.write(f"Roles: {roles or '(none)'}")
