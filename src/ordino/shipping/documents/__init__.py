"""Paper for a location's shipping desk, as PDF (and CSV): a fulfillment order's packing slip
and a carrier's day manifest (docs/shipping.md, "Packing slips", "A day's manifest"). What
they say is pure (`shipping/domain/slips.py`, `domain/manifests.py`); here they are read
(`selectors.py`) and drawn (`sheet.py`, `slip_pdf.py`, `manifest_formats.py`)."""
