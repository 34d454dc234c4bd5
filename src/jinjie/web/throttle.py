"""Login throttling: after repeated failures for one username from one address, refuse for a while.

Counted per (username, IP) so that a colleague mistyping elsewhere does not lock a user out, and a
guesser trying many names from one machine meets the limit per name. Kept in Django's cache: with
the default local-memory cache the count is per process (gunicorn workers each count), which
still bounds guessing to `workers × LIMIT` tries per window; a shared cache (Redis, database) makes
it exact.
"""

import hashlib
import time

from django.core.cache import cache

LIMIT = 5  # failures …
WINDOW = 15 * 60  # … within this many seconds …
LOCKOUT = 15 * 60  # … lock the pair for this many seconds
LOCKED_MESSAGE = "登录失败次数过多，该账号在本机已被暂时锁定，请 {minutes} 分钟后再试。"


def now() -> float:
    return time.time()


def _key(kind: str, username: str, ip: str) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}\x00{ip}".encode()).hexdigest()[:32]
    return f"jinjie:login:{kind}:{digest}"


def locked_for(username: str, ip: str) -> int:
    """Seconds left of a lock on this pair, 0 if none."""
    until = cache.get(_key("lock", username, ip))
    if until is None:
        return 0
    return max(0, int(until - now() + 0.999))


def record_failure(username: str, ip: str) -> bool:
    """Count a failed login; True when this failure locks the pair."""
    t = now()
    key = _key("fail", username, ip)
    failures = [f for f in cache.get(key, []) if f > t - WINDOW]
    failures.append(t)
    if len(failures) >= LIMIT:
        cache.set(_key("lock", username, ip), t + LOCKOUT, LOCKOUT)
        cache.delete(key)
        return True
    cache.set(key, failures, WINDOW)
    return False


def clear(username: str, ip: str) -> None:
    cache.delete_many([_key("fail", username, ip), _key("lock", username, ip)])


def locked_message(seconds: int) -> str:
    return LOCKED_MESSAGE.format(minutes=max(1, (seconds + 59) // 60))


def client_ip(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it,
    # and trusting it would let a guesser pick a fresh "address" per try.
    return request.META.get("REMOTE_ADDR", "") or "unknown"
