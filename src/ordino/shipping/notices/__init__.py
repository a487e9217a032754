"""The customer's shipping e-mails (docs/shipping.md, "Customer e-mails"): the merchant's
templates (checked when saved), one notice per shipment or parcel and kind, sent at most once."""
