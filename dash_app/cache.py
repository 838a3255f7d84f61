"""Answers kept for a few minutes, per dashboard process."""

from __future__ import annotations

import threading
import time

#: The vocabulary, the list's filters and the analyses change only with a release.
CACHE_SECONDS = 300.0


class TimedCache:
    """Answers kept for a few minutes; a failed fetch keeps nothing, so the next call retries."""

    def __init__(self, seconds: float = CACHE_SECONDS, clock=time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._kept: dict = {}
        self._lock = threading.Lock()

    def get(self, key, fetch):
        """The value kept under key while fresh, else fetch() (whose errors pass through)."""
        now = self.clock()
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None and now - kept[0] < self.seconds:
            return kept[1]
        value = fetch()
        with self._lock:
            self._kept[key] = (now, value)
        return value

    def clear(self) -> None:
        """Forget every kept answer."""
        with self._lock:
            self._kept.clear()
