"""Store credit: a customer's account per currency and its append-only entries. Every change
goes through `credit_move`, under the account's row lock, so concurrent redemptions never
overspend (docs/payments.md, "Store credit"). Each entry has a key (what made it): a repeated
key answers the first entry, which is how the store-credit provider stays idempotent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError

from ordino.audit.services import audit_record
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.domain.money import currency_check, money_exact
from ordino.core.domain.scope import CHANGE, UNRESTRICTED, Scope
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.customers.selectors import customer_get
from ordino.events.services import event_emit
from ordino.payments import events as ev
from ordino.payments.domain.credit import ISSUES, CreditFigures, credit_apply
from ordino.payments.models import StoreCreditAccount, StoreCreditEntry
from ordino.payments.services.common import amount_text, timeline

ISSUE_MAX = Decimal(1_000_000)  # one staff issue or adjustment, in units of the currency
EXPIRY_MAX = timedelta(days=3653)  # an expiry is at most ten years away
_EVENTS = {
    "issued": ev.StoreCreditIssued,
    "goodwill": ev.StoreCreditIssued,
    "adjusted": ev.StoreCreditAdjusted,
    "held": ev.StoreCreditHeld,
    "redeemed": ev.StoreCreditRedeemed,
    "released": ev.StoreCreditReleased,
    "expired": ev.StoreCreditExpired,
}
_WORDS = {
    "issued": "issued",
    "goodwill": "given as goodwill",
    "adjusted": "taken back",
    "held": "held",
    "redeemed": "redeemed",
    "released": "released",
    "expired": "expired",
}


@dataclass(frozen=True)
class CreditMove:
    """One entry to write: `key` names what made it (once per key)."""

    kind: str
    amount: Decimal
    key: str
    order_id: int | None = None
    payment_id: int | None = None
    refund_id: int | None = None
    reason: str = ""
    actor: str = ""
    expires_at: datetime | None = None  # issued and goodwill only


def credit_account_lock(customer_id: int, currency: str, now: datetime) -> StoreCreditAccount:
    """The customer's account in `currency`, made on first use, locked (`SELECT ... FOR
    UPDATE` on PostgreSQL; SQLite serialises writers) for the rest of the transaction."""
    try:
        with savepoint():  # two first uses at once: one inserts, the other finds it
            StoreCreditAccount.objects.get_or_create(
                customer_id=customer_id,
                currency=currency,
                defaults={"created_at": now, "updated_at": now},
            )
    except IntegrityError:
        pass
    return StoreCreditAccount.objects.select_for_update().get(
        customer_id=customer_id, currency=currency
    )


def credit_move(
    *, customer_id: int, currency: str, move: CreditMove, now: datetime | None = None
) -> StoreCreditEntry:
    """Write one entry and the account's new figures, in the caller's transaction; the entry of
    a key already used is answered as it is. Refused (422 `store_credit_insufficient`) when it
    would take more than the account has."""
    now = now or utcnow()
    with use_case_atomic():
        account = credit_account_lock(customer_id, currency, now)
        done = StoreCreditEntry.objects.filter(key=move.key).first()
        if done is not None:
            return done
        amount = money_exact(move.amount, currency)
        after = credit_apply(CreditFigures(account.balance, account.held), move.kind, amount)
        StoreCreditAccount.objects.filter(pk=account.pk).update(
            balance=after.balance, held=after.held, updated_at=now
        )
        entry = StoreCreditEntry.objects.create(
            account=account, kind=move.kind, amount=amount, balance_after=after.balance,
            held_after=after.held, key=move.key[:128], order_id=move.order_id,
            payment_id=move.payment_id, refund_id=move.refund_id, reason=move.reason[:255],
            actor=move.actor[:128], created_at=now,
            expires_at=move.expires_at if move.kind in ISSUES else None,
        )  # fmt: skip
        _tell(customer_id, currency, entry, now)
        return entry


def _tell(customer_id: int, currency: str, entry: StoreCreditEntry, now: datetime) -> None:
    """The event, and the order's timeline row when the entry concerns an order."""
    event_emit(
        event=_EVENTS[entry.kind](
            customer_id=customer_id,
            currency=currency,
            amount=str(entry.amount),
            balance=str(entry.balance_after),
            held=str(entry.held_after),
            entry_id=entry.pk,
            kind=entry.kind,
            order_id=entry.order_id,
            payment_id=entry.payment_id,
            refund_id=entry.refund_id,
            reason=entry.reason,
        ),
        aggregate_id=customer_id,
        now=now,
    )
    if entry.order_id is not None:
        timeline(
            entry.order_id,
            f"store_credit_{entry.kind}",
            f"Store credit: {amount_text(entry.amount, currency)} {_WORDS[entry.kind]} "
            f"(balance {amount_text(entry.balance_after, currency)}).",
            entry.actor,
            {"entry_id": entry.pk, "amount": str(entry.amount), "kind": entry.kind},
            now,
        )


@dataclass(frozen=True)
class IssueCredit:
    """Staff give store credit (`goodwill`) or take some back (`adjustment`: never more than
    the spendable balance), always with a reason."""

    customer_id: int
    currency: str
    amount: Decimal
    reason: str
    actor: str
    kind: str = "goodwill"  # or "adjustment"
    expires_at: datetime | None = None  # goodwill only: when what is left of it expires


def credit_issue(*, command: IssueCredit, scope: Scope = UNRESTRICTED) -> StoreCreditEntry:
    """Staff's goodwill or adjustment on a customer the caller may change (else 404)."""
    with use_case_atomic():
        customer = customer_get(customer_id=command.customer_id, scope=scope, reach=CHANGE)
        currency = currency_check(command.currency)
        amount = money_exact(command.amount, currency)
        reason = command.reason.strip()
        if not 1 <= len(reason) <= 255:
            raise DomainError("reason_required", "Say why (1 to 255 characters).", field="reason")
        if not 0 < amount <= ISSUE_MAX:
            raise DomainError(
                "invalid_amount", f"An amount above 0, at most {ISSUE_MAX}.", field="amount"
            )
        if command.kind not in ("goodwill", "adjustment"):
            raise DomainError("invalid_kind", "goodwill or adjustment.", field="kind")
        now = utcnow()
        _expiry_check(command, now)
        account = credit_account_lock(customer.pk, currency, now)  # before counting: unique key
        move = CreditMove(
            kind="goodwill" if command.kind == "goodwill" else "adjusted",
            amount=amount,
            key=f"staff-{customer.pk}-{now.timestamp():.6f}-{_count(customer.pk)}",
            reason=reason,
            actor=command.actor,
            expires_at=command.expires_at,
        )
        entry = credit_move(customer_id=customer.pk, currency=currency, move=move, now=now)
        audit_record(object_type="store_credit", object_id=customer.pk, action=command.kind,
                     label=f"{customer.pk} {currency}", actor=command.actor, reason=reason,
                     before={"currency": currency, "balance": account.balance},
                     after={"currency": currency, "balance": entry.balance_after,
                            "amount": amount, "entry": entry.pk,
                            "expires_at": command.expires_at})  # fmt: skip
        return entry


def _expiry_check(command: IssueCredit, now: datetime) -> None:
    """An expiry is for credit given, timezone-aware, after now and within ten years."""
    if command.expires_at is not None and command.kind != "goodwill":
        raise DomainError("expiry_not_allowed", "Only credit given can expire.", field="expires_at")
    credit_expiry_check(command.expires_at, now)


def credit_expiry_check(at: datetime | None, now: datetime) -> None:
    """A credit's expiry (staff's goodwill, a refund to store credit): none, or a moment with
    its time zone after `now` and within ten years (422 `invalid_expiry`, field `expires_at`)."""
    if at is None:
        return
    if at.tzinfo is None or not now < at <= now + EXPIRY_MAX:
        raise DomainError(
            "invalid_expiry",
            "An expiry is a moment with its time zone, after now, within ten years.",
            field="expires_at",
        )


def _count(customer_id: int) -> int:
    """Entries of the customer so far (read under the account's lock): makes a staff entry's
    key unique without a random part."""
    return StoreCreditEntry.objects.filter(account__customer_id=customer_id).count()
