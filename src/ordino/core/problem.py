"""RFC 9457 problem details: every API error is application/problem+json with a code."""

from __future__ import annotations

import json

from django.http import HttpResponse

CONTENT_TYPE = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Server error",
}


def problem_body(
    status: int, code: str, detail: str, errors: list[dict[str, str]] | None = None
) -> dict:
    body = {
        "type": f"https://ordino.dev/problems/{code}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "code": code,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return body


def problem_response(
    status: int, code: str, detail: str, errors: list[dict[str, str]] | None = None
) -> HttpResponse:
    response = HttpResponse(
        json.dumps(problem_body(status, code, detail, errors)),
        status=status,
        content_type=CONTENT_TYPE,
    )
    if status == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response
