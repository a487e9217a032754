"""A document answered inline (a PDF, a ZPL label, a CSV): one place for the headers every
adapter that serves one sets, the API's and the console's alike."""

from __future__ import annotations

from django.http import HttpResponse

from ordino.core.domain.errors import DomainError

# An OpenAPI response whose body is a PDF.
PDF_CONTENT = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}


def document_response(body: bytes, media_type: str, filename: str) -> HttpResponse:
    """The document, shown by the browser when it can (`inline`), saved under `filename`."""
    response = HttpResponse(body, content_type=media_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def refusal_text(refused: DomainError, status: int | None = None) -> HttpResponse:
    """A console page's plain answer for a document that cannot be made: why, as text."""
    return HttpResponse(
        refused.message, status=status or refused.status, content_type="text/plain; charset=utf-8"
    )
