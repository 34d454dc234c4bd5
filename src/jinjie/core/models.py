"""The login throttle's counters (core.throttle). Keys are hashes: the table holds no user names
or addresses, only how many passwords were checked for one of them and until when it is locked."""

from django.db import models


class LoginThrottle(models.Model):
    """Password checks reserved for one key (a user name from one address, or a user name from
    anywhere) in the window that started at `window_start`."""

    key = models.CharField("键(散列)", max_length=64, primary_key=True)
    window_start = models.DateTimeField("计数开始")
    attempts = models.PositiveIntegerField("已核对次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    class Meta:
        verbose_name = "登录失败计数"
        verbose_name_plural = "登录失败计数"
        indexes = [models.Index(fields=["window_start"], name="login_throttle_window")]


class LoginKnownAddress(models.Model):
    """An address a user name logged in from (hashed together): exempt from the per-user cap, so
    failures from elsewhere cannot lock the user out of their own desk."""

    key = models.CharField("键(散列)", max_length=64, primary_key=True)
    last_success = models.DateTimeField("最近登录成功")

    class Meta:
        verbose_name = "登录成功的地址"
        verbose_name_plural = "登录成功的地址"
        indexes = [models.Index(fields=["last_success"], name="login_known_last_success")]
