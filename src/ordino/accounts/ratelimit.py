"""Per-token API rate limits: requests per one-minute window, counted in the shared cache.

A fixed window with one counter per token (one increment per request) rather than a list of
timestamps per token (what ninja's throttles keep and rewrite on every request): the counter
costs the same at any limit. The cache is ORDINO_CACHE_URL, shared by every process of a
deployment (Redis for several machines). If the cache fails, requests are served, not refused.
"""

from __future__ import annotations

import logging
import math

from django.core.cache import cache

from ordino.core.domain.errors import DomainError

WINDOW_SECONDS = 60
log = logging.getLogger(__name__)


class RateLimited(DomainError):
    status = 429

    def __init__(self, *, limit: int, retry_after: int) -> None:
        super().__init__(
            "rate_limited",
            f"This token sent more than {limit} requests this minute; retry after {retry_after} s.",
        )
        self.retry_after = retry_after


def retry_after_seconds(now: float) -> int:
    """Whole seconds until the next window opens (at least 1)."""
    return max(1, math.ceil(WINDOW_SECONDS - now % WINDOW_SECONDS))


def rate_limit_check(*, token_id: int, limit: int, now: float) -> None:
    """Count this request of `token_id`; RateLimited past `limit` per window (0: no limit)."""
    if limit <= 0:
        return
    key = f"ordino:rate:{token_id}:{int(now // WINDOW_SECONDS)}"
    try:
        count = _increment(key)
    except Exception:  # the cache is down: serve rather than refuse every caller
        log.warning("API rate limit not checked: the cache failed", exc_info=True)
        return
    if count > limit:
        raise RateLimited(limit=limit, retry_after=retry_after_seconds(now))


def _increment(key: str) -> int:
    try:
        return cache.incr(key)
    except ValueError:  # the window's first request (incr needs the key)
        if cache.add(key, 1, timeout=2 * WINDOW_SECONDS):
            return 1
        return cache.incr(key)  # another process added it just now
