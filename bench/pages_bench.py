"""Page benchmark: server-side response time and SQL queries of the busy pages on a demo bureau.

    .venv/bin/python bench/pages_bench.py --employees 5000
    .venv/bin/python bench/pages_bench.py --employees 100000 --db /tmp/pages100k/bench.sqlite3
    .venv/bin/python bench/pages_bench.py --database-url postgres://postgres@127.0.0.1:5432/jinjie_bench [--reuse]

Builds a SQLite database in a temporary directory (or at --db, kept and reused when it exists):
`jinjie init`, `jinjie demo --employees N`, `jinjie evaluate --period P` for the demo's quarter
and the three before it (the reports' rates run over periods), then the committee submits the period's drafts (approvals.services.period_submit) so that the
decision queues hold something. Each page is then requested through Django's test Client, logged
in with force_login (no password hashing), one warm-up request and `--requests` timed ones; the
median and p95 of the wall time around `client.get` are printed, with the SQL queries of one more
request (CaptureQueriesContext) and the time SQLite spent in them.

Settings: the base settings (DEBUG off, as in production: DEBUG on keeps a log of every query,
which costs time of its own); the queries are counted on a separate, untimed request for the
same reason.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

SLOW_MS = 500  # a page slower than this (median) is reported as slow
EARLIER_PERIODS = 3  # quarters evaluated before the demo's one, for the reports over periods
SLOW_WARMUP_S = 2.0  # a page whose warm-up took longer than this is timed FEW_REQUESTS times only
FEW_REQUESTS = 5


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--db", type=Path, default=None,
                        help="use this SQLite file; built (and kept) when it does not exist yet")
    parser.add_argument("--database-url", default=None,
                        help="a scratch PostgreSQL database instead of SQLite: replaced by the demo unless --reuse")
    parser.add_argument("--reuse", action="store_true", help="with --database-url: keep the demo already in it")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database and print its path")
    parser.add_argument("--only", action="append", default=None, metavar="TEXT",
                        help="time only the pages whose label contains TEXT (may be repeated)")
    parser.add_argument("--show-queries", action="store_true",
                        help="print the SQL of every page slower than 500 ms, slowest queries first")
    return parser.parse_args()


def bench_env(db_path: Path, database_url: str | None = None) -> dict[str, str]:
    """The environment of this process and of the `jinjie` commands it runs: one database, one var dir."""
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url or f"sqlite:///{db_path}"
    env["JINJIE_VAR_DIR"] = str(db_path.parent)  # cache, media and static of the bench, not the repo's var/
    env["DJANGO_SETTINGS_MODULE"] = "jinjie.config.settings.base"  # DEBUG off
    env["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    return env


def jinjie(env: dict[str, str], *args: str) -> str:
    """Run one `jinjie` command as an operator would; its stdout is returned (and shown when short)."""
    exe = Path(sys.executable).with_name("jinjie")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "jinjie.config.cli"]
    started = time.perf_counter()
    done = subprocess.run([*cmd, *args], env=env, check=True, capture_output=True, text=True)
    print(f"jinjie {' '.join(args)}：{time.perf_counter() - started:.1f} s")
    return done.stdout


def build(env: dict[str, str], employees: int) -> None:
    jinjie(env, "init")
    out = jinjie(env, "demo", "--employees", str(employees))
    lines = out.splitlines()
    # The demo's summary is wrapped at 120 columns: its first two lines.
    at = next((i for i, line in enumerate(lines) if line.startswith("已创建")), None)
    print("  " + ("".join(lines[at:at + 2]) if at is not None else out.strip()[:200]))


def empty_postgresql(url: str) -> None:
    """A scratch database only: dropped and created afresh (also when it does not exist yet) before the demo."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from postgres import replace_database

    replace_database(url)


