"""A carrier's public tracking page for a tracking number, for the order page and the customer's
e-mails alike. Carriers are free text in shipments ("DHL", "DHL Express", "dhl_express"), so a
name is matched by its code's start (`tracking.carrier_code`); an unknown carrier gets no link."""

from __future__ import annotations

from urllib.parse import quote

from ordino.shipping.domain.tracking import carrier_code

TRACKING_URLS = {
    "dhl": "https://www.dhl.com/global-en/home/tracking.html?tracking-id={}",
    "ups": "https://www.ups.com/track?tracknum={}",
    "fedex": "https://www.fedex.com/fedextrack/?trknbr={}",
    "usps": "https://tools.usps.com/go/TrackConfirmAction?tLabels={}",
    "dpd": "https://tracking.dpd.de/status/en_US/parcel/{}",
    "gls": "https://gls-group.com/track/{}",
    "colissimo": "https://www.laposte.fr/outils/suivre-vos-envois?code={}",
    "laposte": "https://www.laposte.fr/outils/suivre-vos-envois?code={}",
    "chronopost": "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT={}",
    "postnl": "https://postnl.nl/tracktrace/?B={}",
    "royalmail": "https://www.royalmail.com/track-your-item#/tracking-results/{}",
    "hermes": "https://www.myhermes.de/empfangen/sendungsverfolgung/?trackingId={}",
}


def tracking_url(carrier: str, tracking_number: str) -> str:
    """The carrier's tracking page for the number ("DHL Express" is DHL's); blank for a carrier
    we do not know or no number."""
    code = carrier_code(carrier)
    pattern = next((url for key, url in TRACKING_URLS.items() if code.startswith(key)), None)
    return pattern.format(quote(tracking_number, safe="")) if pattern and tracking_number else ""
