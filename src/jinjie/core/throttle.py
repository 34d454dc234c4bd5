"""Login throttling, shared by the login page and POST /api/token/.

The rule (every figure a setting, see `limit()` … below):

- per user name from one client address: at most LIMIT (5) passwords checked in a WINDOW (15
  minutes); the LIMIT-th failure locks that user name at that address for LOCKOUT (15 minutes);
- per user name from all addresses together: at most USER_LIMIT (20) in the window, then the same
  lock for the user name everywhere — except from an address the user has logged in from in the
  last KNOWN_DAYS (30) days, which only its own per-address limit applies to. So a guesser gains
  nothing from many addresses, and failures from elsewhere never lock the user out of their desk;
- a success clears the count of that address (the per-user count is left to run out its window, so
  a guesser's budget does not refill whenever the user logs in) and remembers the address;
- while locked, the right password is refused too (the lock is no oracle for it).

An attempt is reserved in the database *before* the password is checked, in one transaction with
the counter rows locked, so however many requests arrive at once, no more than the limit are ever
checked. The keys are keyed hashes (HMAC with SECRET_KEY) of the user name, lowercased, and the
address: the table holds neither. Only a request with both a user name and a password reserves.
"""

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import LoginKnownAddress, LoginThrottle

PAIR_LOCKED = "登录失败次数过多，该账号在本机已被暂时锁定，请 {minutes} 分钟后再试。"
USER_LOCKED = "该账号来自多个地址的登录失败次数过多，已被暂时锁定，请 {minutes} 分钟后再试，或在常用的电脑上登录。"


def limit() -> int:
    return settings.JINJIE_LOGIN_LIMIT


def user_limit() -> int:
    return settings.JINJIE_LOGIN_USER_LIMIT


def window() -> int:
    return settings.JINJIE_LOGIN_WINDOW_SECONDS


def lockout() -> int:
    return settings.JINJIE_LOGIN_LOCKOUT_SECONDS


def known_days() -> int:
    return settings.JINJIE_LOGIN_KNOWN_ADDRESS_DAYS


def now() -> datetime:
    return timezone.now()


def _key(kind: str, username: str, address: str = "") -> str:
    message = f"{kind}\x00{username.strip().lower()}\x00{address}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def locked_message(seconds: int, *, per_user: bool = False) -> str:
    return (USER_LOCKED if per_user else PAIR_LOCKED).format(minutes=max(1, (seconds + 59) // 60))


@dataclass
class Attempt:
    """One reserved password check (or a refusal: `locked_for` > 0, nothing reserved)."""

    username: str
    address: str
    keys: dict[str, int] = field(default_factory=dict)  # reserved key → its limit
    locked_for: int = 0
    per_user: bool = False

    @property
    def refused(self) -> bool:
        return self.locked_for > 0

    @property
    def message(self) -> str:
        return locked_message(self.locked_for, per_user=self.per_user)

    def failed(self) -> bool:
        """Record the failure of the checked password; True when it spent the budget (now locked)."""
        t = now()
        locked = False
        for key, cap in self.keys.items():
            hit = LoginThrottle.objects.filter(key=key, attempts__gte=cap).update(locked_until=t + timedelta(seconds=lockout()))
            if hit:
                locked = True
                self.per_user = self.per_user or key != _key("pair", self.username, self.address)
        if locked:
            self.locked_for = lockout()
        return locked

    def succeeded(self) -> None:
        """The password was right: clear this address's count, give back the per-user reservation
        (it was no failure) and remember the address."""
        t = now()
        pair = _key("pair", self.username, self.address)
        LoginThrottle.objects.filter(key=pair).delete()
        user = _key("user", self.username)
        if user in self.keys:
            LoginThrottle.objects.filter(key=user, attempts__gt=0).update(attempts=F("attempts") - 1)
        LoginKnownAddress.objects.bulk_create(
            [LoginKnownAddress(key=_key("known", self.username, self.address), last_success=t)],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["last_success"],
        )
        _forget_old(t)


def _is_known(username: str, address: str, t: datetime) -> bool:
    since = t - timedelta(days=known_days())
    return LoginKnownAddress.objects.filter(key=_key("known", username, address), last_success__gte=since).exists()


def reserve(username: str, address: str) -> Attempt:
    """Reserve one password check for `username` from `address`, or refuse (attempt.refused)."""
    t = now()
    attempt = Attempt(username=username, address=address)
    caps = {_key("pair", username, address): limit()}
    if not _is_known(username, address, t):
        caps[_key("user", username)] = user_limit()
    user_key = _key("user", username)
    start_of_window = t - timedelta(seconds=window())
    with transaction.atomic():
        # Rows first (a concurrent twin's insert is simply skipped), then locked in key order, so
        # two reservations for the same keys queue here and each sees the other's count.
        LoginThrottle.objects.bulk_create(
            [LoginThrottle(key=k, window_start=t) for k in sorted(caps)], ignore_conflicts=True
        )
        rows = list(LoginThrottle.objects.select_for_update().filter(key__in=caps).order_by("key"))
        for row in rows:
            if row.locked_until and row.locked_until > t:
                attempt.locked_for = max(attempt.locked_for, _seconds(row.locked_until - t))
                attempt.per_user = attempt.per_user or row.key == user_key
            elif row.locked_until or row.window_start <= start_of_window:
                row.attempts, row.window_start, row.locked_until = 0, t, None
        if not attempt.refused:
            spent = [row for row in rows if row.attempts >= caps[row.key]]
            if spent:
                # The budget is out but its last checks have not reported yet: no more checks.
                attempt.locked_for = lockout()
                attempt.per_user = any(row.key == user_key for row in spent)
        for row in rows:
            if not attempt.refused:
                row.attempts += 1
            row.save(update_fields=["attempts", "window_start", "locked_until"])
    if not attempt.refused:
        attempt.keys = caps
    return attempt


def _seconds(delta: timedelta) -> int:
    return max(1, int(delta.total_seconds() + 0.999))


def _forget_old(t: datetime) -> None:
    # Counters that can no longer refuse anything, and addresses not used for a long time. Done on
    # a success (rarer than failures, and never by a guesser), through the indexes on the times.
    stale = t - timedelta(seconds=window() + lockout())
    LoginThrottle.objects.filter(window_start__lt=stale).exclude(locked_until__gt=t).delete()
    LoginKnownAddress.objects.filter(last_success__lt=t - timedelta(days=known_days())).delete()


# --- the client's address ---------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in _networks(tuple(settings.JINJIE_TRUSTED_PROXIES)))


def client_address(request) -> str:
    """REMOTE_ADDR, unless it is a trusted proxy (JINJIE_TRUSTED_PROXIES): then the right-most
    address in X-Forwarded-For that is not a trusted proxy. Entries left of it were written by the
    client itself and are ignored, so a guesser cannot pick a fresh address per try."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    if not _trusted(remote):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop):
            return hop[:64]
    return hops[0] if hops else remote
