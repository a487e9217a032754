"""Store credit as a provider: Ordino's own ledger of the customer's credit
(`services/credit.py`) behind the same four calls as a card. The payment's token names the
customer (`customer:<id>`); each call's idempotency key becomes its ledger entry's key, so a
repeated call answers the first entry (never two redemptions). authorize holds credit, capture
redeems what is held, void releases it, refund issues it back (docs/payments.md)."""

from __future__ import annotations

from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint
from ordino.payments.models import PaymentTransaction
from ordino.payments.providers.base import ProviderCall, ProviderResult

TOKEN_PREFIX = "customer:"


def credit_token(customer_id: int) -> str:
    return f"{TOKEN_PREFIX}{customer_id}"


class StoreCreditProvider:
    code = "store_credit"

    def _move(self, kind: str, call: ProviderCall) -> ProviderResult:
        from ordino.payments.services.credit import CreditMove, credit_move  # services use us

        if not call.token.startswith(TOKEN_PREFIX):
            return ProviderResult("declined", message="The payment names no customer.")
        # the transaction this call sends (payments' own table): what the entry concerns
        txn = (
            PaymentTransaction.objects.select_related("payment")
            .filter(idempotency_key=call.idempotency_key)
            .first()
        )
        move = CreditMove(
            kind=kind, amount=call.amount, key=call.idempotency_key,
            order_id=txn.payment.order_id if txn else None,
            payment_id=txn.payment_id if txn else None,
            refund_id=txn.refund_id if txn else None, actor="system:payments",
        )  # fmt: skip
        try:
            with savepoint():  # a refusal undoes only this call, not a caller's transaction
                entry = credit_move(
                    customer_id=int(call.token.removeprefix(TOKEN_PREFIX)),
                    currency=call.currency,
                    move=move,
                )
        except DomainError as refused:
            return ProviderResult("declined", message=refused.message)
        return ProviderResult("succeeded", reference=call.reference or f"credit:{entry.pk}")

    def authorize(self, call: ProviderCall) -> ProviderResult:
        return self._move("held", call)

    def capture(self, call: ProviderCall) -> ProviderResult:
        return self._move("redeemed", call)

    def void(self, call: ProviderCall) -> ProviderResult:
        return self._move("released", call)

    def refund(self, call: ProviderCall) -> ProviderResult:
        return self._move("issued", call)
