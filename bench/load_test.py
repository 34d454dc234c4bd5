"""Scale-out load test: two app servers and one worker on one PostgreSQL, 50 simulated users.

    .venv/bin/python bench/load_test.py --database-url postgres://postgres@127.0.0.1:5432/jinjie_load
    make loadtest PG_URL=…            # the same (installs locust, the `bench` extra, first)

1. The database (REPLACED: it must be a scratch database): `jinjie init`, `jinjie demo
   --employees N` (100,000 by default), the demo's quarter evaluated and its drafts submitted, so
   that the committee has decisions waiting. `--reuse` keeps a database already built by this script.
2. Two `jinjie serve` (gunicorn, production settings, one process each, on 127.0.0.1 only) and one
   `jinjie worker`.
3. locust, headless, `--users` users (50) for `--minutes` (5), spawned at 5 a second, from
   bench/locustfile.py: the committee lists and decides, employees open 我的职业发展, HR lists
   employees and imports small score files. Every request goes to 127.0.0.1; the run is bounded in
   users and time and stops by itself.
4. p50/p95/p99 and errors per request, from locust's CSV; then the consistency check: every
   decision a user was told succeeded (HTTP 200) is one ApprovalStep row, no (proposal, sequence)
   twice, no proposal with the same step approved twice, and `jinjie check-ranks` clean.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PORTS = (8011, 8012)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a scratch PostgreSQL database (it is replaced)")
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep the data already in the database")
    return parser.parse_args()


def environment(url: str, var: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "jinjie.config.settings.production",
        "SECRET_KEY": "load-test-" + "x" * 40, "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0", "SECURE_HSTS_SECONDS": "0",
        "JINJIE_VAR_DIR": str(var), "STATIC_ROOT": str(var / "static"), "CONN_MAX_AGE": "60",
        # 50 simulated users log in as the same few demo accounts from one address.
        "JINJIE_LOGIN_LIMIT": "100000", "JINJIE_LOGIN_USER_LIMIT": "100000", "PYTHONUNBUFFERED": "1",
    })
    return env


def jinjie(env, *args, capture=True) -> str:
    started = time.perf_counter()
    done = subprocess.run([str(BIN / "jinjie"), *args], env=env, capture_output=capture, text=True)
    if done.returncode != 0:
        raise SystemExit(f"jinjie {' '.join(args)} 失败：{done.stdout}\n{done.stderr}")
    print(f"jinjie {' '.join(args)}：{time.perf_counter() - started:.1f} s", flush=True)
    return done.stdout or ""


def django_setup(env):
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS",
                                           "JINJIE_VAR_DIR", "STATIC_ROOT")})
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()


def prepare(env, employees: int, reuse: bool) -> str:
    from django.db import connection

    if not reuse:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        connection.close()
        jinjie(env, "init")
        jinjie(env, "demo", "--employees", str(employees))
    from jinjie.approvals.services import period_submit
    from jinjie.evaluations.models import Proposal, ProposalState
    from jinjie.evaluations.qualify import latest_complete_period
    from jinjie.org.models import User

    period = str(latest_complete_period())
    if not Proposal.objects.filter(period=period).exists():
        jinjie(env, "evaluate", "--period", period)
    if Proposal.objects.filter(period=period, state=ProposalState.DRAFT).exists():
        committee = User.objects.select_related("org_unit").get(username="weiyuanhui")
        started = time.perf_counter()
        done = period_submit(period=period, org_unit=committee.org_unit, actor=committee)
        print(f"period_submit：{len(done):,} 条，{time.perf_counter() - started:.1f} s", flush=True)
    jinjie(env, "collectstatic", "--noinput")
    return period


def wait_healthy(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.read() == b"ok":
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"127.0.0.1:{port} 未能启动")
        time.sleep(0.5)


def percentiles(stats_csv: Path) -> list[dict]:
    with open(stats_csv, newline="") as f:
        return list(csv.DictReader(f))


def consistency(started_at, decisions: list[dict], env) -> list[str]:
    """What the database holds about the decisions taken during the run; problems as Chinese lines."""
    from django.db.models import Count

    from jinjie.approvals.models import ApprovalStep

    problems = []
    during = ApprovalStep.objects.filter(decided_at__gte=started_at, actor__username="weiyuanhui")
    stored = during.count()
    if stored != len(decisions):
        problems.append(f"用户收到成功答复的决定 {len(decisions)} 条，数据库记录 {stored} 条")
    doubled_seq = (ApprovalStep.objects.values("proposal_id", "sequence").annotate(n=Count("id")).filter(n__gt=1).count())
    if doubled_seq:
        problems.append(f"{doubled_seq} 个 (建议, 序号) 出现不止一次")
    doubled_step = (during.filter(decision="approve").values("proposal_id", "step").annotate(n=Count("id"))
                    .filter(n__gt=1).count())
    if doubled_step:
        problems.append(f"{doubled_step} 条建议的同一环节被同意了不止一次")
    decided = {d["proposal"] for d in decisions}
    if len(decided) != len(decisions):
        problems.append(f"同一建议被报告成功决定了不止一次：{len(decisions) - len(decided)} 次")
    missing = decided - set(during.values_list("proposal_id", flat=True))
    if missing:
        problems.append(f"{len(missing)} 条答复成功的决定没有记录")
    check = subprocess.run([str(BIN / "jinjie"), "check-ranks"], env=env, capture_output=True, text=True)
    if check.returncode != 0:
        problems.append("jinjie check-ranks：" + (check.stdout + check.stderr).strip()[:500])
    print(f"一致性：答复成功的决定 {len(decisions)} 条，数据库本次记录 {stored} 条；check-ranks 退出码 {check.returncode}")
    return problems


def main() -> int:
    args = parse_args()
    var = Path(tempfile.mkdtemp(prefix="jinjie-load-"))
    (var / "static").mkdir()
    env = environment(args.database_url, var)
    django_setup(env)
    period = prepare(env, args.employees, args.reuse)

    from django.utils import timezone

    from jinjie.people.models import Employee

    employees = Employee.objects.count()
    score_employees = list(Employee.objects.filter(employee_no__startswith="LJ").order_by("employee_no")
                           .values_list("employee_no", flat=True)[:10])
    procs = []
    try:
        for port in PORTS:
            procs.append(subprocess.Popen([str(BIN / "jinjie"), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                                           "--", "--access-logfile", "/dev/null"], env=env))
        procs.append(subprocess.Popen([str(BIN / "jinjie"), "worker", "--verbosity", "0"], env=env))
        for port in PORTS:
            wait_healthy(port)
        started_at = timezone.now()
        decisions_file = var / "decisions.json"
        locust_env = dict(env, LOAD_HOSTS=",".join(f"http://127.0.0.1:{p}" for p in PORTS), LOAD_PERIOD=period,
                          LOAD_DECISIONS_FILE=str(decisions_file), LOAD_SCORE_EMPLOYEES=",".join(score_employees))
        run_seconds = int(args.minutes * 60)
        print(f"locust：{args.users} 个用户，{run_seconds} 秒，{len(PORTS)} 个应用进程 + 1 个后台任务进程，"
              f"{employees:,} 名员工，PostgreSQL", flush=True)
        subprocess.run([str(BIN / "locust"), "-f", str(REPO / "bench" / "locustfile.py"), "--headless",
                        "--users", str(args.users), "--spawn-rate", "5", "--run-time", f"{run_seconds}s",
                        "--host", f"http://127.0.0.1:{PORTS[0]}", "--csv", str(var / "load"), "--only-summary",
                        "--stop-timeout", "10"], env=locust_env, check=False, timeout=run_seconds + 300)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()

    rows = percentiles(var / "load_stats.csv")
    print(f"\n{datetime.now():%Y-%m-%d %H:%M}，{os.cpu_count()} 核；{employees:,} 名员工；{args.users} 用户 × {args.minutes:g} 分钟")
    print(f"{'请求':<42}{'次数':>8}{'失败':>6}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    for r in rows:
        print(f"{r['Name'][:40]:<42}{r['Request Count']:>8}{r['Failure Count']:>6}{r['50%']:>8}{r['95%']:>8}{r['99%']:>8}")
    decisions = json.loads(decisions_file.read_text()) if decisions_file.exists() else []
    problems = consistency(started_at, decisions, env)
    for line in problems:
        print("不一致：" + line)
    failures = next((int(r["Failure Count"]) for r in rows if r["Name"] == "Aggregated"), 0)
    print("结论：" + ("无错误，决定无丢失、无重复" if not problems and not failures else "见上"))
    return 1 if problems or failures else 0


if __name__ == "__main__":
    sys.exit(main())
