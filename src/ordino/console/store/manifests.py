"""A carrier's manifest of the location's day from the store screen (docs/shipping.md, "A
day's manifest"): the "Done" tab links each carrier the location handed parcels to today, and
the link answers the API's PDF or CSV for the console user's reach."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse

from ordino.accounts.staff import console_principal
from ordino.console.pages import console_view
from ordino.console.store.views import may_see
from ordino.core.documents import document_response, refusal_text
from ordino.core.domain.errors import DomainError, NotFound
from ordino.shipping.documents.selectors import (
    MANIFEST_FORMATS,
    location_day_manifest,
    manifest_render,
)
from ordino.shipping.domain.tracking import carrier_code


@console_view
def store_manifest(request: HttpRequest, location: str, carrier: str, day: str) -> HttpResponse:
    """`?format=pdf|csv`: every parcel the location handed to the carrier that UTC day. A
    location the user does not reach: 404; a user limited to some channels: 403 (the manifest
    lists every channel's parcels)."""
    may_see(request)
    fmt = request.GET.get("format", "pdf")
    if fmt not in MANIFEST_FORMATS:
        raise Http404("No such manifest format.")
    try:
        the_day = date.fromisoformat(day)
    except ValueError:
        raise Http404("No such day.") from None
    try:
        manifest = location_day_manifest(
            location=location, carrier=carrier, day=the_day,
            scope=console_principal(request).scope,
        )  # fmt: skip
    except NotFound:
        raise Http404("No such location for you.") from None
    except DomainError as refused:
        return refusal_text(refused)
    document, media_type = manifest_render(manifest, fmt)
    name = f"manifest-{manifest.location}-{carrier_code(carrier)}-{day}.{MANIFEST_FORMATS[fmt][1]}"
    return document_response(document, media_type, name)
