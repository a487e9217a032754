r"""Invoice use cases. `grep -rn "def invoice_\|def credit_note_"` lists them."""

from ordino.invoices.services.credit import CreditLineIn, credit_note_issue
from ordino.invoices.services.issue import channel_invoicing_set, invoice_issue
from ordino.invoices.services.send import invoice_send

__all__ = [
    "CreditLineIn",
    "channel_invoicing_set",
    "credit_note_issue",
    "invoice_issue",
    "invoice_send",
]
