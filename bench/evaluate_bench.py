"""Benchmark: a whole quarterly evaluation against a floor measured in the same run.

    .venv/bin/python bench/evaluate_bench.py --employees 5000
    .venv/bin/python bench/evaluate_bench.py --employees 100000
    .venv/bin/python bench/evaluate_bench.py --employees 100000 \
        --database-url postgres://postgres@127.0.0.1:5432/jinjie_bulk_bench   # database replaced

Builds a fresh SQLite database in a temporary directory (`jinjie init`, then `jinjie demo
--employees N` when that command exists, else this script's own bulk generator; `--data own`
forces the latter), then times `evaluation_run` for the latest complete quarter.

The floor is what Python's own sqlite3 module needs for the same I/O: the same six SELECTs
(employees with their latest rank change, the three months' scores side by side, the 考试 records of the last
twelve months, the period's ability scores, violations, contributions), each fetched in full, and
one row per employee written with executemany into a temp table, committed. The target is an
evaluation within 5× that floor (issue 14). Both sides are timed `--repeat` times and the best is reported
(the machine may be shared); before each timed evaluation the proposals are cleared, untimed, so
each is a first run of the period (on PostgreSQL followed by VACUUM ANALYZE of the proposals, as
autovacuum would after the delete). Peak memory is measured on one more run (a re-run, which also
deletes the previous drafts) under tracemalloc, so that the timed runs are not slowed by it.

With --database-url postgres://…/NAME the evaluation runs on PostgreSQL: the database NAME is
dropped, created and filled by the same `jinjie demo` (same seed, so the same data) as the SQLite
file beside it, on which the floor is still measured with Python's sqlite3 — the ratio is
PostgreSQL's evaluation to the same floor. With --reuse, a database that already holds the demo
(from an earlier run with the same --employees and --seed) is kept as it is.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=5000)
    parser.add_argument("--data", choices=("auto", "demo", "own"), default="auto",
                        help="auto: `jinjie demo --employees N` if it exists, else the built-in generator")
    parser.add_argument("--seed", type=int, default=20260930)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per side; the best is reported")
    parser.add_argument("--keep", action="store_true", help="keep the database file and print its path")
    parser.add_argument("--db", type=Path, default=None,
                        help="use this SQLite file; built (and kept) when it does not exist yet")
    parser.add_argument("--database-url", metavar="URL",
                        help="postgres://…/NAME: evaluate in this PostgreSQL database, which is replaced "
                             "(the floor stays on SQLite)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --database-url: keep that database as it is when it already holds the demo "
                             "(built by an earlier run with the same --employees and --seed)")
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def setup_django(db_path: Path, database_url: str | None = None) -> None:
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{db_path}"
    # The base settings: DEBUG off, as in production (dev logs every query).
    os.environ["DJANGO_SETTINGS_MODULE"] = "jinjie.config.settings.base"
    import django

    django.setup()


# --- the built-in generator ------------------------------------------------------------------


def _insert(cursor, model, rows: list[dict]) -> None:
    """Raw executemany of dicts into a model's table; Django-side defaults filled in here."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    now = time.strftime("%Y-%m-%d %H:%M:%S")
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.name] = now
        elif f.has_default():
            value = f.get_default()
            defaults[f.name] = "{}" if value == {} else "[]" if value == [] else value
        else:
            defaults[f.name] = None
    names = [f.attname if f.is_relation else f.name for f in fields]
    plain = [f.name for f in fields]
    values = [tuple(row.get(n, row.get(p, defaults[p]))for n, p in zip(names, plain, strict=True)) for row in rows]
    sql = f'INSERT INTO "{model._meta.db_table}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) ' \
          f'VALUES ({", ".join(["%s"] * len(columns))})'
    cursor.executemany(sql, values)


