"""Import and export: CSV and XLSX imports, `ordino export` / `ordino import`, reconciliation."""
