"""The console\x27s hold rule pages and the order page\x27s holds panel (docs/holds.md)."""
