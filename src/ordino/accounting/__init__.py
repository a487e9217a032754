"""The accounting journal: double-entry postings of invoices, credit notes, captures and refunds
per day or period, for finance's accounting system (docs/accounting.md). Reads only."""
