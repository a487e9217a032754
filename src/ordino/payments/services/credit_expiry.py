"""Store credit expiry: the periodic job (wiring.py `PERIODIC`) that writes off what is left of
each issued credit whose `expires_at` passed, with one append-only `expired` entry per credit
(docs/payments.md, "Store credit expiry"). Which credit is spent first and what is left of each
is the pure rule in payments/domain/credit.py (`credit_expiring`)."""

from __future__ import annotations

from datetime import datetime

from ordino.core.domain.clock import utcnow
from ordino.core.transactions import use_case_atomic
from ordino.payments.domain.credit import LotEntry, credit_expiring
from ordino.payments.models import StoreCreditAccount, StoreCreditEntry
from ordino.payments.services.credit import CreditMove, credit_account_lock, credit_move

ACTOR = "system:credit-expiry"


def credit_expire_due(now: datetime | None = None) -> int:
    """Expire every account's credit whose expiry passed by `now` (default: the clock): one
    transaction per account, under its lock. Returns the number of `expired` entries written;
    run again, it writes none (what is left of an expired credit is then zero)."""
    now = now or utcnow()
    accounts = (
        StoreCreditEntry.objects.filter(expires_at__lte=now)
        .values_list("account_id", flat=True)
        .distinct()
    )
    written = 0
    for account in StoreCreditAccount.objects.filter(pk__in=list(accounts)).order_by("pk"):
        written += _account_expire(account, now)
    return written


def _account_expire(account: StoreCreditAccount, now: datetime) -> int:
    with use_case_atomic():
        credit_account_lock(account.customer_id, account.currency, now)
        rows = StoreCreditEntry.objects.filter(account_id=account.pk).order_by("id")
        entries = [LotEntry(e.pk, e.kind, e.amount, e.expires_at, e.payment_id) for e in rows]
        due = credit_expiring(entries, now)
        for entry_id, amount in due:
            move = CreditMove(
                kind="expired",
                amount=amount,
                key=f"expired-{entry_id}-{now.timestamp():.6f}",
                reason=f"credit entry {entry_id} expired",
                actor=ACTOR,
            )
            credit_move(
                customer_id=account.customer_id, currency=account.currency, move=move, now=now
            )
        return len(due)
