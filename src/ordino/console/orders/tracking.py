"""Tracking links: a carrier's public tracking page for a tracking number. Carriers are free text
in shipments ("DHL", "dhl", "UPS"...), so they are matched by a normalised name; an unknown
carrier shows the number without a link."""

from __future__ import annotations

from urllib.parse import quote

TRACKING_URLS = {
    "dhl": "https://www.dhl.com/global-en/home/tracking.html?tracking-id={number}",
    "ups": "https://www.ups.com/track?tracknum={number}",
    "fedex": "https://www.fedex.com/fedextrack/?trknbr={number}",
    "usps": "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}",
    "dpd": "https://tracking.dpd.de/status/en_US/parcel/{number}",
    "gls": "https://gls-group.com/track/{number}",
    "colissimo": "https://www.laposte.fr/outils/suivre-vos-envois?code={number}",
    "laposte": "https://www.laposte.fr/outils/suivre-vos-envois?code={number}",
    "chronopost": "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT={number}",
    "postnl": "https://postnl.nl/tracktrace/?B={number}",
    "royalmail": "https://www.royalmail.com/track-your-item#/tracking-results/{number}",
    "hermes": "https://www.myhermes.de/empfangen/sendungsverfolgung/?trackingId={number}",
}


def tracking_url(carrier: str, number: str) -> str | None:
    """The carrier's tracking page for `number`, or None for a carrier we do not know."""
    key = "".join(ch for ch in carrier.lower() if ch.isalnum())
    template = TRACKING_URLS.get(key)
    return template.format(number=quote(number, safe="")) if template else None
