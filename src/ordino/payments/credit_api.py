"""HTTP adapter for store credit (mounted under /customers): a customer's balance per
currency and entries, and staff's issue or adjustment. Scope area `credit` (`credit:read`,
`credit:write`: giving credit is giving money, apart from editing a customer's contacts); a
customer outside the token's reach is 404 (docs/payments.md, "Store credit")."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from ordino.core.pagination import PageParams, paginate
from ordino.core.principal import principal_of
from ordino.payments import credit_selectors as selectors
from ordino.payments.credit_schemas import StoreCreditEntryOut, StoreCreditIssueIn, StoreCreditOut
from ordino.payments.services.credit import credit_issue

router = Router(tags=["store credit"])


@router.get(
    "/{int:customer_id}/store-credit", response=StoreCreditOut, summary="A customer's store credit"
)
def credit_get(request: HttpRequest, customer_id: int, page: Query[PageParams]):
    """The balance (spendable) and held credit per currency, and a page of the entries, oldest
    first: the balance is their sum (issued + goodwill + released − adjusted − held)."""
    principal = principal_of(request)
    principal.require("credit:read")
    view = selectors.credit_of_customer(customer_id=customer_id, scope=principal.scope)
    entries = paginate(selectors.credit_entries(customer_id=view.customer_id), page)
    return {
        "customer_id": view.customer_id,
        "accounts": [selectors.account_serialize(a) for a in view.accounts],
        "entries": [selectors.entry_serialize(e) for e in entries.items],
        "next_cursor": entries.next_cursor,
    }


@router.post(
    "/{int:customer_id}/store-credit",
    response={201: StoreCreditEntryOut},
    summary="Give or take back store credit",
)
def credit_post(request: HttpRequest, customer_id: int, payload: StoreCreditIssueIn):
    """Staff give credit (a positive amount: goodwill) or take some back (negative: never more
    than the spendable balance, 422 `store_credit_insufficient`), always with a reason."""
    principal = principal_of(request)
    principal.require("credit:write")
    entry = credit_issue(
        command=payload.command(customer_id, f"token:{principal.token.name}"),
        scope=principal.scope,
    )
    return Status(201, selectors.entry_serialize(entry))
