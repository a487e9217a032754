"""The invoices' pure rules: document numbers, what an invoice or credit note covers, the tax
summary (docs/invoices.md)."""
