"""`ordino exchanges list [--order ID] [--limit N]`: the exchanges, newest first, one line each;
`ordino exchanges show ID`: one exchange in full — its returned units, the new lines, the
difference and where it went (a payment, a refund) (docs/returns.md, "Exchanges")."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ordino.core.domain.errors import DomainError
from ordino.returns.selectors import exchange_detail, exchange_list, exchanges_serialize


def _money(x: dict) -> str:
    c = x["currency"]
    if x["direction"] == "customer_owes":
        return f"charge {x['charge']} {c}" + (
            f" (payment {x['payment_id']})" if x["payment_id"] else ""
        )
    if x["direction"] == "merchant_owes":
        if x["refund_id"]:
            return f"refunded {x['refund_now']} {c} at once (refund {x['refund_id']})"
        return f"refund {x['refund_on_receipt']} {c} on receipt"
    return "even"


class Command(BaseCommand):
    help = "Exchanges: list them, or show one in full."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{list,show}")
        actions.required = True
        listing = actions.add_parser("list", help="the exchanges, newest first")
        listing.add_argument("--order", type=int, help="only this order's")
        listing.add_argument("--limit", type=int, default=50, help="at most N (default 50)")
        show = actions.add_parser("show", help="one exchange in full")
        show.add_argument("exchange_id", type=int, help="the exchange's (its return's) id")

    def handle(self, *args, **options) -> None:
        if options["action"] == "list":
            self._list(options["order"], options["limit"])
        else:
            try:
                self._show(exchange_detail(return_id=options["exchange_id"]))
            except DomainError as refused:
                raise CommandError(refused.message) from None

    def _list(self, order_id: int | None, limit: int) -> None:
        if not 1 <= limit <= 1000:
            raise CommandError("--limit is 1 to 1000.")
        rows = list(exchange_list(order_id=order_id).order_by("-id")[:limit])
        if not rows:
            self.stdout.write("No exchanges.")
        for x in exchanges_serialize(rows):
            self.stdout.write(
                f"{x['id']:>6}  {x['rma']['number']:<14} order {x['order_id']:<6} "
                f"{x['rma']['state']:<10} {x['difference']:>10} {x['currency']}  {_money(x)}"
            )

    def _show(self, x: dict) -> None:
        rma, c = x["rma"], x["currency"]
        out = [
            f"Exchange {x['id']} ({rma['number']}) of order {x['order_id']} "
            f"({rma['order_external_id']}), {rma['state']}, "
            f"made {x['created_at']:%Y-%m-%d %H:%M} UTC",
            f"  returned  {x['returned']} {c} (tax {x['returned_tax']})",
        ]
        out += [
            f"    line {line['line_no']} {line['sku']} × {line['quantity']}"
            f" (received {line['received']})"
            for line in rma["lines"]
        ]
        out.append(f"  new lines {x['added']} {c} (tax {x['added_tax']})")
        out += [
            f"    line {n['line_no']} {n['sku']} × {n['quantity']} {n['total']} {c}"
            for n in x["new_lines"]
        ]
        out.append(f"  difference {x['difference']} {c}: {_money(x)}")
        self.stdout.write("\n".join(out))
