"""Per-token API rate limits: requests per one-minute window, counted where every process of the
deployment sees the same count.

A fixed window with one counter per token and window: one increment per request, whatever the
limit (ninja's throttles keep and rewrite a list of timestamps per caller instead). The counters
live in
- files under the cache directory (the default, ORDINO_CACHE_URL unset or file://): one file per
  token and window, one byte appended per request, the file's size is the count. An append is
  atomic between processes, so no request is lost, and it costs a few microseconds (Django's
  file cache would rewrite and rename a file per request: ~0.2 ms, and lose concurrent counts);
- the cache otherwise (ORDINO_CACHE_URL=redis://...: one INCR, shared by several machines).
If the counters fail, requests are served, not refused.
"""

from __future__ import annotations

import logging
import math
import os
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from ordino.core.domain.errors import DomainError

WINDOW_SECONDS = 60
FILE_CACHE = "django.core.cache.backends.filebased.FileBasedCache"
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
    window = int(now // WINDOW_SECONDS)
    try:
        count = counters().increment(token_id, window)
    except Exception:  # the counters are unreachable: serve rather than refuse every caller
        log.warning("API rate limit not checked: its counters failed", exc_info=True)
        return
    if count > limit:
        raise RateLimited(limit=limit, retry_after=retry_after_seconds(now))


class FileCounters:
    """Counters of one machine: DIR/<token>.<window>, one byte per request."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def increment(self, token_id: int, window: int) -> int:
        path = self.directory / f"{token_id}.{window}"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except FileNotFoundError:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, b".")
            count = os.fstat(fd).st_size
        finally:
            os.close(fd)
        if count == 1:  # a new window: the token's older files are no longer read
            for old in (window - 1, window - 2):
                (self.directory / f"{token_id}.{old}").unlink(missing_ok=True)
        return count


class CacheCounters:
    """Counters in Django's cache (Redis: an atomic INCR)."""

    def increment(self, token_id: int, window: int) -> int:
        key = f"ordino:rate:{token_id}:{window}"
        try:
            return cache.incr(key)
        except ValueError:  # the window's first request (incr needs the key)
            if cache.add(key, 1, timeout=2 * WINDOW_SECONDS):
                return 1
            return cache.incr(key)  # another process added it just now


def counters() -> FileCounters | CacheCounters:
    default = settings.CACHES["default"]
    if default["BACKEND"] == FILE_CACHE:
        return FileCounters(Path(default["LOCATION"]) / "rate-limits")
    return CacheCounters()