def vacuum_analyze() -> None:
    """What autovacuum does after a bulk load (and PostgreSQL's default has it on): statistics for
    the planner and the visibility map, without which no count reads an index alone. Some servers
    run with it off (this development machine's does): the pages are then measured as they will be
    on a server where it is on."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        autovacuum = cursor.fetchone()[0]
        cursor.execute("VACUUM ANALYZE")
    print(f"VACUUM ANALYZE：{time.perf_counter() - started:.1f} s（本服务器 autovacuum = {autovacuum}）")


def setup_django(env: dict[str, str]) -> None:
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "JINJIE_VAR_DIR", "DJANGO_SETTINGS_MODULE", "ALLOWED_HOSTS")})
    (Path(env["JINJIE_VAR_DIR"]) / "static").mkdir(exist_ok=True)  # whitenoise warns about a missing STATIC_ROOT
    import django

    django.setup()


def prepare(env: dict[str, str]):
    """Evaluate the demo's period unless done, and submit its drafts as the committee unless done."""
    from django.db.models import Count

    from jinjie.approvals.services import period_submit
    from jinjie.evaluations.models import Proposal, ProposalKind, ProposalState
    from jinjie.evaluations.qualify import latest_complete_period
    from jinjie.org.models import User

    # The demo shapes its data for the last complete quarter before today (`jinjie demo` without --today).
    latest = latest_complete_period()
    period = str(latest)
    # The quarters before it too (the demo has their scores): the reports' rates run over periods.
    earlier = [latest.previous()]
    for _ in range(EARLIER_PERIODS - 1):
        earlier.append(earlier[-1].previous())
    for p in [*reversed(earlier), latest]:
        if not Proposal.objects.filter(kind=ProposalKind.EVALUATION, period=str(p)).exists():
            out = jinjie(env, "evaluate", "--period", str(p))
            print("  " + "；".join(line.strip() for line in out.splitlines() if "│" in line and "合计" in line))
    evaluated = Proposal.objects.filter(kind=ProposalKind.EVALUATION, period=period)
    committee = User.objects.select_related("org_unit").get(username="weiyuanhui")
    if evaluated.filter(state=ProposalState.DRAFT).exists():
        started = time.perf_counter()
        submitted = period_submit(period=period, org_unit=committee.org_unit, actor=committee)
        print(f"period_submit（委员会提交 {period} 全部草稿 {len(submitted):,} 条）：{time.perf_counter() - started:.1f} s")
    states = dict(evaluated.values_list("state").order_by("state").annotate(n=Count("id")))
    print(f"{period} 建议：" + "，".join(f"{state} {n:,}" for state, n in states.items()))
    return period


def prepare_applications() -> None:
    """The demo's open round of 专卖管理员 applications gets every qualified 专卖管理员 of the city
    (HR applies for them, 1,000 at a time), so that its page lists what a real round would."""
    from jinjie.applications.models import ApplicationRound
    from jinjie.applications.selectors import qualified_for_round
    from jinjie.applications.services import applications_apply_batch
    from jinjie.org.models import User

    hr = User.objects.select_related("org_unit").get(username="hr")
    round_ = ApplicationRound.objects.filter(closed_at__isnull=True).order_by("-pk").first()
    if round_ is None:
        return
    started = time.perf_counter()
    # yuangong3 stays out: 我的职业发展 is measured with the conditions checked, not an application.
    own = User.objects.get(username="yuangong3").employee_id
    qualified = [a.employee.pk for a in qualified_for_round(round=round_, user=hr).qualified if a.employee.pk != own]
    listed = time.perf_counter() - started
    for start in range(0, len(qualified), 1000):
        applications_apply_batch(actor=hr, round=round_, employees=qualified[start : start + 1000])
    print(f"申报：合格人员名单 {len(qualified):,} 人（{listed:.1f} s），已全部代为申报"
          f"（{time.perf_counter() - started:.1f} s）；批次共 {round_.applications.count():,} 份")
    # What the qualified_list job does when HR asks for the list of a big round: its page reads this.
    from jinjie.applications.services import qualified_compute

    started = time.perf_counter()
    qualified_compute(actor=hr, round=round_)
    print(f"合格人员名单后台计算（qualified_list）：{time.perf_counter() - started:.1f} s")


