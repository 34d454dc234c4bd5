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


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"


PENDING_STATES = (JobState.QUEUED, JobState.RUNNING)


class Job(models.Model):
    """A piece of long work (an evaluation, a big import …) run by `jinjie worker`, as its user
    sees it: what it is, how far it got, and what came of it (core.jobs).

    The queue itself is django-tasks' database backend; this row is the record the pages poll.
    `dedupe_key`: while one job with a key is queued or running, enqueuing the same key returns
    that job (a double click runs once) — a partial unique index, so two requests at once cannot
    both insert."""

    kind = models.CharField("类别", max_length=50)
    label = models.CharField("名称", max_length=200)
    args = models.JSONField("参数", default=dict, blank=True)
    dedupe_key = models.CharField("去重键", max_length=200, blank=True, default="")
    state = models.CharField("状态", max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    stage = models.CharField("阶段", max_length=100, blank=True, default="")
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", null=True, blank=True)
    result = models.JSONField("结果", null=True, blank=True)
    error = models.TextField("失败原因", blank=True, default="")
    created_by = models.ForeignKey(
        "org.User", verbose_name="发起人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近进度", null=True, blank=True)
    task_id = models.CharField("队列任务编号", max_length=64, blank=True, default="")

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=models.Q(state__in=["queued", "running"]) & ~models.Q(dedupe_key=""),
                name="job_once_while_pending",
            )
        ]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="job_by_creator")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.label}"

    @property
    def pending(self) -> bool:
        return self.state in PENDING_STATES