def generate(n: int, seed: int, period) -> None:
    """A bureau of `n` field staff: 10 cities × 10 counties, a year of monthly scores and records."""
    from django.db import connection, transaction

    from jinjie.assessments.models import AbilityScore, MonthlyScore
    from jinjie.org.models import OrgUnit
    from jinjie.people.models import Contribution, Employee, RankChange, TrainingRecord, Violation
    from jinjie.rules.calendar import add_months
    from jinjie.rules.ladder import RANKS

    rnd = random.Random(seed)
    province = OrgUnit.objects.create(name="东海省烟草专卖局(公司)", kind="province")
    counties = []
    for c in range(10):
        city = OrgUnit.objects.create(name=f"第{c + 1}市局", parent=province, kind="city")
        counties += [OrgUnit.objects.create(name=f"第{k + 1}县局", parent=city) for k in range(10)]

    boundary = period.boundary
    months = []
    for back in range(12, 0, -1):
        d = add_months(boundary, -back)
        months.append(f"{d.year:04d}-{d.month:02d}")
    periods = [str(period.previous()), str(period)]
    step_weights = [8, 16, 15, 13, 12, 10, 9, 7, 6, 4]
    educations = ["初中及以下", "高中", "中专", "大专", "本科", "硕士"]
    edu_weights = [3, 20, 10, 35, 30, 2]
    vocationals = ["", "五级", "四级", "三级", "二级"]

    employees, scores, training, ability, violations, contributions, changes = [], [], [], [], [], [], []
    for i in range(n):
        step = rnd.choices(range(10), step_weights)[0]
        track = rnd.choices(["客户经理", "市场管理员", "专卖管理员"], [60, 35, 5])[0]
        role_start = date(2008, 1, 1) + timedelta(days=rnd.randrange(0, 365 * 18))
        rank_since = period.start - timedelta(days=rnd.randrange(-60, 900))
        employees.append({
            "employee_no": f"B{i:07d}", "name": f"员工{i}", "org_unit_id": counties[i % len(counties)].pk,
            "track": track, "role_start_date": role_start.isoformat(), "hire_date": role_start.isoformat(),
            "education": rnd.choices(educations, edu_weights)[0], "vocational_level": rnd.choice(vocationals),
            "current_rank": RANKS[step] if track != "专卖管理员" else "初级专卖管理员",
            "rank_since": rank_since.isoformat(), "status": "在岗" if rnd.random() > 0.02 else "离岗",
        })
    with transaction.atomic(), connection.cursor() as cursor:
        _insert(cursor, Employee, employees)
        ids = [pk for (pk,) in Employee.objects.order_by("pk").values_list("pk")]
        for pk, emp in zip(ids, employees, strict=True):
            base = rnd.gauss(86, 5)
            for m in months:
                if rnd.random() < 0.004:
                    continue  # a missing month now and then: some outcomes are incomplete
                score = max(30.0, min(100.0, rnd.gauss(base, 3)))
                scores.append({"employee_id": pk, "month": m, "score": f"{score:.1f}", "items": "{}"})
            for k in range(3):
                day = boundary - timedelta(days=rnd.randrange(1, 540))
                kind = "培训" if k == 2 else "考试"
                training.append({"employee_id": pk, "date": day.isoformat(), "kind": kind, "course": f"课程{k}",
                                 "score": f"{rnd.uniform(55, 98):.1f}", "level": ""})
            for p in periods:
                ability.append({"employee_id": pk, "period": p, "score": f"{rnd.uniform(60, 95):.1f}"})
            if rnd.random() < 0.06:
                day = period.start + timedelta(days=rnd.randrange(0, 200) - 60)
                violations.append({"employee_id": pk, "date": day.isoformat(), "severity": "一般",
                                   "description": "违反工作纪律"})
            if rnd.random() < 0.03:
                day = period.start + timedelta(days=rnd.randrange(0, 90))
                contributions.append({"employee_id": pk, "date": day.isoformat(), "description": "查获大案"})
            step = RANKS.index(emp["current_rank"]) if emp["current_rank"] in RANKS else 0
            since = date.fromisoformat(emp["rank_since"])
            for back in range(rnd.randrange(0, 3)):
                came_from = min(9, step + 1) if rnd.random() < 0.2 else max(0, step - 1)
                changes.append({"employee_id": pk, "effective_date": (since - timedelta(days=400 * back)).isoformat(),
                                "from_rank": RANKS[came_from], "to_rank": RANKS[step], "source": "import",
                                "source_ref": "", "reason": ""})
                step = came_from
        for model, rows in ((MonthlyScore, scores), (TrainingRecord, training), (AbilityScore, ability),
                            (Violation, violations), (Contribution, contributions), (RankChange, changes)):
            _insert(cursor, model, rows)
    print(f"数据：{n:,} 名员工，{len(scores):,} 条月度考核，{len(training):,} 条培训记录，{len(ability):,} 条能力测评，"
          f"{len(violations):,} 条违规，{len(contributions):,} 条贡献，{len(changes):,} 条职级变动")


