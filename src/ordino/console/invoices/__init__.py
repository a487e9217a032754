"""The order page's invoices panel and its views: the document as HTML and PDF, resend by
e-mail (docs/invoices.md)."""
