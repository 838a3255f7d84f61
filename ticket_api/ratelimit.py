"""Rate limits on creating tickets and messages, per client (docs/configuration.md).

Each action has rules such as "10 a minute, 50 an hour, 200 a day". Every attempt of a
client counts in a window per rule that starts with its first attempt; past a rule's limit
the API answers 429 with ``Retry-After`` (seconds until that window ends). Attempts that are
refused count too, so a script that keeps trying stays out for its longest window, while a
person who tries again once or twice barely moves the longer ones.

The counts are shared by every worker and instance: in Redis when ``CAMPUSDESK_REDIS_URL``
is set, else in the database's ``rate_limit`` table (schema step 7). When Redis does not
answer, requests are let through and the failure is logged and counted: a broken limiter
must not stop people reporting problems.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask import Flask, current_app, request

from kit.clients import client_address, client_key
from kit.problems import ApiProblem
from kit.settings import Rule, Settings
from ticket_api.db import database
from ticket_api.telemetry import RATE_LIMIT_STORE_ERRORS, RATE_LIMITED

log = logging.getLogger("campusdesk.api")
EXTENSION = "campusdesk.limiter"
#: action -> (the Settings attribute of its rules, what people call what they sent)
ACTIONS = {
    "tickets": ("ticket_limits", "new reports"),
    "messages": ("message_limits", "messages"),
}
UNIT_NAMES = {1: "second", 60: "minute", 3600: "hour", 86400: "day"}
#: Expired counters are deleted by each process at most this often (seconds).
SWEEP_EVERY = 60.0


class StoreUnavailable(Exception):
    """The shared counter store did not answer."""


def rule_text(rule: Rule) -> str:
    """(10, 60) as '10 a minute'; (3, 600) as '3 every 10 minutes'."""
    hits, seconds = rule
    if seconds in UNIT_NAMES:
        article = "an" if seconds == 3600 else "a"
        return f"{hits} {article} {UNIT_NAMES[seconds]}"
    unit = next(u for u in (86400, 3600, 60, 1) if seconds % u == 0)
    return f"{hits} every {seconds // unit} {UNIT_NAMES[unit]}s"


def wait_text(seconds: int) -> str:
    """How long to wait, as people say it: '40 seconds', '3 minutes', '2 hours'."""
    if seconds < 90:
        return "1 second" if seconds == 1 else f"{seconds} seconds"
    if seconds < 3600:
        return f"{math.ceil(seconds / 60)} minutes"
    hours = math.ceil(seconds / 3600)
    return "1 hour" if hours == 1 else f"{hours} hours"


class DatabaseStore:
    """Counters in the ``rate_limit`` table: one upsert per attempt counts every rule."""

    def __init__(self) -> None:
        self._swept = 0.0

    def hit(self, buckets: Sequence[tuple[str, int]], now_ms: int) -> dict[str, tuple[int, int]]:
        """Count one attempt in each (bucket, window seconds); bucket -> (hits, window end
        in epoch milliseconds)."""
        param = database.param
        rows = ", ".join(f"({param}, {param}, 1)" for _ in buckets)
        values = [v for bucket, seconds in buckets for v in (bucket, now_ms + seconds * 1000)]
        expired = f"rate_limit.window_end <= {param}"
        sql = (
            f"INSERT INTO rate_limit (bucket, window_end, hits) VALUES {rows} "
            "ON CONFLICT (bucket) DO UPDATE SET "
            f"hits = CASE WHEN {expired} THEN 1 ELSE rate_limit.hits + 1 END, "
            f"window_end = CASE WHEN {expired} THEN excluded.window_end "
            "ELSE rate_limit.window_end END "
            "RETURNING bucket, hits, window_end"
        )
        # One statement, committed on its own (peewee's connections autocommit): one round
        # trip to PostgreSQL, and SQLite's write lock held for the statement only.
        found = database.execute_sql(sql, [*values, now_ms, now_ms]).fetchall()
        if time.monotonic() - self._swept > SWEEP_EVERY:
            self._swept = time.monotonic()
            database.execute_sql(f"DELETE FROM rate_limit WHERE window_end <= {param}", [now_ms])
        return {bucket: (hits, window_end) for bucket, hits, window_end in found}


class RedisStore:
    """Counters in Redis: per bucket, a key that expires when its window ends, counted by one
    script call (atomic, one round trip) for every rule of an attempt."""

    PREFIX = "campusdesk:rate:"
    #: KEYS: the buckets; ARGV: their windows in milliseconds. Returns hits and milliseconds
    #: left, bucket after bucket.
    SCRIPT = """
