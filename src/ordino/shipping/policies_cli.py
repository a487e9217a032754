"""`ordino shipping policy|policies` (docs/shipping.md, "Policies per channel"): the channels'
shipping policies' command-line adapter, parsed and run for `management/commands/shipping.py`."""

from __future__ import annotations

from django.core.management.base import CommandError

from ordino.shipping.channel_policies import (
    DEFAULT,
    channel_policy_list,
    channel_policy_remove,
    channel_policy_set,
)
from ordino.shipping.domain.policy import POLICIES

ACTIONS = ("policy", "policies")


def parsers(actions) -> None:
    policy = actions.add_parser("policy", help="set or remove a channel's shipping policy")
    policy.add_argument("channel")
    policy.add_argument("policy", nargs="?", choices=POLICIES)
    policy.add_argument("--remove", action="store_true", help=f"back to {DEFAULT}")
    policy.add_argument(
        "--promise-service", default="", help="carrier:code Ordino promises the orders by"
    )
    policy.add_argument("--reason", default="")
    actions.add_parser("policies", help="list the channels' shipping policies")


def run(out, options, actor: str) -> None:
    if options["action"] == "policies":
        for row in channel_policy_list():
            promise = f"  promises by {row.promise_service}" if row.promise_service else ""
            out.write(f"{row.channel.code:<16} {row.policy}{promise}")
        return
    channel, reason = options["channel"], options["reason"]
    if options["remove"]:
        channel_policy_remove(channel=channel, actor=actor, reason=reason)
        out.write(f"{channel}: back to {DEFAULT}.")
        return
    if not options["policy"]:
        raise CommandError("Name the policy, or --remove.")
    row, created = channel_policy_set(
        channel=channel,
        policy=options["policy"],
        promise_service=options["promise_service"],
        actor=actor,
        reason=reason,
    )
    out.write(f"{channel}: {row.policy}{' (new)' if created else ''}.")
