"""Django's Redis cache, told that it is only a cache.

Everything this site keeps in the cache can be rebuilt from the database (pages and threads
are keyed on versions stored there; flags only save work), so a Redis server that restarts,
or is gone for a while, should cost speed, not pages. Django's `RedisCache` raises on a
refused connection; this one logs it (once a minute at most) and answers as an empty cache
would: a read misses, a write is dropped, `add` says the key was free. What relies on `add`
for "only once" (the digest flag) has a ledger in the database behind it.

`CACHE_URL=redis://…` selects it (site_config/settings.py); `/healthz` asks `reachable()`.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
WARN_EVERY_SECONDS = 60


class ForgivingClient(RedisCacheClient):
    _last_warning = 0.0

    def _missing(self, operation: str, error: Exception, answer):
        now = time.monotonic()
        if now - ForgivingClient._last_warning >= WARN_EVERY_SECONDS:
            ForgivingClient._last_warning = now
            logger.warning("Cache unreachable (%s: %s); serving without it", operation, error)
        return answer

    def add(self, key, value, timeout):
        try:
            return super().add(key, value, timeout)
        except UNREACHABLE as error:
            return self._missing("add", error, True)

    def get(self, key, default):
        try:
            return super().get(key, default)
        except UNREACHABLE as error:
            return self._missing("get", error, default)

    def set(self, key, value, timeout):
        try:
            super().set(key, value, timeout)
        except UNREACHABLE as error:
            self._missing("set", error, None)

    def touch(self, key, timeout):
        try:
            return super().touch(key, timeout)
        except UNREACHABLE as error:
            return self._missing("touch", error, False)

    def delete(self, key):
        try:
            return super().delete(key)
        except UNREACHABLE as error:
            return self._missing("delete", error, False)

    def get_many(self, keys):
        try:
            return super().get_many(keys)
        except UNREACHABLE as error:
            return self._missing("get_many", error, {})

    def has_key(self, key):
        try:
            return super().has_key(key)
        except UNREACHABLE as error:
            return self._missing("has_key", error, False)

    def incr(self, key, delta):
        try:
            return super().incr(key, delta)
        except UNREACHABLE as error:
            self._missing("incr", error, None)
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)") from error

    def set_many(self, data, timeout):
        try:
            super().set_many(data, timeout)
        except UNREACHABLE as error:
            self._missing("set_many", error, None)

    def delete_many(self, keys):
        try:
            super().delete_many(keys)
        except UNREACHABLE as error:
            self._missing("delete_many", error, None)

    def clear(self):
        try:
            return super().clear()
        except UNREACHABLE as error:
            return self._missing("clear", error, False)

    def ping(self) -> bool:
        try:
            return bool(self.get_client(write=True).ping())
        except UNREACHABLE:
            return False


class ForgivingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ForgivingClient

    def reachable(self) -> bool:
        """One PING to the primary: what /healthz reports."""
        return self._cache.ping()
