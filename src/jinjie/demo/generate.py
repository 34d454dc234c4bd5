"""The demo bureau's people and their records, generated in plain Python (no Django, no I/O).

One `random.Random(seed)` drives everything, in a fixed order, so a seed gives the same bureau on
any database and whatever the batch size. Values are produced ready to store (Decimal, date, str)
and scores as integers in tenths, so the writer does no per-row work beyond building tuples.

The data is shaped so that evaluating the last complete quarter (the "period", e.g. 2026Q3 when
today is 2026-11-28) gives every outcome of SPEC 2.3: the first employees are the worked examples
A–H of SPEC 8, moved to that period; the others get a per-person performance level and a scenario
(promotion candidate, hold, demotion, missing month …) drawn with fixed weights. The targets below
follow the default rule book (SPEC 2.2); they shape data, they decide nothing — the evaluation
reads the rule book in force.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate

from jinjie.people.idcard import checksum_char
from jinjie.rules.calendar import Period, add_months, months_between
from jinjie.rules.ladder import MONOPOLY_LEVELS, MOVE_LABELS, RANKS, education_rank, move_between

from .bureau import COUNTIES, EMPLOYEE_NO_PREFIX, OTHER_REGION_CODES
from .names import NameGenerator

CUSTOMER_MANAGER, MARKET_ADMINISTRATOR, MONOPOLY_ADMINISTRATOR = "客户经理", "市场管理员", "专卖管理员"

# Monthly assessment schemes (SPEC 5): item → maximum points; the items of a score add up to it.
SCHEMES: dict[str, tuple[tuple[str, int], ...]] = {
    CUSTOMER_MANAGER: (("卷烟营销指标", 50), ("服务质量指标", 30), ("基础管理与纪律", 20)),
    MARKET_ADMINISTRATOR: (
        ("市场巡查", 30), ("证件管理", 10), ("经营户分类管理", 10), ("专卖社区化管理", 20),
        ("案件查办", 10), ("内部监管", 10), ("举报投诉处理", 10),
    ),
}
# 专卖管理员 do monopoly field work too: they are assessed on the market administrators' scheme.
SCHEME_OF_TRACK = {CUSTOMER_MANAGER: CUSTOMER_MANAGER, MARKET_ADMINISTRATOR: MARKET_ADMINISTRATOR,
                   MONOPOLY_ADMINISTRATOR: MARKET_ADMINISTRATOR}

_E = education_rank
HIGH_SCHOOL, COLLEGE, BACHELOR = _E("高中"), _E("大专"), _E("本科")


@dataclass(frozen=True)
class Target:
    """What it takes to enter a rank under the default book, in tenths of a point (SPEC 2.2)."""

    avg: int
    low: int
    training: int
    ability: int | None
    months: int
    reduced_months: int | None
    reduced_education: int | None
    education: int
    vocational: int | None  # 0 = 五级 … 4 = 一级

    @property
    def keep(self) -> int:
        return self.avg - 50


def _t(avg, low, training, ability, months, reduced, with_edu, edu, voc) -> Target:
    return Target(avg * 10, low * 10, training * 10, None if ability is None else ability * 10, months, reduced,
                  None if with_edu is None else _E(with_edu), _E(edu), voc)


TARGETS: tuple[Target | None, ...] = (
    None,  # 见习: the starting rank
    _t(80, 70, 60, None, 12, None, None, "高中", None),
    _t(82, 72, 60, None, 15, None, None, "高中", None),
    _t(84, 74, 65, None, 18, None, None, "高中", 0),
    _t(86, 76, 70, 70, 36, 24, "大专", "高中", 1),
    _t(87, 78, 70, 70, 39, 27, "大专", "高中", 1),
    _t(88, 80, 75, 75, 42, 30, "大专", "高中", 1),
    _t(90, 82, 80, 80, 60, 48, "本科", "大专", 2),
    _t(91, 84, 80, 80, 63, 51, "本科", "大专", 2),
    _t(92, 86, 85, 85, 66, 54, "本科", "大专", 2),
)
FLOOR = (0, 700, 700, 700, 750, 750, 750, 800, 800, 800)  # level floor (降级线) per step, tenths
SKIP_FROM = frozenset({1, 2, 4, 5})  # 初级/中级, grades C and B
TOP = 9
VOCATIONAL = ("五级", "四级", "三级", "二级", "一级")
DEC1 = tuple(Decimal(t).scaleb(-1) for t in range(1001))  # tenths → Decimal with one decimal place


def meets_static(step: int, months: int, edu: int, voc: int | None) -> bool:
    """The entry criteria of `step` that do not depend on the quarter's results."""
    t = TARGETS[step]
    if t is None:
        return True
    if edu < t.education or (t.vocational is not None and (voc is None or voc < t.vocational)):
        return False
    return months >= t.months or (t.reduced_months is not None and months >= t.reduced_months and edu >= t.reduced_education)


@dataclass(frozen=True)
class Plan:
    """Dates everything is generated around, all derived from `today`."""

    today: date
    period: Period  # the last complete quarter: the one the demo is shaped for
    quarters: tuple[Period, ...]  # the five quarters of score history, ending with `period`
    months: tuple[str, ...]  # their fifteen months, 'YYYY-MM'
    ladder_start: date  # when the bureau introduced the rank ladder (everyone placed: 首次定级)

    @classmethod
    def for_today(cls, today: date) -> Plan:
        period = Period.containing(today).previous()
        quarters = [period]
        for _ in range(4):
            quarters.insert(0, quarters[0].previous())
        months = tuple(m for q in quarters for m in q.months)
        return cls(today, period, tuple(quarters), months, Period(period.year - 3, 1).start)


