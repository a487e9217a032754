"""The edge of every API request: bounded bodies, and every answer problem+json — whatever layer
refused the request or failed.

The outermost middleware: it refuses a body over the limit before anything reads it, refuses a
query parameter given more than once (every parameter of the API holds one value; otherwise the
last would silently win), turns the
error pages of Django and ninja (HTML 400, a bare 405, HTML 500) into problems, and answers an
unexpected exception as a 500 `server_error` without internals, logged once with its traceback.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.http import HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError

from ordino.core.problem import is_problem, problem_of, problem_response

API_PREFIX = "/api/"
FEED_PATH = "/api/v1/inventory/feeds"
# Endpoints whose body is a file: the feed's limit (each bounds its file further itself).
FILE_PATHS = (FEED_PATH, "/api/v1/transfer/imports", "/api/v1/transfer/reconcile")
# a carrier service's zone table or rate sheet (docs/shipping.md, "The API")
FILE_PATH_PATTERN = re.compile(r"^/api/v1/shipping/services/[^/]+/[^/]+/(zones|rates)$")
logger = logging.getLogger("ordino.api")


def body_limit(path: str) -> int:
    """The most bytes a request body to `path` may have: stock feeds are files, the rest JSON."""
    if path.rstrip("/") in FILE_PATHS or FILE_PATH_PATTERN.match(path):
        return settings.ORDINO_API_MAX_FEED_BYTES
    return settings.ORDINO_API_MAX_BODY_BYTES


def body_too_large(limit: int) -> HttpResponse:
    message = f"The request body may have at most {limit} bytes."
    return problem_response(
        413,
        "body_too_large",
        message,
        errors=[{"field": "body", "code": "body_too_large", "message": message}],
    )


def parameters_repeated(names: list[str]) -> HttpResponse:
    return problem_response(
        422,
        "validation_error",
        "The request has invalid fields.",
        errors=[
            {"field": name, "code": "repeated", "message": "Give this parameter once."}
            for name in names
        ],
    )


def _declared_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


class ApiEdgeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        length = _declared_length(request)
        if length is None:
            return problem_response(
                400,
                "invalid_content_length",
                "Content-Length is not a number of bytes.",
                errors=[{"field": "Content-Length", "code": "invalid", "message": "not a number"}],
            )
        limit = body_limit(request.path)
        if length > limit:
            return body_too_large(limit)
        repeated = [name for name, values in request.GET.lists() if len(values) > 1]
        if repeated:
            return parameters_repeated(repeated)
        response = self.get_response(request)
        if response.status_code >= 400 and not is_problem(response):
            response = problem_of(response)
            response._has_been_logged = True  # Django logged the page it replaces
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX):
            return None
        response = answer_for(request, exception)
        if response.status_code >= 500:
            logger.error("Server error: %s %s", request.method, request.path, exc_info=exception)
            response._has_been_logged = True  # once, with its traceback: not again by Django
        return response


def answer_for(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The problem for an exception no handler of the API caught."""
    if isinstance(exception, RequestDataTooBig):
        return body_too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if isinstance(exception, MultiPartParserError):
        message = f"The multipart/form-data body cannot be read: {exception}."
        return problem_response(
            400,
            "malformed_multipart",
            message,
            errors=[{"field": "Content-Type", "code": "malformed_multipart", "message": message}],
        )
    if isinstance(exception, UnreadablePostError):
        if _timed_out(exception):  # see ordino.console.gunicorn_worker
            return problem_response(
                408, "request_timeout", "The request body did not arrive in time."
            )
        return problem_response(400, "body_incomplete", "The request body could not be read.")
    if isinstance(exception, (SuspiciousOperation, BadRequest)):  # e.g. too many form fields
        return problem_response(400, "bad_request", "The request cannot be read.")
    if isinstance(exception, PermissionDenied):
        return problem_response(403, "forbidden", "Forbidden.")
    return problem_response(500, "server_error", "The server failed to answer this request.")


def _timed_out(exception: BaseException) -> bool:
    """Whether a read failed because the client fell silent (Django wraps the socket's timeout
    once or twice)."""
    while exception is not None:
        if isinstance(exception, TimeoutError):
            return True
        exception = exception.__cause__
    return False
