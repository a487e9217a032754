"""The import's rules in plain Python: fields, cells, mappings, rows into orders; the export's
format (docs/transfer.md). No Django, no I/O."""