# --- the floor -------------------------------------------------------------------------------

FLOOR_SELECTS = (
    """SELECT e.id, e.employee_no, e.track, e.current_rank, e.role_start_date, e.education, e.vocational_level,
              e.rank_since,
              (SELECT r.from_rank FROM people_rankchange r WHERE r.employee_id = e.id
               ORDER BY r.effective_date DESC, r.id DESC LIMIT 1),
              (SELECT r.to_rank FROM people_rankchange r WHERE r.employee_id = e.id
               ORDER BY r.effective_date DESC, r.id DESC LIMIT 1)
       FROM people_employee e WHERE e.status = '在岗' AND e.track IN ('客户经理', '市场管理员')
       ORDER BY e.employee_no""",
    """SELECT s.employee_id, MAX(CASE WHEN s.month = :m1 THEN s.score END),
              MAX(CASE WHEN s.month = :m2 THEN s.score END), MAX(CASE WHEN s.month = :m3 THEN s.score END)
       FROM assessments_monthlyscore s JOIN people_employee e ON e.id = s.employee_id
       WHERE s.month IN (:m1, :m2, :m3) AND e.status = '在岗' AND e.track IN ('客户经理', '市场管理员')
       GROUP BY s.employee_id""",
    """SELECT t.employee_id, t.date, t.score FROM people_trainingrecord t
       JOIN people_employee e ON e.id = t.employee_id
       WHERE t.kind = '考试' AND t.date >= :lookback AND t.date < :boundary AND t.score IS NOT NULL
         AND e.status = '在岗' AND e.track IN ('客户经理', '市场管理员')""",
    """SELECT a.employee_id, a.score FROM assessments_abilityscore a
       JOIN people_employee e ON e.id = a.employee_id
       WHERE a.period = :period AND e.status = '在岗' AND e.track IN ('客户经理', '市场管理员')""",
    """SELECT v.employee_id, v.date FROM people_violation v JOIN people_employee e ON e.id = v.employee_id
       WHERE v.date >= :start AND v.date < :boundary AND e.status = '在岗' AND e.track IN ('客户经理', '市场管理员')""",
    """SELECT c.employee_id, c.date FROM people_contribution c JOIN people_employee e ON e.id = c.employee_id
       WHERE c.date >= :start AND c.date < :boundary AND e.status = '在岗' AND e.track IN ('客户经理', '市场管理员')""",
)


def floor(db_path: Path, period) -> tuple[float, float, int]:
    """Seconds to read the facts and to write one row per employee with the standard library alone."""
    params = {"m1": period.months[0], "m2": period.months[1], "m3": period.months[2],
              "lookback": period.lookback_start.isoformat(), "start": period.start.isoformat(),
              "boundary": period.boundary.isoformat(), "period": str(period)}
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    t0 = time.perf_counter()
    results = [con.execute(sql, params).fetchall() for sql in FLOOR_SELECTS]
    t1 = time.perf_counter()
    employees = results[0]
    con.execute("CREATE TEMP TABLE floor_out (employee_id INTEGER, period TEXT, from_rank TEXT, to_rank TEXT, "
                "move TEXT, route TEXT, reassign INTEGER, reasons TEXT, summary TEXT, state TEXT)")
    con.execute("BEGIN")
    con.executemany("INSERT INTO floor_out VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    ((row[0], params["period"], row[3], row[3], "hold", "[]", 0, "[]", "", "no_action")
                     for row in employees))
    con.execute("COMMIT")
    t2 = time.perf_counter()
    con.close()
    return t1 - t0, t2 - t1, len(employees)