@dataclass(slots=True)
class Person:
    """One generated employee with every record the demo stores for them."""

    employee_no: str
    name: str
    county: int  # index into COUNTIES
    track: str
    role_start_date: date
    hire_date: date
    education: str
    vocational_level: str
    pay_grade: int
    current_rank: str
    rank_since: date
    law_cert_valid_until: date | None
    gender: str
    birth_date: date
    id_number: str
    phone: str
    status: str
    story: str = ""  # "A" … "H" (SPEC 8), "monopoly_ready", or the scenario drawn for the period
    scores: list[tuple[str, int, dict]] = field(default_factory=list)  # (month, tenths, item scores)
    ability: list[tuple[str, Decimal | None]] = field(default_factory=list)  # (period, score)
    # (date, kind, course, level, hours, score, passed)
    training: list[tuple[date, str, str, str, Decimal | None, Decimal | None, bool | None]] = field(default_factory=list)
    violations: list[tuple[date, str, str]] = field(default_factory=list)  # (date, severity, description)
    contributions: list[tuple[date, str]] = field(default_factory=list)
    annual: list[tuple[int, str, str]] = field(default_factory=list)  # (year, kind, rating)
    publications: list[tuple[date, str, str, str, str]] = field(default_factory=list)  # date, title, level, role, journal
    qualifications: list[tuple[str, date]] = field(default_factory=list)
    rank_changes: list[tuple[date, str, str, str, str]] = field(default_factory=list)  # date, from, to, reason, source


# --- vocabulary for the records ------------------------------------------------------------------

COURSES = {
    CUSTOMER_MANAGER: ("卷烟营销实务培训", "客户经营与服务技能培训", "终端建设与品牌培育培训", "网上订货推广培训",
                       "市场数据分析培训", "135工作法专题培训"),
    MARKET_ADMINISTRATOR: ("专卖法律法规培训", "市场监管实务培训", "案件查办技能培训", "行政执法文书规范培训",
                           "专卖社区化管理培训", "证件管理业务培训"),
}
COURSES[MONOPOLY_ADMINISTRATOR] = COURSES[MARKET_ADMINISTRATOR] + ("执法证件年审培训",)
HOURS = tuple(Decimal(h) for h in ("4", "8", "12", "16", "24", "32"))
VIOLATIONS = ("未按规定着装执法", "拜访记录填写不实", "违规代客户订货", "工作日志填写不实", "未按时完成市场巡查任务",
              "泄露客户经营信息", "电子台账未按时更新")
CONTRIBUTIONS = ("协助查获重大涉烟案件", "获省局优秀客户经理称号", "终端建设方案在全市推广", "市场检查工作获省局通报表扬",
                 "卷烟上水平工作成绩突出", "举报线索查证属实获表彰")
JOURNALS = (("临江烟草通讯", "市级"), ("东海烟草", "省级"), ("东海专卖", "省级"), ("烟草经济研究", "国家级"),
            ("中国烟草", "国家级"))
TOPICS = ("涉烟违法案件查办", "卷烟市场监管", "专卖社区化管理", "零售户分类管理", "许可证管理", "物流环节监管",
          "网格化巡查", "打假破网", "内部专卖管理监督", "举报投诉处理")
TITLE_FORMS = ("关于{}的思考", "{}的实践与探索", "浅析{}中的问题与对策", "新形势下{}工作研究", "提升{}效能的路径")
PHONE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
                  "155", "156", "157", "158", "159", "177", "180", "181", "182", "185", "186", "187", "188",
                  "189", "199")
ANNUAL_RATINGS = (("优秀", 15), ("称职", 78), ("基本称职", 6), ("不称职", 1))
SHUANGNENG_RATINGS = (("优秀", 15), ("良好", 45), ("合格", 35), ("不合格", 5))
SHUANGNENG_ORDER = ("不合格", "合格", "良好", "优秀")
# per level applied for: pay grade needed (smaller is higher) and 双能 needed (None: not a condition)
MONOPOLY_PAY = (10, 9, 9, 8, 7)
MONOPOLY_SHUANGNENG = ("合格", "良好", None, "良好", "优秀")
MONOPOLY_PUBLICATIONS = (0, 0, 1, 2, 3)


