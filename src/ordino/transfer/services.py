"""The transfer module's use cases, for its adapters (API, console, CLI): imports (now, or in
the background), saved mappings, the legacy reconciliation (docs/transfer.md)."""

from __future__ import annotations

from ordino.transfer.background import import_enqueue, import_jobs_sweep
from ordino.transfer.importing import import_mapping_save, import_run, mapping_resolve
from ordino.transfer.reconciling import (
    legacy_reconcile,
    report_as_dict,
    report_csv,
    report_text,
)

__all__ = [
    "import_enqueue",
    "import_jobs_sweep",
    "import_mapping_save",
    "import_run",
    "legacy_reconcile",
    "mapping_resolve",
    "report_as_dict",
    "report_csv",
    "report_text",
]