# --- main ------------------------------------------------------------------------------------


def _rss_of(work) -> tuple[int, int] | None:
    """(RSS before, peak RSS during) `work()` in MiB, on Linux; None elsewhere."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        work()
        return None

    def status(key: str) -> int:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) // 1024
        raise KeyError(key)

    before = status("VmRSS")
    work()
    return before, status("VmHWM")


def build(args: argparse.Namespace, db_path: Path) -> None:
    """`jinjie init` and the data, in this (child) process (into --database-url when given)."""
    setup_django(db_path, args.database_url)
    from django.core.management import call_command, get_commands

    from jinjie.evaluations.qualify import latest_complete_period

    call_command("init", verbosity=0, stdout=io.StringIO())
    use_demo = args.data == "demo" or (args.data == "auto" and "demo" in get_commands())
    if use_demo:
        call_command("demo", employees=args.employees, verbosity=0)
        print(f"数据：jinjie demo --employees {args.employees}")
    else:
        generate(args.employees, args.seed, latest_complete_period())


def _holds_employees(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as db:
            return bool(db.execute("SELECT EXISTS (SELECT 1 FROM people_employee)").fetchone()[0])
    except psycopg.Error:
        return False  # no such database, or not migrated: built anew


def main() -> None:
    args = parse_args()
    if args.generate_only:
        build(args, args.db)
        return
    tmp = None
    db_path = args.db
    if db_path is None:
        tmp = Path(tempfile.mkdtemp(prefix="jinjie-bench-"))
        db_path = tmp / "bench.sqlite3"
    child = [sys.executable, __file__, "--generate-only", "--db", str(db_path), "--employees",
             str(args.employees), "--data", args.data, "--seed", str(args.seed)]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if not db_path.exists():
        # Built in a child process, so that this one's peak memory is the evaluation's, not the generator's.
        t = time.perf_counter()
        subprocess.run(child, check=True, env=env)
        print(f"生成数据 {time.perf_counter() - t:.1f} s")
    if args.database_url:
        from postgres import is_postgres, replace_database

        if not is_postgres(args.database_url):
            raise SystemExit("--database-url 只接受 postgres://…（SQLite 为默认的临时文件）")
        if args.reuse and _holds_employees(args.database_url):
            print(f"沿用 PostgreSQL 数据：{args.database_url}")
        else:
            replace_database(args.database_url)
            t = time.perf_counter()
            subprocess.run([*child, "--database-url", args.database_url], check=True, env=env)
            print(f"生成 PostgreSQL 数据 {time.perf_counter() - t:.1f} s")
    setup_django(db_path, args.database_url)

    from jinjie.evaluations.facts import load_ladder_facts
    from jinjie.evaluations.qualify import latest_complete_period
    from jinjie.evaluations.services import evaluation_run

    period = latest_complete_period()
    where = (f"PostgreSQL {args.database_url}（底线：SQLite {db_path}）" if args.database_url
             else f"{db_path}（SQLite {sqlite3.sqlite_version}）")
    print(f"数据库：{where}，测评期 {period}（{period.label}）")

    from django.db import connection

    from jinjie.evaluations.models import Proposal
    from jinjie.rulebooks.selectors import parsed_rulebook, rulebook_in_force
    from jinjie.rules.evaluate import evaluate

    def clear_proposals() -> None:
        # Untimed, so that every timed run starts from the same state (a first run, no drafts to replace).
        # Only the period's evaluation outcomes (drafts, nothing refers to them): the demo's other
        # proposals (专卖管理员 levels, 竞聘, earlier quarters) have approval steps and notices.
        table = Proposal._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE kind = %s AND period = %s", ["evaluation", str(period)])
            if connection.vendor == "postgresql":
                # What autovacuum does after a mass delete, done here rather than during the timed
                # run (where its worker would compete for the two cores): the table then is as a
                # first run of the period finds it, with no dead rows of the last run in its indexes.
                cursor.execute(f"VACUUM ANALYZE {table}")

    # The machine may be shared: every figure is the best of `--repeat` runs, both sides alike.
    floor(db_path, period)  # warm the page cache for both sides
    floors = [floor(db_path, period) for _ in range(args.repeat)]
    read_s = min(f[0] for f in floors)
    write_s = min(f[1] for f in floors)
    n_floor = floors[0][2]
    floor_s = min(f[0] + f[1] for f in floors)

    runs = []
    for _ in range(args.repeat):
        clear_proposals()
        gc.collect()
        t = time.perf_counter()
        run = evaluation_run(period=period)
        runs.append(time.perf_counter() - t)
    run_s = min(runs)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    evaluated = sum(run.counts.values())

    # The parts, for reading the total: facts loading alone, and the pure engine alone.
    loads, engines = [], []
    book = parsed_rulebook(rulebook_in_force(kind="ladder", on=period.start))
    for _ in range(args.repeat):
        t = time.perf_counter()
        loaded = load_ladder_facts(period=period)
        loads.append(time.perf_counter() - t)
        t = time.perf_counter()
        for facts in loaded.facts.values():
            evaluate(facts, period, book)
        engines.append(time.perf_counter() - t)
        del loaded
    load_s, engine_s = min(loads), min(engines)

    # The process's own peak during one run (a re-run), apart from the floor's and the parts'
    # allocations above: Linux resets the high-water mark (VmHWM) on "5" > /proc/self/clear_refs.
    gc.collect()
    run_rss = _rss_of(lambda: evaluation_run(period=period))

    gc.collect()
    tracemalloc.start()
    evaluation_run(period=period)  # a re-run: also deletes the drafts of the previous one
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print()
    print(f"测评人数 {evaluated:,}（底线读到 {n_floor:,}），各类：" + "，".join(f"{k} {v}" for k, v in run.counts.items()))
    print(f"底线 (sqlite3 六个 SELECT + executemany)：读取 {read_s:.2f} s + 写入 {write_s:.2f} s = {floor_s:.2f} s")
    print(f"evaluation_run：{run_s:.2f} s（各次 {' / '.join(f'{r:.2f}' for r in runs)} s）")
    print(f"  其中：读取事实 {load_s:.2f} s（{load_s / floor_s:.1f} × 底线），"
          f"规则引擎 {engine_s:.2f} s（{engine_s / floor_s:.1f} × 底线），"
          f"其余（事务、删除、写入）约 {max(0.0, run_s - load_s - engine_s):.2f} s")
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(f"比值：{engine} evaluation_run ÷ SQLite 底线 = {run_s:.2f} s ÷ {floor_s:.2f} s = {run_s / floor_s:.1f} ×（目标 ≤ 5 ×）；"
          f"负载 {os.getloadavg()[0]:.2f}")
    print(f"峰值内存：Python 分配峰值 {peak / 2**20:.0f} MiB（tracemalloc，重跑）；进程 RSS 峰值 {rss / 1024:.0f} MiB"
          f"（含底线与分项的读取）")
    if run_rss is not None:
        before, high = run_rss
        print(f"  一次 evaluation_run 期间的进程 RSS：开始 {before} MiB，峰值 {high} MiB（增加 {high - before} MiB）")
    if tmp is not None and not args.keep:
        for f in tmp.iterdir():
            f.unlink()
        tmp.rmdir()
    elif tmp is not None:
        print(f"数据库保留在 {db_path}")


if __name__ == "__main__":
    main()