class ItemSplitter:
    """Item scores (分项得分) adding up exactly to a monthly score, drawn from a small pool per score.

    Points are lost across the items roughly in proportion to their weight; a few variants per
    (scheme, score) keep the data varied while 1.5 million rows share a few thousand dicts (which the
    writer serialises once each).
    """

    VARIANTS = 6

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._pool: dict[tuple[str, int, int], dict[str, int | float]] = {}

    def split(self, scheme: str, tenths: int) -> dict[str, int | float]:
        key = (scheme, tenths, int(self._rng.random() * self.VARIANTS))
        items = self._pool.get(key)
        if items is None:
            items = self._pool[key] = self._make(SCHEMES[scheme], tenths)
        return items

    def _make(self, scheme: tuple[tuple[str, int], ...], tenths: int) -> dict[str, int | float]:
        rng = self._rng
        caps = [points * 10 for _, points in scheme]
        deficit = sum(caps) - tenths
        shares = [c * rng.uniform(0.5, 1.5) for c in caps]
        total = sum(shares)
        lost = [min(c, int(deficit * s / total)) for c, s in zip(caps, shares, strict=True)]
        rest = deficit - sum(lost)
        order = list(range(len(caps)))
        rng.shuffle(order)
        while rest > 0:
            for i in order:
                take = min(caps[i] - lost[i], rest, rng.randint(1, 10))
                lost[i] += take
                rest -= take
        got = [c - x for c, x in zip(caps, lost, strict=True)]
        return {name: g // 10 if g % 10 == 0 else g / 10 for (name, _), g in zip(scheme, got, strict=True)}


MALE_SHARE = {CUSTOMER_MANAGER: 0.55, MARKET_ADMINISTRATOR: 0.72, MONOPOLY_ADMINISTRATOR: 0.78}
AGE_AT_HIRING = ((18, 21), (19, 23), (21, 24), (22, 25), (25, 28), (27, 31))  # by education rank


def _weighted(pairs):
    """(values, cumulative weights) for `rng.choices(values, cum_weights=…)`: the weights above are
    per value (称职 78 %), so they must not be passed where choices expects plain weights."""
    values = [v for v, _ in pairs]
    return values, list(accumulate(w for _, w in pairs))


class BureauGenerator:
    """Generates the people of the demo bureau, one at a time, in employee-number order."""

    def __init__(self, *, seed: int, plan: Plan) -> None:
        self.rng = random.Random(seed)
        self.plan = plan
        rnd = self.rng.random
        # random.randint and random.choice are exact but slow; these two are called a few hundred
        # thousand times per 10 000 people. The bias of int(random() * n) is about n·2⁻⁵³: nil.
        self.ri = lambda low, high: low + int(rnd() * (high - low + 1))
        self.pick = lambda seq: seq[int(rnd() * len(seq))]
        self.names = NameGenerator(self.rng)
        self.items = ItemSplitter(self.rng)
        self._counties = list(range(len(COUNTIES)))
        self._county_cum = list(accumulate(c.share for c in COUNTIES))
        self._annual = _weighted(ANNUAL_RATINGS)
        self._shuangneng = _weighted(SHUANGNENG_RATINGS)
        p = plan.period
        self._exam_dates = tuple(
            d for y in range(p.year - 2, p.year + 1) for d in (date(y, 6, 18), date(y, 12, 12))
            if plan.quarters[0].start <= d < p.boundary
        )
        self._month_starts = tuple(date(int(m[:4]), int(m[5:]), 1) for m in plan.months)
        # The quarterly evaluations since the ladder was introduced: (boundary, its month index,
        # the quarter's start, the quarter evaluated), up to the one that took effect in the period.
        boundaries = []
        quarter = Period.containing(plan.ladder_start)
        while quarter.boundary <= p.start:
            b = quarter.boundary
            boundaries.append((b, b.year * 12 + b.month - 1, quarter.start, str(quarter)))
            quarter = quarter.next()
        self._boundaries = tuple(boundaries)
        self._boundary_dates = tuple(b[0] for b in boundaries)

    # --- the stream ---------------------------------------------------------------------------

    def people(self, count: int) -> Iterator[Person]:
        cases = _worked_examples(self.plan)
        for i in range(1, count + 1):
            case = cases[i - 1] if i <= len(cases) else None
            yield self.person(i, case)

    def person(self, number: int, case: dict | None = None) -> Person:
        rng = self.rng
        plan = self.plan
        case = case or {}
        county = case.get("county", rng.choices(self._counties, cum_weights=self._county_cum)[0])
        u = rng.random()
        track = case.get("track") or (
            CUSTOMER_MANAGER if u < 0.55 else MARKET_ADMINISTRATOR if u < 0.88 else MONOPOLY_ADMINISTRATOR
        )
        gender = "男" if rng.random() < MALE_SHARE[track] else "女"
        active = bool(case) or rng.random() >= 0.02

        # Tenure in the role: a few recent starters, most between one and twenty-odd years.
        if "role_start" in case:
            role_start = case["role_start"]
        else:
            months_ago = self.ri(1, 15) if rng.random() < 0.06 else int(rng.triangular(12, 320, 48))
            role_start = add_months(plan.today.replace(day=1), -months_ago).replace(day=self.ri(1, 28))
        years = months_between(role_start, plan.today) / 12
        hire = role_start if rng.random() < 0.7 else add_months(role_start, -self.ri(3, 96))

        if "education" in case:
            education = case["education"]
        elif years > 15:
            education = rng.choices(("高中", "中专", "技校", "大专", "本科"), cum_weights=(30, 42, 47, 85, 100))[0]
        elif years > 5:
            education = rng.choices(("高中", "中专", "大专", "本科", "硕士"), cum_weights=(14, 20, 62, 98, 100))[0]
        else:
            education = rng.choices(("高中", "中专", "大专", "本科", "硕士"), cum_weights=(5, 8, 43, 95, 100))[0]
        edu = _E(education)

        if "vocational" in case:
            voc = case["vocational"]
        else:
            v = rng.random()
            if years < 1:
                voc = None if v < 0.75 else 0
            elif years < 3:
                voc = None if v < 0.1 else 0 if v < 0.65 else 1
            elif years < 6:
                voc = 0 if v < 0.2 else 1 if v < 0.7 else 2
            else:
                voc = 1 if v < 0.3 else 2 if v < 0.8 else 3 if v < 0.97 else 4
        hire_years = months_between(hire, plan.today) // 12
        pay_grade = min(15, max(5, 15 - hire_years // 2 + self.ri(-1, 1)))

        # Age at hiring follows schooling; nobody is past 59 today.
        age = self.ri(*AGE_AT_HIRING[edu])
        birth_year = max(hire.year - age, plan.today.year - 59)
        birth = date(birth_year, self.ri(1, 12), self.ri(1, 28))
        region = COUNTIES[county].region_code if rng.random() < 0.88 else self.pick(OTHER_REGION_CODES)
        seq = f"{self.ri(0, 99):02d}{2 * self.ri(0, 4) + (gender == '男')}"  # odd for men, even for women
        id17 = f"{region}{birth:%Y%m%d}{seq}"
        # A bijection of the employee number onto eight digits: distinct, but not visibly sequential.
        phone = self.pick(PHONE_PREFIXES) + f"{(number * 73_939_133 + 4_201_707) % 100_000_000:08d}"
        law_cert = None
        if track != CUSTOMER_MANAGER:
            law_cert = (plan.today - timedelta(days=self.ri(1, 200)) if rng.random() < 0.05
                        else plan.today + timedelta(days=self.ri(20, 1095)))

        p = Person(
            employee_no=f"{EMPLOYEE_NO_PREFIX}{number:06d}",
            name=self.names.name(gender),
            county=county,
            track=track,
            role_start_date=role_start,
            hire_date=hire,
            education=education,
            vocational_level="" if voc is None else VOCATIONAL[voc],
            pay_grade=pay_grade,
            current_rank="见习",
            rank_since=role_start,
            law_cert_valid_until=law_cert,
            gender=gender,
            birth_date=birth,
            id_number=id17 + checksum_char(id17),
            phone=phone,
            status="在岗" if active else "离岗",
            story=case.get("story", ""),
        )
        if track == MONOPOLY_ADMINISTRATOR:
            self._monopoly(p, edu, case)
        else:
            self._ladder(p, edu, voc, case)
        self._common_records(p, case)
        return p

    # --- the non-management ladder (客户经理, 市场管理员) --------------------------------------------

    def _ladder(self, p: Person, edu: int, voc: int | None, case: dict) -> None:
        plan = self.plan
        rng = self.rng
        rnd = rng.random
        period = plan.period
        if "history" in case:
            step, since, changes, moves = _case_history(p, case["history"], plan)
        else:
            step, since, changes, moves = self._walk(p.role_start_date, edu, voc)
        # Two demotions in a row (SPEC 2.3 reassignment): a few 初级 staff were demoted last quarter
        # and are failing again now.
        scenario = case.get("scenario")
        if (not case and p.status == "在岗" and step in (2, 3) and since < period.start
                and rng.random() < 0.02):
            eff = period.start + timedelta(days=self.ri(8, 20))
            changes.append((eff, RANKS[step], RANKS[step - 1], f"{period.previous()}测评 降档", "import"))
            moves[period.start] = ("down", step, step - 1)
            step, since, scenario = step - 1, eff, "level_down"
        p.current_rank, p.rank_since, p.rank_changes = RANKS[step], since, changes

        # A performance level for the quiet quarters: between the keep line and the next entry line.
        lo = TARGETS[step].keep + 5 if step else 700
        hi = TARGETS[step + 1].avg - 5 if step < TOP else 980
        base = self.ri(lo, hi)

        months = plan.months
        first = self._first_month(p.role_start_date)
        last = len(months) if p.status == "在岗" else self.ri(3, len(months) - 1)
        scores: dict[int, int] = {}
        for k, quarter in enumerate(plan.quarters[:-1]):
            move = moves.get(quarter.boundary)
            if move is None:
                target, spread = base, 18
            elif move[0] == "up":
                target, spread = min(TARGETS[move[2]].avg + self.ri(5, 30), 985), 8
            elif move[0] == "down":
                target, spread = TARGETS[move[1]].keep - self.ri(10, 40), 12
            else:
                target, spread = FLOOR[move[1]] - self.ri(10, 50), 12
            for j in range(3 * k, 3 * k + 3):
                # Irwin–Hall: three uniforms make a bell shape with standard deviation `spread`.
                noise = int((rnd() + rnd() + rnd() - 1.5) * 2 * spread)
                scores[j] = min(1000, max(300, target + noise))

        # The period itself.
        held = since <= period.start
        months_in_role = months_between(p.role_start_date, period.boundary)
        up1 = step < TOP and meets_static(step + 1, months_in_role, edu, voc)
        up2 = step in SKIP_FROM and meets_static(step + 2, months_in_role, edu, voc)
        training = self.ri(600, 950)
        ability: int | None = self.ri(650, 930)
        p_scores: list[int | None]
        if scenario is None:
            u = rng.random()
            if u < 0.025:
                scenario = "incomplete"
            elif step and u < 0.04:
                scenario = "level_down"
            elif step and u < 0.05:
                scenario = "two_fails"
            elif step and u < 0.065:
                scenario = "one_fail"
            elif step and u < 0.12:
                scenario = "grade_down"
            elif held and up2 and rng.random() < 0.08:
                scenario = "skip"
            elif held and up1 and rng.random() < 0.35:
                w = rng.random()
                scenario = "promote" if w < 0.8 else "near_miss" if w < 0.92 else "violation"
            else:
                scenario = "hold"
        if "p_scores" in case:
            p_scores = list(case["p_scores"])
        elif scenario in ("hold", "incomplete"):
            p_scores = self._three(base, 25)
            if scenario == "incomplete":
                p_scores[self.ri(0, 2)] = None
        elif scenario == "level_down":
            p_scores = self._three(FLOOR[step] - self.ri(5, 60), 20)
        elif scenario == "two_fails":
            p_scores = [self.ri(450, 595), self.ri(450, 595), self.ri(750, 920)]
            rng.shuffle(p_scores)
        elif scenario == "one_fail":  # one month 不合格, the average still above the level floor
            fail = self.ri(480, 595)
            good = max(880, -(-(3 * FLOOR[step] - fail) // 2))
            p_scores = [fail, self.ri(good, 990), self.ri(good, 990)]
            rng.shuffle(p_scores)
        elif scenario == "grade_down":
            p_scores = self._three(self.ri(FLOOR[step], TARGETS[step].keep - 1), 25)
        elif scenario == "skip":
            t = TARGETS[step + 2]
            if rng.random() < 0.3:  # outstanding through a contribution rather than all months ≥ 95
                p_scores = self._three(min(t.avg + self.ri(5, 40), 960), 15)
                p.contributions.append((self._day_in(period), self.pick(CONTRIBUTIONS)))
            else:
                p_scores = [self.ri(950, 995) for _ in range(3)]
            training = min(1000, t.training + self.ri(0, 120))
            ability = min(1000, (t.ability or 700) + self.ri(0, 120))
        else:  # promote, near_miss, violation: aimed at the next step
            t = TARGETS[step + 1]
            p_scores = self._three(min(t.avg + self.ri(0, 40), 950), 20)
            training = min(1000, t.training + self.ri(0, 150))
            ability = min(1000, (t.ability or 650) + self.ri(0, 150))
            if scenario == "near_miss":  # one criterion just short: the "还差" an employee reads
                w = rng.random()
                if w < 0.4:
                    training = t.training - self.ri(5, 40)
                elif w < 0.7 or t.ability is None:
                    p_scores = self._three(t.avg - self.ri(1, 9), 10)
                else:
                    ability = None
            elif scenario == "violation":
                p.violations.append((self._day_in(period), "一般", self.pick(VIOLATIONS)))
        training = case.get("training", training)
        ability = case.get("ability", ability)
        for j, s in zip(range(len(months) - 3, len(months)), p_scores, strict=True):
            scores[j] = s
        if case.get("violation"):
            p.violations.append((case["violation"], "一般", VIOLATIONS[0]))
        if not p.story:
            p.story = scenario

        split = self.items.split
        scheme = SCHEME_OF_TRACK[p.track]
        p.scores = [(months[j], scores[j], split(scheme, scores[j])) for j in range(first, last) if scores.get(j) is not None]
        self._exams(p, training)
        # 综合能力测评: once a quarter, for the quarters the person was in the role.
        for k, quarter in enumerate(plan.quarters):
            if 3 * k + 2 < first or 3 * k >= last:
                continue
            if quarter == period:
                value = ability
            else:
                value = self.ri(650, 930) if rng.random() > 0.01 else None
            if value is not None:
                p.ability.append((str(quarter), DEC1[value]))

    def _walk(self, role_start: date, edu: int, voc: int | None):
        """The rank history from the ladder's introduction (or the start in the role) to today."""
        rng = self.rng
        rnd = rng.random
        plan = self.plan
        ladder_start = plan.ladder_start
        # Full months in the role at a boundary (always a 1st of the month), as in SPEC 2.1.
        offset = role_start.year * 12 + role_start.month - 1 + (role_start.day > 1)
        boundaries = self._boundaries
        if role_start < ladder_start:
            months = months_between(role_start, ladder_start)
            top = max(s for s in range(TOP + 1) if meets_static(s, months, edu, voc))
            step = max(0, top - rng.choices((0, 1, 2, 3, 4, 5), cum_weights=(20, 40, 60, 76, 90, 100))[0])
            since = ladder_start
            changes = [(ladder_start, "", RANKS[step], "职级制度实施，首次定级", "import")]
            first = 0
        else:
            step, since = 0, role_start
            changes = [(role_start, "", "见习", "新入岗，定为见习", "import")]
            first = bisect_right(self._boundary_dates, role_start)
        moves: dict[date, tuple[str, int, int]] = {}
        for boundary, index, quarter_start, quarter in boundaries[first:]:
            u = rnd()
            to = step
            if step and u < 0.025:
                to = step - 1 if u < 0.021 else max(0, step - 3)
                kind = "down" if u < 0.021 else "level_down"
                eff = boundary + timedelta(days=8 + int(rnd() * 13))
            elif (u < 0.11 and since <= quarter_start and step < TOP
                  and meets_static(step + 1, index - offset, edu, voc)):
                to = step + 1
                if u < 0.029 and step in SKIP_FROM and meets_static(step + 2, index - offset, edu, voc):
                    to = step + 2
                kind = "up"
                eff = boundary + timedelta(days=12 + int(rnd() * 24))
            if to != step:
                changes.append((eff, RANKS[step], RANKS[to], f"{quarter}测评 {MOVE_LABELS[move_between(step, to)]}", "import"))
                moves[boundary] = (kind, step, to)
                step, since = to, eff
        return step, since, changes, moves

    def _three(self, avg: int, spread: int) -> list[int | None]:
        """Three monthly scores (tenths) averaging exactly `avg`: perf_avg is compared exactly."""
        avg = min(1000, max(0, avg))
        spread = max(0, min(spread, (1000 - avg) // 2, avg // 2))
        rnd = self.rng.random
        width = 2 * spread + 1
        a, b = int(rnd() * width) - spread, int(rnd() * width) - spread
        return [avg + a, avg + b, avg - a - b]

    # --- monopoly administrators (SPEC 3) ------------------------------------------------------------

    def _monopoly(self, p: Person, edu: int, case: dict) -> None:
        rng = self.rng
        plan = self.plan
        today = plan.today
        role_start = p.role_start_date
        changes = [(role_start, "", "见习", "新入岗，定为见习", "import")]
        goal = case.get("levels", rng.choices(range(6), cum_weights=(18, 52, 78, 92, 98, 100))[0])
        granted: date | None = None
        for k in range(goal):
            if k == 0:
                earliest = add_months(role_start, 12 + self.ri(0, 12))
            elif k == 1:
                earliest = max(add_months(granted, (12 if edu >= COLLEGE else 36) + self.ri(0, 12)),
                               add_months(role_start, 24 if edu >= COLLEGE else 48))
            elif k in (2, 3) and edu >= COLLEGE:
                earliest = max(add_months(granted, (12, 24)[k - 2] + self.ri(0, 18)),
                               add_months(role_start, (36, 60)[k - 2]))
            elif k == 4 and edu >= BACHELOR:
                earliest = max(add_months(granted, 36 + self.ri(0, 24)), add_months(role_start, 96))
            else:
                break
            day = add_months(earliest.replace(day=1), 1)
            if day > today - timedelta(days=30):
                break
            level = MONOPOLY_LEVELS[k]
            exam_day = day - timedelta(days=self.ri(30, 150))
            p.training.append((exam_day, "等级考试", f"{level}等级考试", level, None, DEC1[self.ri(650, 950)], True))
            p.qualifications.append((level, day))
            changes.append((day, changes[-1][2], level, f"{level}资格授予", "grant"))
            granted = day
        held = len(p.qualifications)
        p.current_rank, p.rank_since, p.rank_changes = changes[-1][2], changes[-1][0], changes

        # Pay only improves: whoever holds a level once met its pay grade.
        if held:
            p.pay_grade = min(p.pay_grade, MONOPOLY_PAY[held - 1])
        ready = held < 5 and (case.get("ready") or (not case and rng.random() < 0.35))
        ready = ready and self._could_apply(p, edu, held)
        if ready:
            p.story = p.story or "monopoly_ready"
            level = MONOPOLY_LEVELS[held]
            p.pay_grade = min(p.pay_grade, MONOPOLY_PAY[held] - self.ri(0, 1))
            exam_day = today - timedelta(days=self.ri(20, 300))
            p.training.append((exam_day, "等级考试", f"{level}等级考试", level, None, DEC1[self.ri(700, 950)], True))
            if p.law_cert_valid_until is None or p.law_cert_valid_until < today:
                p.law_cert_valid_until = today + timedelta(days=self.ri(60, 900))
        elif held < 5 and rng.random() < 0.15:  # tried the next level's exam and failed
            level = MONOPOLY_LEVELS[held]
            exam_day = today - timedelta(days=self.ri(20, 300))
            p.training.append((exam_day, "等级考试", f"{level}等级考试", level, None, DEC1[self.ri(380, 590)], False))

        last_year = today.year - 1
        for year in (last_year - 1, last_year):
            if p.role_start_date.year > year:
                continue
            rating = rng.choices(self._shuangneng[0], cum_weights=self._shuangneng[1])[0]
            needed = MONOPOLY_SHUANGNENG[held] if ready and year == last_year else None
            if needed and SHUANGNENG_ORDER.index(rating) < SHUANGNENG_ORDER.index(needed):
                rating = needed
            p.annual.append((year, "专卖双能", rating))

        # Papers: the higher levels ask for provincial or national ones, as 独著 or 第一作者.
        wanted = MONOPOLY_PUBLICATIONS[held] if ready else MONOPOLY_PUBLICATIONS[max(0, held - 1)]
        count = wanted + (rng.random() < 0.3)
        titles: set[str] = set()
        for n in range(count):
            while True:
                title = self.pick(TITLE_FORMS).format(self.pick(TOPICS))
                if title not in titles:
                    titles.add(title)
                    break
            counted = n < wanted
            journal, level = self.pick(JOURNALS[1:] if counted else JOURNALS)
            if counted and ready and held == 4 and n == 0:
                journal, level = JOURNALS[-1]  # 高级专卖管理师: one of them national
            role = self.pick(("独著", "第一作者")) if counted else self.pick(("独著", "第一作者", "其他"))
            day = max(role_start + timedelta(days=30), today - timedelta(days=self.ri(60, 2000)))
            p.publications.append((min(day, today), title, level, role, journal))

        months = plan.months
        first = self._first_month(role_start)
        last = len(months) if p.status == "在岗" else self.ri(3, len(months) - 1)
        base = self.ri(800, 940)
        split = self.items.split
        p.scores = []
        for j in range(first, last):
            tenths = min(1000, max(450, base + int(rng.gauss(0, 20))))
            p.scores.append((months[j], tenths, split(MARKET_ADMINISTRATOR, tenths)))
        self._exams(p, self.ri(600, 950))
        if not p.story:
            p.story = "monopoly"

    def _could_apply(self, p: Person, edu: int, held: int) -> bool:
        """Do tenure, education and the previous level's age allow applying for the next level today?"""
        today = self.plan.today
        exp = months_between(p.role_start_date, today)
        since = months_between(p.qualifications[-1][1], today) if held else 0
        if held == 0:
            return exp >= 12 and edu >= HIGH_SCHOOL
        if held == 1:
            return (edu >= COLLEGE and exp >= 24 and since >= 12) or (exp >= 48 and since >= 36)
        if held == 2:
            return edu >= COLLEGE and exp >= 36 and since >= 12
        if held == 3:
            return edu >= COLLEGE and exp >= 60 and since >= 24
        return edu >= BACHELOR and exp >= 96 and since >= 36

    # --- records every employee has -------------------------------------------------------------

    def _exams(self, p: Person, latest_score: int) -> None:
        """Half-yearly 岗位知识考试; the latest one before the period's end scores `latest_score`."""
        rng = self.rng
        dates = [d for d in self._exam_dates if d >= p.role_start_date]
        if dates and p.story not in ("A", "B", "C", "D", "G", "H", "skip_level") and rng.random() < 0.02:
            dates.pop()  # missed the latest exam
        for n, day in enumerate(dates):
            score = latest_score if n == len(dates) - 1 else self.ri(550, 960)
            half = "上" if day.month <= 6 else "下"
            p.training.append((day, "考试", f"{day.year}年{half}半年岗位知识考试", "", None, DEC1[score], score >= 600))

    def _common_records(self, p: Person, case: dict) -> None:
        rng = self.rng
        plan = self.plan
        courses = COURSES[p.track]
        window_start = plan.quarters[0].start
        span = (plan.today - window_start).days
        for course in rng.sample(courses, self.ri(1, 3)):
            day = window_start + timedelta(days=self.ri(0, span - 1))
            if day >= p.role_start_date:
                p.training.append((day, "培训", course, "", self.pick(HOURS), None, True))
        last_year = plan.today.year - 1
        for year in (last_year - 1, last_year):
            if p.hire_date.year <= year:
                drawn = rng.choices(self._annual[0], cum_weights=self._annual[1])[0]
                p.annual.append((year, "年度考核", case.get("annual", drawn)))
        if case:
            return
        # Violations and contributions outside the period (the period's own come with the scenario).
        before = (plan.period.start - window_start).days
        if rng.random() < 0.015:
            day = window_start + timedelta(days=self.ri(0, before - 1))
            p.violations.append((day, rng.choices(("一般", "较重", "严重"), cum_weights=(80, 97, 100))[0],
                                 self.pick(VIOLATIONS)))
        if rng.random() < 0.02:
            day = window_start + timedelta(days=self.ri(0, before - 1))
            p.contributions.append((day, self.pick(CONTRIBUTIONS)))

    def _first_month(self, role_start: date) -> int:
        """Index of the first month with a score: the month of the start, or the next if it began late."""
        starts = self._month_starts
        for j, m in enumerate(starts):
            if m.year > role_start.year or (m.year == role_start.year and m.month > role_start.month):
                return j
            if m.year == role_start.year and m.month == role_start.month:
                return j if role_start.day <= 15 else j + 1
        return len(starts)

    def _day_in(self, period: Period) -> date:
        return period.start + timedelta(days=self.ri(0, (period.boundary - period.start).days - 1))


# --- the worked examples of SPEC 8, moved to the demo's period ---------------------------------------

MONOPOLY_PEER = "monopoly_peer"
MONOPOLY_PEERS = 7


# The 竞聘 demo's people (demo/selections.py), right after the worked examples: six who compete in
# the finished selection, one (a login) who may apply to the open one.
SELECTION_STORIES = tuple(f"selection_{i}" for i in range(1, 7)) + ("selection_open",)


def _worked_examples(plan: Plan) -> list[dict]:
    """SPEC 8 cases A–H (their dates shifted with the period), then 专卖管理员 ready to apply, an
    outstanding 初级B whose 跳级 goes to the director, and the 竞聘 candidates.

    "Rank held since 2026-01-01" becomes "since the start of the quarter before last".
    """
    p = plan.period
    b = p.boundary

    def q(n: int) -> date:  # the start of the quarter n quarters from the period's start
        return add_months(p.start, 3 * n)

    def role(months_back: int, day: int) -> date:
        return add_months(b, -months_back).replace(day=day)

    up_to_b = [(q(-7), 1), (q(-4), 2)]  # 见习 → 初级C → 初级B, then the change in SPEC's "held since"
    a_role = role(33, 15)  # 2024-01-15 for 2026Q3: 32 full months at the boundary
    b_role = role(30, 1)  # 2024-04-01: 30 months
    cases = [
        dict(story="A", county=0, track=CUSTOMER_MANAGER, role_start=a_role, education="高中", vocational=0,
             history=[(q(-5), 1), (q(-2), 2)], p_scores=(850, 860, 840), training=700),
        dict(story="B", county=1, track=CUSTOMER_MANAGER, role_start=b_role, education="大专", vocational=1,
             history=[(q(-5), 1), (q(-4), 2), (q(-2), 3)], p_scores=(880, 870, 860), training=750, ability=720),
        dict(story="C", county=2, track=MARKET_ADMINISTRATOR, role_start=b_role, education="高中", vocational=1,
             history=[(q(-5), 1), (q(-4), 2), (q(-2), 3)], p_scores=(880, 870, 860), training=750, ability=720),
        dict(story="D", county=3, track=CUSTOMER_MANAGER, role_start=role(91, 1), education="本科", vocational=1,
             history=[(None, 3), (q(-2), 4)], p_scores=(960, 970, 950), training=800, ability=800),
        dict(story="E", county=0, track=MARKET_ADMINISTRATOR, role_start=role(70, 1), education="大专", vocational=1,
             history=[(None, 4), (q(-2), 5)], p_scores=(740, 800, 810)),
        dict(story="F", county=1, track=CUSTOMER_MANAGER, role_start=role(40, 1), education="高中", vocational=0,
             history=up_to_b + [(q(-2), 1)], p_scores=(550, 580, 900)),
        dict(story="G", county=2, track=MARKET_ADMINISTRATOR, role_start=a_role, education="高中", vocational=0,
             history=[(q(-5), 1), (q(-2), 2)], p_scores=(850, 860, 840), training=700,
             violation=add_months(p.start, 1) + timedelta(days=2)),
        dict(story="H", county=3, track=CUSTOMER_MANAGER, role_start=a_role, education="大专", vocational=0,
             history=[(q(-5), 1), (q(-2), 2)], p_scores=(850, 860, None), training=700),
        dict(story="monopoly_ready", county=0, track=MONOPOLY_ADMINISTRATOR, role_start=role(40, 1),
             education="大专", vocational=1, levels=1, ready=True),
        # 跳级 for the director (局长) to decide: 初级B, outstanding (every month ≥ 95), and meeting
        # 中级C's entry criteria (大专 and 39 months ≥ 24, 四级, training 85, ability 82).
        dict(story="skip_level", county=1, track=CUSTOMER_MANAGER, role_start=role(40, 1), education="大专",
             vocational=1, history=[(q(-5), 1), (q(-2), 2)], p_scores=(960, 970, 955), training=850, ability=820),
        # Colleagues of yuangong3 who meet the conditions of 中级专卖管理员 too: the applicants of the
        # demo's rounds (demo.applications), so that every state of SPEC 3.1 has someone in it.
        *(
            dict(story=MONOPOLY_PEER, county=n % 4, track=MONOPOLY_ADMINISTRATOR, role_start=role(42 + 3 * n, 1),
                 education="大专", vocational=1, levels=1, ready=True)
            for n in range(MONOPOLY_PEERS)
        ),
        # 竞聘 candidates (demo/selections.py): 中级 staff with eight years' service and a 本科 degree,
        # steady in the period (their scores hold their rank).
        *(
            dict(story=story, county=i % 4, track=(CUSTOMER_MANAGER, MARKET_ADMINISTRATOR)[i % 2],
                 role_start=role(100, 1), education="本科", vocational=2, history=history, p_scores=(850, 860, 855),
                 training=850, ability=850, annual="称职")
            for i, (story, history) in enumerate(zip(SELECTION_STORIES, (
                [(None, 5)], [(None, 4), (q(-4), 5)], [(None, 6)], [(None, 4)], [(None, 5), (q(-3), 6)], [(None, 4)],
                [(None, 5)],
            ), strict=True))
        ),
    ]
    for case in cases:
        if "history" in case:
            case["scenario"] = "case"
    return cases


def case_numbers(plan: Plan, story: str) -> list[str]:
    """The employee numbers the generator gives the worked examples of `story` (the first people)."""
    return [f"{EMPLOYEE_NO_PREFIX}{i:06d}" for i, case in enumerate(_worked_examples(plan), start=1) if case["story"] == story]


def _case_history(p: Person, history: list[tuple[date | None, int]], plan: Plan):
    """Rank changes on quarter boundaries (a None date: placed when the ladder was introduced)."""
    if history[0][0] is None:
        step = history[0][1]
        changes = [(plan.ladder_start, "", RANKS[step], "职级制度实施，首次定级", "import")]
        history = history[1:]
    else:
        step = 0
        changes = [(p.role_start_date, "", "见习", "新入岗，定为见习", "import")]
    moves: dict[date, tuple[str, int, int]] = {}
    since = changes[0][0]
    for day, to in history:
        quarter = Period.containing(add_months(day, -3))
        move = move_between(step, to)
        changes.append((day, RANKS[step], RANKS[to], f"{quarter}测评 {MOVE_LABELS[move]}", "import"))
        moves[day] = ("up" if to > step else "down", step, to)
        step, since = to, day
    return step, since, changes, moves
