"""Shipping labels: the formats they print in (`pdf.py`, `zpl.py`) and their reads
(`selectors.py`); what a label says is the pure `shipping/domain/labels.py`."""
