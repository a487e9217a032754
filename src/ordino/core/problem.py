"""RFC 9457 problem details: every API error is application/problem+json with a code."""

from __future__ import annotations

import json

from django.http import HttpResponse

# An OpenAPI response whose body is a problem (components/schemas/Problem, api.py).
PROBLEM_CONTENT = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}

CONTENT_TYPE = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    408: "Request timeout",
    409: "Conflict",
    411: "Length required",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Server error",
    503: "Service unavailable",
}
# The code of an error answer that no handler of ours wrote (Django's or ninja's own pages).
CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    409: "conflict",
    411: "length_required",
    413: "body_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}
# Headers an error answer keeps when it is rewritten as a problem.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def problem_body(
    status: int,
    code: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    extensions: dict | None = None,
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
    return {**body, **(extensions or {})}  # RFC 9457 extension members, e.g. `existing`


def problem_response(
    status: int,
    code: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    extensions: dict | None = None,
) -> HttpResponse:
    response = HttpResponse(
        json.dumps(problem_body(status, code, detail, errors, extensions)),
        status=status,
        content_type=CONTENT_TYPE,
    )
    if status == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response


def is_problem(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() == CONTENT_TYPE


def problem_of(response: HttpResponse) -> HttpResponse:
    """An error answer that is not problem+json (Django's HTML 400/500 pages, a bare 405) as
    the problem of its status, keeping the headers that tell the client what to do next."""
    status = response.status_code
    code = CODES.get(status, "http_error")
    detail = {
        405: "This endpoint does not answer this method; see the Allow header.",
        500: "The server failed to answer this request; it was logged.",
    }.get(status, f"{TITLES.get(status, 'Error')}.")
    problem = problem_response(status, code, detail)
    for header in KEPT_HEADERS:
        if header in response:
            problem[header] = response[header]
    return problem
