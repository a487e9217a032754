"""The console's Import and export pages (docs/transfer.md)."""
