"""`ordino token create|list|revoke`: scoped API tokens. A secret is printed once, never stored."""

from __future__ import annotations

import getpass

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from ordino.accounts.models import ApiToken
from ordino.accounts.scopes import SCOPES
from ordino.accounts.services import token_create, token_revoke
from ordino.audit.context import acting_as
from ordino.core.domain.errors import DomainError


class Command(BaseCommand):
    help = "Mint, list and revoke API tokens."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{create,list,revoke}")
        actions.required = True
        create = actions.add_parser("create", help="mint a token and print its secret once")
        create.add_argument("--name", required=True)
        create.add_argument(
            "--scopes",
            required=True,
            help=f"space- or comma-separated: {' '.join(SCOPES)}; an area alone; or '*'",
        )
        create.add_argument(
            "--channel",
            dest="channels",
            action="extend",
            nargs="+",
            default=[],
            metavar="CODE",
            help="limit the token to these channels' orders (default: every channel)",
        )
        create.add_argument(
            "--location",
            dest="locations",
            action="extend",
            nargs="+",
            default=[],
            metavar="CODE",
            help="limit the token to these locations' stock (default: every location)",
        )
        create.add_argument(
            "--expires-in-days",
            type=int,
            default=None,
            metavar="N",
            help="the token answers 401 after N days (default: it never expires)",
        )
        create.add_argument(
            "--owner",
            default=None,
            metavar="USERNAME",
            help="the user the token belongs to: it does only what they may do, where they may "
            "(docs/people.md); revoked when they are deactivated",
        )
        listing = actions.add_parser("list", help="list tokens (never their secrets)")
        listing.add_argument("--all", action="store_true", help="include revoked tokens")
        revoke = actions.add_parser("revoke", help="revoke a token by id")
        revoke.add_argument("id", type=int)

    def handle(self, *args, **options) -> None:
        with acting_as(f"cli:{getpass.getuser()}"):  # the audit's actor (docs/people.md)
            getattr(self, f"handle_{options['action']}")(options)

    def handle_create(self, options) -> None:
        try:
            minted = token_create(
                name=options["name"],
                scopes=options["scopes"],
                channel_codes=options["channels"] or None,
                location_codes=options["locations"] or None,
                expires_in_days=options["expires_in_days"],
                owner=_owner(options["owner"]),
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        token = minted.token
        self.stdout.write(
            self.style.SUCCESS(f"Created token {token.pk} {token.name!r}: {' '.join(token.scopes)}")
        )
        if token.expires_at is not None:
            self.stdout.write(f"Expires {_when(token.expires_at)} UTC.")
        if token.owner is not None:
            self.stdout.write(
                f"Belongs to {token.owner.get_username()}: it does only what their roles "
                "permit, within their console access."
            )
        self.stdout.write("Secret (shown once, store it now):")
        self.stdout.write(minted.secret)

    def handle_list(self, options) -> None:
        tokens = ApiToken.objects.order_by("id").prefetch_related("channels", "locations")
        if not options["all"]:
            tokens = tokens.filter(revoked_at__isnull=True)
        rows = [
            (
                *("ID", "NAME", "PREFIX", "SCOPES", "LIMITED TO"),
                *("CREATED", "EXPIRES", "LAST USED", "REVOKED"),
            )
        ]
        for t in tokens:
            limits = [f"channel:{c.code}" for c in t.channels.all()]
            limits += [f"location:{loc.code}" for loc in t.locations.all()]
            rows.append(
                (
                    str(t.pk),
                    t.name,
                    f"{t.prefix}…",
                    "* (all)" if set(t.scopes) >= set(SCOPES) else " ".join(t.scopes),
                    " ".join(limits) or "-",
                    _when(t.created_at),
                    _when(t.expires_at),
                    _when(t.last_used_at),
                    _when(t.revoked_at),
                )
            )
        if len(rows) == 1:
            self.stdout.write(
                "No tokens. Mint one with: ordino token create --name NAME --scopes '*'"
            )
            return
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write(
                "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
            )

    def handle_revoke(self, options) -> None:
        token = ApiToken.objects.filter(pk=options["id"]).first()
        if token is None:
            raise CommandError(f"No token with id {options['id']}.")
        already = token.revoked_at is not None
        token = token_revoke(token=token)
        if already:
            self.stdout.write(f"Token {token.pk} {token.name!r} was already revoked.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Revoked token {token.pk} {token.name!r}."))


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


def _owner(username: str | None) -> User | None:
    if username is None:
        return None
    owner = User.objects.filter(username=username).first()
    if owner is None:
        raise CommandError(f"No user {username!r}.")
    return owner