@dataclass
class Figures:
    label: str
    url: str
    who: str
    timed: int  # requests timed
    first_ms: float  # the warm-up request (for a report: computes what later requests find in the cache)
    median_ms: float
    p95_ms: float
    queries: int
    sql_ms: float
    size_kb: float
    captured: list  # the captured queries of the counted request


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(client, label: str, url: str, who: str, requests: int) -> Figures:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    response = client.get(url)  # warm: templates compiled, SQLite pages cached, session loaded
    first = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{label} {url}（{who}）返回 {response.status_code}：{response.content[:300]!r}")
    if first > SLOW_WARMUP_S:
        requests = min(requests, FEW_REQUESTS)  # seconds a page: a few timings tell as much, much sooner
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
    return Figures(label, url, who, len(times), first * 1000, statistics.median(times), p95(times), len(captured), sql_ms,
                   len(response.getvalue()) / 1024, captured.captured_queries)


def rulebook_draft(hr) -> int:
    """A draft of the ladder standard for HR's unit (its page compares it with the one in force),
    made once: the in-force document with one threshold changed."""
    import copy
    from datetime import date

    from jinjie.rulebooks.models import BookKind, BookStatus, RuleBook
    from jinjie.rulebooks.selectors import rulebook_in_force
    from jinjie.rulebooks.services import rulebook_create_draft

    draft = RuleBook.objects.filter(kind=BookKind.LADDER, status=BookStatus.DRAFT, org_unit=hr.org_unit).first()
    if draft is None:
        document = copy.deepcopy(rulebook_in_force(kind=BookKind.LADDER, on=date.today(), unit=hr.org_unit).document)
        document["pay"]["base"] = "2100"
        draft = rulebook_create_draft(kind=BookKind.LADDER, document=document, effective_from=date(2099, 1, 1), actor=hr)
    return draft.pk


