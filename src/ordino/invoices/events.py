"""The facts invoices report (catalog: docs/events.md)."""

from __future__ import annotations

import dataclasses

from ordino.events.types import Event


@dataclasses.dataclass(frozen=True)
class DocumentEvent(Event):
    """An invoice or credit note: its id, its order, its number and amount (a decimal string)."""

    aggregate_type = "invoice"

    invoice_id: int
    order_id: int
    kind: str
    number: str
    total: str
    currency: str


@dataclasses.dataclass(frozen=True)
class InvoiceIssued(DocumentEvent):
    name = "invoice.issued"


@dataclasses.dataclass(frozen=True)
class CreditNoteIssued(DocumentEvent):
    name = "credit_note.issued"


@dataclasses.dataclass(frozen=True)
class InvoiceSent(DocumentEvent):
    """An invoice or credit note was e-mailed to the order's address (`email`)."""

    name = "invoice.sent"
    email: str = ""