local out = {}
for i, key in ipairs(KEYS) do
    local hits = redis.call('INCR', key)
    local left = redis.call('PTTL', key)
    if left < 0 then
        redis.call('PEXPIRE', key, ARGV[i])
        left = tonumber(ARGV[i])
    end
    out[2 * i - 1] = hits
    out[2 * i] = left
end
return out
"""

    def __init__(self, url: str) -> None:
        import redis

        self._errors = (redis.RedisError, OSError)
        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._count = self.client.register_script(self.SCRIPT)

    def hit(self, buckets: Sequence[tuple[str, int]], now_ms: int) -> dict[str, tuple[int, int]]:
        """Count one attempt in each (bucket, window seconds); bucket -> (hits, window end
        in epoch milliseconds)."""
        keys = [self.PREFIX + bucket for bucket, _ in buckets]
        windows = [seconds * 1000 for _, seconds in buckets]
        try:
            answer = self._count(keys=keys, args=windows)
        except self._errors as exc:
            raise StoreUnavailable(f"{type(exc).__name__}: {exc}") from None
        return {
            bucket: (int(answer[2 * i]), now_ms + int(answer[2 * i + 1]))
            for i, (bucket, _) in enumerate(buckets)
        }


@dataclass
class Limiter:
    """The API's rate limits: the rules of each action and where attempts are counted."""

    rules: dict[str, tuple[Rule, ...]]
    store: DatabaseStore | RedisStore
    trusted: tuple
    clock: Callable[[], float] = time.time
    _warned: float = 0.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Limiter:
        rules = {
            action: getattr(settings, name) if settings.rate_limits else ()
            for action, (name, _) in ACTIONS.items()
        }
        store = RedisStore(settings.redis_url) if settings.redis_url else DatabaseStore()
        return cls(rules, store, settings.trusted_proxies)

    def check(self, action: str) -> None:
        """Count an attempt at ``action`` by the current request's client; a 429 problem
        when it is over one of the action's rules."""
        rules = self.rules.get(action) or ()
        if not rules:
            return
        client = client_key(client_address(request.environ, self.trusted))
        now_ms = int(self.clock() * 1000)
        buckets = [(f"{action}:{seconds}:{client}", seconds) for _, seconds in rules]
        try:
            counts = self.store.hit(buckets, now_ms)
        except StoreUnavailable as exc:
            RATE_LIMIT_STORE_ERRORS.inc()
            if time.monotonic() - self._warned > SWEEP_EVERY:
                self._warned = time.monotonic()
                log.warning("rate limits not applied: the counter store failed (%s)", exc)
            return
        over = [
            (rule, counts[bucket][1])
            for rule, (bucket, _) in zip(rules, buckets)
            if counts[bucket][0] > rule[0]
        ]
        if not over:
            return
        retry_after = max(1, max(math.ceil((end - now_ms) / 1000) for _, end in over))
        rule = max(over, key=lambda item: item[1])[0]
        RATE_LIMITED.labels(action=action).inc()
        raise ApiProblem(
            429,
            f"You have sent many {ACTIONS[action][1]} in a short time (at most "
            f"{rule_text(rule)} from one address). Please try again in {wait_text(retry_after)}.",
            retry_after=retry_after,
            headers={"Retry-After": str(retry_after)},
        )


def init_app(app: Flask, settings: Settings) -> None:
    """Give the app its limiter (read by :func:`check`)."""
    app.extensions[EXTENSION] = Limiter.from_settings(settings)


def check(action: str) -> None:
    """Count an attempt at ``action`` ("tickets" or "messages") by the current client."""
    current_app.extensions[EXTENSION].check(action)