def run_pages(period: str, requests: int, only: list[str] | None = None) -> list[Figures]:
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from jinjie.applications.models import Application, ApplicationRound
    from jinjie.development.models import FavourList, Survey
    from jinjie.org.models import User
    from jinjie.reports.registry import REPORTS
    from jinjie.selections.models import Selection

    # The reports keep aggregates in the cache: start cold, so that "首次" is what a first reader waits.
    cache.clear()
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["weiyuanhui", "yingxiao", "yuangong1", "hr", "zhuanmai", "yuangong3", "lingdao", "yuangong2",
                          "daoshi", "yuangong6"]
        )
    }
    clients = {}
    for username, user in users.items():
        clients[username] = Client()
        clients[username].force_login(user)
    employee_pk = users["yuangong1"].employee_id
    proposals = reverse("web:proposals")
    # A finished evaluation job of the committee's (what its page shows after a run) and the
    # load balancer's health check, asked without a login.
    from jinjie.core.models import Job, JobState

    job = Job.objects.filter(created_by=users["weiyuanhui"], kind="evaluation_run").first() or Job.objects.create(
        kind="evaluation_run", label="季度测评", created_by=users["weiyuanhui"], state=JobState.SUCCEEDED,
        args={"period": period}, result={"period": period, "org_unit": "", "counts": {"hold": 1}, "total": 1},
    )
    clients["anonymous"] = Client()
    pages = [
        ("建议列表（第一页）", f"{proposals}?period={period}", "weiyuanhui"),
        ("建议列表（move=level_up）", f"{proposals}?period={period}&move=level_up", "weiyuanhui"),
        ("建议列表（第 20 页）", f"{proposals}?period={period}&page=20", "weiyuanhui"),
        ("工作台（考评委员会）", reverse("web:home"), "weiyuanhui"),
        ("待我审批（考评委员会）", reverse("web:queue"), "weiyuanhui"),
        ("待我审批（按单位，第 10 页）", f"{reverse('web:queue')}?sort=unit&page=10", "weiyuanhui"),
        ("待我审批（序列审核·客户经理）", reverse("web:queue"), "yingxiao"),
        ("工作台（序列审核·客户经理）", reverse("web:home"), "yingxiao"),
        ("员工档案", reverse("web:employee", args=[employee_pk]), "weiyuanhui"),
        ("员工列表（第一页）", reverse("web:employees"), "weiyuanhui"),
        ("员工列表（第 20 页）", reverse("web:employees") + "?page=20", "hr"),
        ("公示列表", reverse("web:notices"), "weiyuanhui"),
        ("公示列表（员工）", reverse("web:notices"), "yuangong1"),
        ("我的职业发展", reverse("web:career"), "yuangong1"),
        ("API 建议列表", f"/api/proposals/?period={period}", "weiyuanhui"),
        ("API 建议列表（level_up）", f"/api/proposals/?period={period}&move=level_up", "weiyuanhui"),
        ("API /api/me/", "/api/me/", "yuangong1"),
        ("后台任务页", reverse("web:job", args=[job.pk]), "weiyuanhui"),
        ("后台任务进度（htmx）", reverse("web:job_progress", args=[job.pk]), "weiyuanhui"),
        ("/healthz", "/healthz", "anonymous"),
        ("评定标准", reverse("web:rulebooks"), "hr"),
        ("起草评定标准（表格·职级）", reverse("web:rulebook_new", args=["ladder"]), "hr"),
        ("起草评定标准（表格·专卖）", reverse("web:rulebook_new", args=["monopoly"]), "hr"),
        ("评定标准草稿（与现行对比）", reverse("web:rulebook", args=[rulebook_draft(users["hr"])]), "hr"),
        *((f"统计：{spec.label}", reverse("web:report", args=[name]), "lingdao") for name, spec in REPORTS.items()),
        ("统计：任职条件（中级C）", reverse("web:report", args=["criteria"]) + "?target=中级C", "lingdao"),
        ("统计：导出 Excel（职级流动）", reverse("web:report_export", args=["flows"]) + "?chart=flows", "lingdao"),
        ("API 统计：任职条件", "/api/reports/criteria/", "lingdao"),
        # 职业发展 (SPEC 5, 2.6)
        ("职业发展中心", reverse("web:portal"), "yuangong1"),
        ("个人发展计划（本人）", reverse("web:plan", args=[users["yuangong2"].employee_id]), "yuangong2"),
        ("个人发展计划（导师）", reverse("web:plan", args=[users["yuangong2"].employee_id]), "daoshi"),
        ("调查结果", reverse("web:survey_results", args=[Survey.objects.order_by("pk").first().pk]), "hr"),
        ("评先名单", reverse("web:favour_list", args=[FavourList.objects.order_by("pk").first().pk]), "hr"),
    ]
    open_round = ApplicationRound.objects.filter(closed_at__isnull=True).order_by("-pk").first()
    if open_round is not None:
        one = Application.objects.filter(round=open_round).order_by("pk").first()
        pages += [
            ("申报批次列表", reverse("web:rounds"), "hr"),
            ("申报批次（第一页）", reverse("web:round", args=[open_round.pk]), "hr"),
            ("申报批次（已申报）", reverse("web:round", args=[open_round.pk]) + "?status=submitted", "zhuanmai"),
            ("申报（一份）", reverse("web:application", args=[one.pk]), "hr"),
            ("我的职业发展（专卖管理员）", reverse("web:career"), "yuangong3"),
            # A city's round: the snapshot computed above, who has applied read live.
            ("合格人员名单", reverse("web:round_qualified", args=[open_round.pk]), "hr"),
            ("API 申报列表", f"/api/applications/?round={open_round.pk}", "hr"),
        ]
    # 竞聘上岗: the demo's finished selection (JP…-001) and the open one (JP…-002).
    finished = Selection.objects.order_by("pk").first()
    if finished is not None:
        pages += [
            ("竞聘列表", reverse("web:selections"), "hr"),
            ("竞聘纪实（已任职）", reverse("web:selection", args=[finished.pk]), "hr"),
            ("评委评分表", reverse("web:selection_sheet", args=[finished.pk]), "weiyuanhui"),
            ("API 竞聘纪实", f"/api/selections/{finished.pk}/", "hr"),
            ("我的职业发展（可报名竞聘）", reverse("web:career"), "yuangong6"),
        ]
    if only:
        pages = [page for page in pages if any(text in page[0] for text in only)]
    return [measure(clients[who], label, url, who, requests) for label, url, who in pages]


