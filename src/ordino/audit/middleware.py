"""Sets the audit's actor for each request (audit/context.py): the signed-in console user; API
requests are `anonymous` until their token is known (accounts.auth sets `token:<name>`)."""

from __future__ import annotations

from ordino.audit.context import actor_reset, actor_set


class AuditActorMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        actor = "anonymous"
        if not request.path.startswith("/api/"):  # the API has no session: no query for it
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                actor = f"user:{user.get_username()}"
        token = actor_set(actor)
        try:
            return self.get_response(request)
        finally:
            actor_reset(token)
