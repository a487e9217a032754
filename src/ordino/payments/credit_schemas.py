"""Input and output shapes of the store credit API; inputs strict and bounded."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from ordino.core.params import Currency, IsoDateTime, amount_type
from ordino.payments.services.credit import ISSUE_MAX, IssueCredit

CreditAmount = amount_type(ISSUE_MAX)


class StoreCreditIssueIn(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)

    kind: Literal["goodwill", "adjustment"] = Field(
        "goodwill", description="goodwill: give credit; adjustment: take some back"
    )
    amount: CreditAmount = Field(..., description=f"More than 0, at most {ISSUE_MAX}")
    currency: Currency
    reason: str = Field(..., min_length=1, max_length=255)
    expires_at: IsoDateTime | None = Field(
        None,
        description="goodwill only: when what is left of this credit expires (after now, "
        "within ten years); omit: never",
    )

    def command(self, customer_id: int, actor: str) -> IssueCredit:
        return IssueCredit(
            customer_id, self.currency.upper(), self.amount, self.reason, actor, self.kind,
            self.expires_at,
        )  # fmt: skip


class StoreCreditExpiringOut(Schema):
    entry_id: int = Field(description="The issued or goodwill entry")
    amount: Decimal = Field(description="What is left of it: expires at expires_at")
    expires_at: datetime


class StoreCreditAccountOut(Schema):
    currency: str
    balance: Decimal = Field(description="Spendable")
    held: Decimal = Field(description="Set aside by store-credit payments not captured yet")
    expiring: list[StoreCreditExpiringOut] = Field(
        description="Of the balance, credit that expires, soonest first (spent first)"
    )


class StoreCreditEntryOut(Schema):
    id: int
    currency: str
    kind: str = Field(description="issued, goodwill, adjusted, held, redeemed, released, expired")
    amount: Decimal
    balance_after: Decimal
    held_after: Decimal
    order_id: int | None
    payment_id: int | None
    refund_id: int | None
    reason: str
    actor: str
    created_at: datetime
    expires_at: datetime | None = Field(
        description="issued and goodwill: when what is left of it expires (null: never)"
    )


class StoreCreditOut(Schema):
    customer_id: int
    accounts: list[StoreCreditAccountOut]
    entries: list[StoreCreditEntryOut]
    next_cursor: str | None = None
