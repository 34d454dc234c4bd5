"""The reports of SPEC 9 by name: what each is called, the question it answers, its filters, and
the selector that builds it. The web pages, the Excel exports and the API all go through here, so a
report's URL (/reports/<name>/, /api/reports/<name>/) and its filters are the same everywhere.

Filters, typed once at the edge (web form or API serializer) and handed over as a `Filters`:
period (YYYYQn), date (YYYY-MM-DD), month (YYYY-MM), unit (in the user's subtree), track, target
(a rank, for the criteria), periods (how many periods the rates go back).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Max
from django.utils import timezone

from jinjie.evaluations.models import EvaluationRun
from jinjie.evaluations.qualify import latest_complete_period
from jinjie.org.models import OrgUnit, User
from jinjie.rules.calendar import Period
from jinjie.rules.ladder import LADDER_TRACKS, TRACKS

from .charts import Report
from .criteria import held_back
from .monopoly import monopoly_levels
from .outcomes import flows, pay_changes, rates
from .ranks import rank_distribution, time_in_rank
from .scores import monthly_scores

__all__ = [
    "DEFAULT_PERIODS",
    "MAX_PERIODS",
    "REPORTS",
    "Filters",
    "ReportSpec",
    "build",
    "default_month",
    "default_period",
]

DEFAULT_PERIODS = 8
MAX_PERIODS = 20


@dataclass(frozen=True)
class Filters:
    unit: OrgUnit
    period: Period | None = None
    on: date | None = None
    month: str | None = None
    track: str | None = None
    target: str | None = None
    periods: int = DEFAULT_PERIODS


@dataclass(frozen=True)
class ReportSpec:
    name: str
    label: str  # 职级分布
    question: str  # what the index page asks
    icon: str  # Bootstrap Icons name
    filters: tuple[str, ...]  # of: period, date, month, track, target, periods (unit: always)
    tracks: tuple[str, ...]  # the track filter's choices
    builder: Callable[[User, Filters], Report]


def default_period() -> Period:
    """The latest quarter evaluated (by any run), up to the latest complete one; that one when none
    was: "this quarter" of the reports is the one whose outcomes exist."""
    latest = latest_complete_period()
    ran = EvaluationRun.objects.filter(period__lte=str(latest)).aggregate(last=Max("period"))["last"]
    return Period.parse(ran) if ran else latest


def default_month() -> str:
    """The last month of the latest complete quarter: the latest month whose scores are all due."""
    return latest_complete_period().months[-1]


def _period(f: Filters) -> Period:
    return f.period or default_period()


def _on(f: Filters) -> date:
    return f.on or timezone.localdate()


REPORTS: dict[str, ReportSpec] = {
    spec.name: spec
    for spec in (
        ReportSpec(
            "distribution", "职级分布", "各单位各职级各有多少人？", "bar-chart-steps", ("date", "track"), LADDER_TRACKS,
            lambda u, f: rank_distribution(user=u, unit=f.unit, on=_on(f), track=f.track),
        ),
        ReportSpec(
            "flows", "职级流动", "本季度测评，哪些单位晋升、降级的人最多？职级从哪里流向哪里？", "diagram-3",
            ("period", "track"), LADDER_TRACKS,
            lambda u, f: flows(user=u, unit=f.unit, period=_period(f), track=f.track),
        ),
        ReportSpec(
            "rates", "晋升率与降级率", "各单位的晋升率、降级率一期期怎样变化？", "graph-up", ("period", "periods", "track"),
            LADDER_TRACKS,
            lambda u, f: rates(user=u, unit=f.unit, period=_period(f), count=f.periods, track=f.track),
        ),
        ReportSpec(
            "tenure", "任职时长", "各职级的人在现职级上已任多久？", "hourglass-split", ("date", "track"), LADDER_TRACKS,
            lambda u, f: time_in_rank(user=u, unit=f.unit, on=_on(f), track=f.track),
        ),
        ReportSpec(
            "criteria", "任职条件", "哪一条任职条件把人挡在了上一档之外？", "funnel", ("period", "target", "track"),
            LADDER_TRACKS,
            lambda u, f: held_back(user=u, unit=f.unit, period=_period(f), target=f.target, track=f.track),
        ),
        ReportSpec(
            "pay", "职级工资", "本季度的职级变动使每月职级工资总额增减多少？", "cash-coin", ("period", "track"),
            LADDER_TRACKS,
            lambda u, f: pay_changes(user=u, unit=f.unit, period=_period(f), track=f.track),
        ),
        ReportSpec(
            "monopoly", "专卖管理员等级", "专卖管理员各等级多少人？多少人符合条件却还没有申报？", "award", ("date",), (),
            lambda u, f: monopoly_levels(user=u, unit=f.unit, on=_on(f)),
        ),
        ReportSpec(
            "scores", "月度考核", "月度考核得分怎样分布？各考核项目平均多少分？", "clipboard-data", ("month", "track"),
            TRACKS,
            lambda u, f: monthly_scores(user=u, unit=f.unit, month=f.month or default_month(), track=f.track),
        ),
    )
}


def build(name: str, *, user: User, filters: Filters) -> Report:
    """The report `name` for `user` with `filters` (KeyError for an unknown name)."""
    return REPORTS[name].builder(user, filters)