def width(text: str) -> int:
    """Display width: a CJK character takes two columns."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def print_table(rows: list[Figures], employees: int, requests: int) -> None:
    print()
    print(f"{employees:,} 名员工；每页预热 1 次后计时 {requests} 次（预热超过 {SLOW_WARMUP_S:.0f} s 的页面只计 "
          f"{FEW_REQUESTS} 次），Django test Client，服务端时间")
    print("SQL 条数与 SQL ms 取另一次请求（SQL ms 为 execute 的时间，不含逐行读取结果）")
    print("“首次”为预热那一次（统计报表此时计算并缓存聚合结果，之后的请求读缓存）")
    print(f"{pad('页面', 30)}{pad('用户', 12)}{'次数':>5}{'首次 ms':>10}{'中位 ms':>10}{'p95 ms':>9}{'SQL 条':>8}"
          f"{'SQL ms':>9}{'KB':>7}")
    for r in rows:
        flag = f"  ← 慢（> {SLOW_MS} ms）" if r.median_ms > SLOW_MS else ""
        print(f"{pad(r.label, 30)}{pad(r.who, 12)}{r.timed:>5}{r.first_ms:>10.1f}{r.median_ms:>10.1f}{r.p95_ms:>9.1f}"
              f"{r.queries:>8}{r.sql_ms:>9.1f}{r.size_kb:>7.0f}{flag}")


def print_queries(rows: list[Figures]) -> None:
    for r in rows:
        if r.median_ms <= SLOW_MS:
            continue
        print(f"\n{r.label} {r.url}：{r.queries} 条 SQL，共 {r.sql_ms:.0f} ms；最慢的：")
        for q in sorted(r.captured, key=lambda q: -float(q["time"]))[:5]:
            print(f"  {float(q['time']) * 1000:8.1f} ms  {q['sql'][:400]}")


def main() -> None:
    args = parse_args()
    tmp = None
    db_path = args.db
    if db_path is None:
        tmp = Path(tempfile.mkdtemp(prefix="jinjie-pages-bench-"))
        db_path = tmp / "bench.sqlite3"
    db_path = db_path.resolve()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    env = bench_env(db_path, args.database_url)
    if args.database_url:
        if not args.reuse:
            empty_postgresql(args.database_url)
            build(env, args.employees)
        else:
            print(f"沿用数据库 {args.database_url}（--employees 不再生效）")
    elif not db_path.exists():
        build(env, args.employees)
    else:
        print(f"沿用数据库 {db_path}（--employees 不再生效）")
    setup_django(env)
    period = prepare(env)
    prepare_applications()
    if args.database_url:
        vacuum_analyze()

    from jinjie.people.models import Employee

    employees = Employee.objects.count()
    from django.db import connection

    connection.ensure_connection()
    where = f"{args.database_url}（PostgreSQL {connection.connection.info.server_version}）" if args.database_url \
        else f"{db_path}（SQLite {sqlite3.sqlite_version}）"
    print(f"数据库：{where}，测评期 {period}")
    rows = run_pages(period, args.requests, args.only)
    print_table(rows, employees, args.requests)
    if args.show_queries:
        print_queries(rows)
    if tmp is not None and not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    elif tmp is not None:
        print(f"数据库保留在 {db_path}")


if __name__ == "__main__":
    main()
