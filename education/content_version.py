"""The content version mirrored in Redis, so serving a kept page needs no database round trip.

Every anonymous education page reads the content version (education/page_cache.py). From
the database that is a round trip, and on PostgreSQL a second one for Django's connection
health check: together they halved the throughput of a kept page. With Redis configured
(CACHE_URL), the version is also kept there, beside the shared copies (on PostgreSQL a
worker that listens for edits' notices asks neither: education/version_listener.py; Redis
answers while that connection is down):

- an edit moves the number on in the database, in its transaction, and once that commits
  (`transaction.on_commit`) the new version is written to Redis, so the next request on
  any worker or host asks for the new copy;
- a request reads the version from Redis, and only when the key is missing (first request,
  Redis restarted, key expired) from the database, then writes it back;
- a write never replaces a newer version with an older one (a script compares them in
  Redis): a request that read the database just before an edit committed cannot put the
  old version back after the edit's own write;
- the key lives at most `MAX_SECONDS`, and never past the next scheduled publication of a
  guide (a guide going live changes pages without any save), so a version that somehow
  missed its write (Redis unreachable from the editing host at that moment) is corrected
  within that time;
- while Redis is unreachable the database answers, as it does without Redis.

Reads inside a transaction always go to the database and are never shared: that
transaction may hold an edit nobody else can see yet.
"""

import logging
from weakref import WeakKeyDictionary

import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

KEY = "content-version"
MAX_SECONDS = 60

# KEYS[1]: the key. ARGV: version ("<number>-<latest publication>"), its number, its
# publication part, and the lifetime in milliseconds. Newer means a higher number, or the
# same number and a later publication (time passing makes a scheduled guide go live).
SET_IF_NEWER = """
local current = redis.call('GET', KEYS[1])
if current then
  local number, published = string.match(current, '^(%d+)-(.*)$')
  if number then
    number = tonumber(number)
    local new_number = tonumber(ARGV[2])
    if number > new_number or (number == new_number and published >= ARGV[3]) then
      return 0
    end
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[4])
return 1
"""


# One client per cache (so per worker thread and per settings), on the cache's own pool.
# Django builds a new redis.Redis for every command, which cost more of the worker's CPU
# than the GET itself (74 us against 94 us, bench/README.md): every kept page pays it.
_clients: WeakKeyDictionary[RedisCacheClient, redis.Redis] = WeakKeyDictionary()


def _store() -> tuple[redis.Redis, str] | None:
    cache = caches["pages"]
    if not isinstance(cache, RedisCache):
        return None
    key = cache.make_key(KEY)
    if (client := _clients.get(cache._cache)) is None:
        # The primary, for reads too: a replica may lag behind an edit's write.
        client = _clients[cache._cache] = cache._cache.get_client(key, write=True)
    return client, key


def is_shared() -> bool:
    return isinstance(caches["pages"], RedisCache)


def shared_version() -> str | None:
    """The version kept in Redis, or None (no Redis, no key, or Redis unreachable)."""
    if (store := _store()) is None:
        return None
    client, key = store
    try:
        value = client.get(key)
    except redis.RedisError as error:
        logger.warning("Content version: Redis unavailable (%s); reading the database", error)
        return None
    if value is None:
        return None
    return value.decode() if isinstance(value, bytes) else str(value)


def share_version(version: str, *, seconds: float) -> None:
    """Keep `version` in Redis for at most `seconds`, unless Redis holds a newer one."""
    if (store := _store()) is None:
        return
    client, key = store
    number, published = version.split("-", 1)
    milliseconds = max(1, int(min(seconds, MAX_SECONDS) * 1000))
    try:
        client.eval(SET_IF_NEWER, 1, key, version, number, published, milliseconds)
    except redis.RedisError as error:
        logger.warning("Content version: Redis unavailable (%s); not shared", error)
