"""Per-client rate limits whose counts every worker process shares.

The count lives in Redis when CACHE_URL points at Redis (INCR and EXPIRE in one
MULTI/EXEC), otherwise (and whenever Redis cannot be reached) in the RateLimitCounter
table, incremented by one upsert statement that also returns the new count. Never
Django's `cache.incr` on the database cache: it reads, then writes, so concurrent
requests lose counts.

Windows are fixed: the window's number (seconds since the epoch divided by the
window length) is part of the key, so a client is let through again as soon as
the next window starts, whatever clock the counter's store keeps.
"""

import functools
import ipaddress
import logging
import math
from dataclasses import dataclass
from datetime import UTC, datetime

import redis
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from intake.models import RateLimitCounter

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    retry_after: int  # seconds until the window ends


def hit(scope: str, client: str, *, limit: int, window: int) -> Verdict:
    """Count one request by `client` (see `client_key`) and say whether it is within `limit`."""
    now = timezone.now().timestamp()
    number = int(now // window)
    window_end = (number + 1) * window
    bucket = f"{scope}:{client}:{number}"
    count = _count(bucket, window_end)
    return Verdict(
        allowed=count <= limit, count=count, retry_after=max(1, math.ceil(window_end - now))
    )


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: REMOTE_ADDR, or the address our own proxy saw.

    Only when TRUST_X_FORWARDED_FOR is on (the site runs behind a proxy that
    appends to X-Forwarded-For) is the right-most entry used: entries to its
    left come from the client and can be forged.
    """
    candidates = [request.META.get("REMOTE_ADDR", "")]
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        candidates.insert(0, forwarded)
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return "unknown"


def client_key(ip: str) -> str:
    """A keyed hash of the client's network, so counters hold no IP addresses.

    An IPv6 visitor usually controls a whole /64, so that is the unit counted.
    """
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        network = ip
    else:
        prefix = 64 if address.version == 6 else 32
        network = str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))
    return salted_hmac("intake.ratelimit", network, algorithm="sha256").hexdigest()[:32]


def _count(bucket: str, window_end: float) -> int:
    cache = settings.CACHES["default"]
    if cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        return _redis_count(cache["LOCATION"], bucket, window_end)
    return _sql_count(bucket, window_end)


def _sql_count(bucket: str, window_end: float) -> int:
    """Insert the bucket at 1 or add 1 to it, returning the count: one atomic statement."""
    expires_at = datetime.fromtimestamp(window_end, tz=UTC)
    quote = connection.ops.quote_name
    table = quote(RateLimitCounter._meta.db_table)
    bucket_col, count_col, expires_col = (quote(c) for c in ("bucket", "count", "expires_at"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({bucket_col}, {count_col}, {expires_col}) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({bucket_col}) DO UPDATE SET {count_col} = {table}.{count_col} + 1 "
            f"RETURNING {count_col}",
            [bucket, connection.ops.adapt_datetimefield_value(expires_at)],
        )
        (count,) = cursor.fetchone()
    if count == 1:
        # A new window began: a good moment to drop the windows that are over.
        RateLimitCounter.objects.filter(expires_at__lt=timezone.now()).delete()
    return count


def _redis_count(location: str | list[str], bucket: str, window_end: float) -> int:
    key = caches["default"].make_key(f"ratelimit:{bucket}")
    # The key expires a little after its window; it is only garbage collection.
    ttl = max(1, math.ceil(window_end - timezone.now().timestamp()) + 60)
    try:
        pipe = _redis_client(_primary(location)).pipeline(transaction=True)
        pipe.incr(key)
        pipe.expire(key, ttl)
        count, _ = pipe.execute()
    except redis.RedisError as error:
        # A limit that opens whenever Redis is down is no limit: count in the database,
        # which every worker shares too, until Redis is back.
        logger.warning("Rate limiter: Redis unavailable (%s); counting in the database", error)
        return _sql_count(bucket, window_end)
    return int(count)


def _primary(location: str | list[str]) -> str:
    """Django's Redis LOCATION may list replicas after the primary; writes go to the first."""
    if isinstance(location, str):
        location = location.split(",")
    return location[0].strip()


@functools.cache
def _redis_client(url: str) -> redis.Redis:
    # A Redis that hangs must not hold the request: fail over to the database quickly.
    return redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
