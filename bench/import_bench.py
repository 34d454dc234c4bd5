"""Import benchmark: generated SPEC 6 files into a fresh SQLite database, time and memory per file.

    .venv/bin/python bench/import_bench.py --employees 5000
    .venv/bin/python bench/import_bench.py --employees 100000 --tracemalloc
    .venv/bin/python bench/import_bench.py --employees 100000 \
        --database-url postgres://postgres@127.0.0.1:5432/jinjie_bulk_bench   # database replaced

Files: one CSV of each of the ten kinds of employee data (employees.csv with N rows, scores.csv
N × 3 months, training, ability, violations, contributions, annual, publications, qualifications,
rank_history), then the scores again (every row unchanged), the scores with every value changed
(updates + RecordRevision), and XLSX files of employees and scores for --xlsx-employees other
employees.

The floor of each of the ten kinds is measured in the same run on a second, SQLite, database with
the same schema (a copy of the freshly migrated one; with PostgreSQL, a SQLite file migrated the
same way, with the same units): Python's own sqlite3 reads the same CSV with the csv
module, maps 工号 and 单位路径 to ids (one SELECT each), and inserts the same rows into the same
columns with executemany in one transaction (the model's other columns take their defaults).
The ratio import ÷ floor is printed per kind and for the ten together (target ≤ 5 ×). Each import runs in a forked child so that its peak
RSS (ru_maxrss) is its own; the child's RSS before the import is printed as the baseline.
With --tracemalloc each import runs a second time (on a copy of the database) to measure the peak
of Python allocations, which tracemalloc slows down.
--database-url postgres://…/NAME imports into PostgreSQL instead of the temporary SQLite file: the
database NAME is dropped and created afresh; the floor stays Python's sqlite3 on SQLite, so the
ratio says how far PostgreSQL imports are from the same floor. A DATABASE_URL in the environment is
ignored (a benchmark replaces its database).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from multiprocessing import get_context
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

MONTHS = ("2026-07", "2026-08", "2026-09")
RANKS = ("见习", "初级C", "初级B", "初级A", "中级C", "中级B", "中级A")
EMPLOYEE_HEADER = [
    "工号",
    "姓名",
    "所属单位",
    "岗位序列",
    "本岗位起始日期",
    "入职日期",
    "学历",
    "职业技能等级",
    "工资档次",
    "当前职级",
    "现职级起始日期",
    "性别",
    "出生日期",
    "身份证号",
    "手机号",
    "状态",
]
COUNTIES = [f"某省公司/市局{c}/县局{k}" for c in range(1, 6) for k in range(1, 5)]


def setup_django(workdir: Path, database_url: str | None = None) -> None:
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["JINJIE_VAR_DIR"] = str(workdir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jinjie.config.settings.base"  # DEBUG off: no query log
    import django

    django.setup()


def build_schema() -> None:
    from django.core.management import call_command

    from jinjie.org.models import OrgUnit

    call_command("migrate", interactive=False, verbosity=0)
    for path in COUNTIES:
        parent = None
        for name in path.split("/"):
            parent, _ = OrgUnit.objects.get_or_create(name=name, parent=parent)


def id_number(birth: date, seq: int) -> str:
    from jinjie.people.idcard import checksum_char

    first17 = f"110105{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + checksum_char(first17)


def employee_rows(prefix: str, count: int, rng: random.Random):
    for i in range(count):
        birth = date(1970, 1, 1) + timedelta(days=rng.randrange(12000))
        start = date(2010, 1, 1) + timedelta(days=rng.randrange(5000))
        yield [
            f"{prefix}{i:06d}",
            f"员工{i}",
            COUNTIES[i % len(COUNTIES)],
            "客户经理" if i % 2 else "市场管理员",
            start.isoformat(),
            start.isoformat(),
            rng.choice(("高中", "大专", "本科")),
            rng.choice(("五级", "四级", "三级")),
            str(rng.randrange(5, 15)),
            rng.choice(RANKS),
            "2026-01-01",
            rng.choice(("男", "女")),
            birth.isoformat(),
            id_number(birth, i),
            f"138{i:08d}",
            "在岗",
        ]


def score_rows(prefix: str, count: int, rng: random.Random):
    for i in range(count):
        for month in MONTHS:
            yield [f"{prefix}{i:06d}", month, f"{rng.randrange(6000, 10000) / 100:.2f}"]


def training_rows(prefix: str, count: int, rng: random.Random):
    for i in range(count):
        no = f"{prefix}{i:06d}"
        exam = date(2025, 1, 1) + timedelta(days=rng.randrange(540))
        yield [no, exam.isoformat(), "考试", "业务知识", "", "", f"{rng.randrange(5500, 9800) / 100:.2f}", "是"]
        course = date(2025, 1, 1) + timedelta(days=rng.randrange(540))
        yield [no, course.isoformat(), "培训", "营销实务", "", f"{rng.randrange(8, 40)}", "", "是"]


def ability_rows(prefix: str, count: int, rng: random.Random):
    for i in range(count):
        yield [f"{prefix}{i:06d}", "2026Q3", f"{rng.randrange(6000, 9500) / 100:.2f}"]


def violation_rows(prefix: str, count: int, rng: random.Random):
    for i in range(0, count, 20):
        day = date(2026, 1, 1) + timedelta(days=rng.randrange(270))
        yield [f"{prefix}{i:06d}", day.isoformat(), rng.choice(("一般", "较重")), "违反工作纪律"]


def contribution_rows(prefix: str, count: int, rng: random.Random):
    for i in range(3, count, 30):
        day = date(2026, 1, 1) + timedelta(days=rng.randrange(270))
        yield [f"{prefix}{i:06d}", day.isoformat(), "查获大案"]


def annual_rows(prefix: str, count: int, rng: random.Random):
    for i in range(count):
        yield [f"{prefix}{i:06d}", "2025", "年度考核", rng.choice(("基本称职", "称职", "称职", "优秀"))]


def publication_rows(prefix: str, count: int, rng: random.Random):
    for i in range(5, count, 10):
        day = date(2024, 1, 1) + timedelta(days=rng.randrange(700))
        yield [f"{prefix}{i:06d}", day.isoformat(), f"论卷烟营销（{i}）", rng.choice(("市级", "省级")), "独著", "烟草经济"]


def qualification_rows(prefix: str, count: int, rng: random.Random):
    from jinjie.people.models import MONOPOLY_LEVELS

    for i in range(7, count, 10):
        day = date(2018, 1, 1) + timedelta(days=rng.randrange(2500))
        yield [f"{prefix}{i:06d}", MONOPOLY_LEVELS[0], day.isoformat()]


def rank_history_rows(prefix: str, count: int, rng: random.Random):
    # Before every employee's 现职级起始日期 (2026-01-01): history, which moves no current rank.
    for i in range(count):
        day = date(2020, 1, 1) + timedelta(days=rng.randrange(1800))
        yield [f"{prefix}{i:06d}", day.isoformat(), "见习", "初级C", "年度评定"]


# The ten kinds of employee data (SPEC 6), in import order: header and row generator.
TEN_KINDS = {
    "employees": (EMPLOYEE_HEADER, employee_rows),
    "scores": (["工号", "月份", "考核得分"], score_rows),
    "training": (["工号", "日期", "类别", "课程", "等级", "学时", "成绩", "是否合格"], training_rows),
    "ability": (["工号", "测评期", "得分"], ability_rows),
    "violations": (["工号", "日期", "情节", "说明"], violation_rows),
    "contributions": (["工号", "日期", "说明"], contribution_rows),
    "annual": (["工号", "年度", "类别", "等次"], annual_rows),
    "publications": (["工号", "日期", "题目", "刊物级别", "署名", "刊物"], publication_rows),
    "qualifications": (["工号", "等级", "取得日期"], qualification_rows),
    "rank_history": (["工号", "生效日期", "原职级", "新职级", "原因"], rank_history_rows),
}


def write_csv(path: Path, header, rows) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header, rows) -> Path:
    from jinjie.interchange.writers import write_table

    write_table(path, header, rows)
    return path


def _child(kind: str, path: str, trace: bool, conn) -> None:
    from django.db import connections

    from jinjie.interchange.services import import_file

    for connection in connections.all():
        connection.connection = None  # the parent's connection object: never used (nor closed) here
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    result = import_file(kind=kind, path_or_fileobj=path)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    conn.send(
        {
            "seconds": elapsed,
            "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "baseline_mb": baseline / 1024,
            "traced_mb": None if peak is None else peak / 1048576,
            "summary": result.summary(),
            "errors": [str(e) for e in result.errors[:5]],
        }
    )
    conn.close()


def floor_load(floor_db: Path, kind: str, path: Path) -> tuple[float, int]:
    """Python's sqlite3 alone: read the CSV, map 工号/单位路径 to ids, executemany the same rows into
    the same columns (the others take the model's defaults), commit. (seconds, rows)"""
    import json

    from jinjie.interchange.kinds import KINDS

    spec = KINDS[kind]
    model = spec.model
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = time.strftime("%Y-%m-%d %H:%M:%S")
    defaults = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults.append(now)
        else:
            value = f.get_default()
            defaults.append(json.dumps(value) if isinstance(value, dict | list) else value)
    position = {f.attname: i for i, f in enumerate(fields)}
    by_label = {c.label: c for c in spec.columns}
    sql = (f'INSERT INTO "{model._meta.db_table}" ({", ".join(chr(34) + f.column + chr(34) for f in fields)}) '
           f'VALUES ({", ".join("?" * len(fields))})')
    started = time.perf_counter()
    con = sqlite3.connect(floor_db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    employees = dict(con.execute("SELECT employee_no, id FROM people_employee")) if not spec.is_employees else {}
    units = dict(con.execute("SELECT path, id FROM org_orgunit")) if spec.is_employees else {}
    with open(path, encoding="utf-8-sig", newline="") as source:
        reader = csv.reader(source)
        header = next(reader)
        plan = []  # (cell index, value position, converter)
        for at, label in enumerate(header):
            column = by_label[label]
            if column.attname == "employee_id":
                convert = employees.__getitem__
            elif column.attname == "org_unit_id":
                convert = units.__getitem__
            elif column.parse.__name__ == "boolean":
                convert = {"是": 1, "否": 0}.get
            else:
                convert = None
            plan.append((at, position[column.attname], convert, column.empty))
        rows = []
        for cells in reader:
            values = list(defaults)
            for at, pos, convert, empty in plan:
                cell = cells[at]
                values[pos] = empty if cell == "" else convert(cell) if convert else cell
            rows.append(values)
    con.execute("BEGIN")
    con.executemany(sql, rows)
    con.execute("COMMIT")
    con.close()
    return time.perf_counter() - started, len(rows)


def checkpoint() -> None:
    """Move SQLite's write-ahead log into the main file, so that copying the file copies everything."""
    from django.db import connection, connections

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connections.close_all()


def measure(kind: str, path: Path, trace: bool = False) -> dict:
    from django.db import connections

    connections.close_all()
    context = get_context("fork")
    parent, child = context.Pipe()
    process = context.Process(target=_child, args=(kind, str(path), trace, child))
    process.start()
    child.close()  # so that recv() fails instead of waiting forever if the child dies
    try:
        figures = parent.recv()
    except EOFError:
        raise SystemExit(f"导入 {path.name} 的子进程异常退出 (exit code {process.exitcode})") from None
    finally:
        process.join()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=5000)
    parser.add_argument("--xlsx-employees", type=int, default=5000, help="employees in the XLSX files")
    parser.add_argument("--tracemalloc", action="store_true", help="also measure the peak of Python allocations")
    parser.add_argument("--keep", metavar="DIR", help="write the files and the database here and keep them")
    parser.add_argument("--database-url", metavar="URL",
                        help="postgres://…/NAME: import into this PostgreSQL database, which is replaced")
    parser.add_argument("--floor-schema", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.floor_schema:
        # A child of a PostgreSQL run: the floor's SQLite file, migrated, with the same units.
        floor_file = Path(args.floor_schema)
        setup_django(floor_file.parent, f"sqlite:///{floor_file}")
        build_schema()
        checkpoint()
        return
    if os.environ.pop("DATABASE_URL", None) and not args.database_url:
        print("注意：忽略环境变量 DATABASE_URL（基准测试会替换数据库）；PostgreSQL 请用 --database-url")
    workdir = Path(args.keep or tempfile.mkdtemp(prefix="jinjie-import-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if args.database_url:
        from postgres import is_postgres, replace_database

        if not is_postgres(args.database_url):
            raise SystemExit("--database-url 只接受 postgres://…（SQLite 为默认的临时文件）")
        replace_database(args.database_url)
    setup_django(workdir, args.database_url)
    build_schema()
    rng = random.Random(20260701)
    n, x = args.employees, args.xlsx_employees
    files = [(kind, write_csv(workdir / f"{kind}.csv", header, rows("E", n, rng)), True)
             for kind, (header, rows) in TEN_KINDS.items()]
    scores = workdir / "scores.csv"
    files.append(("scores", scores, False))  # the same file again: every row unchanged
    # New random scores: nearly every row changes (bulk_update plus one RecordRevision each).
    files.append(("scores", write_csv(workdir / "scores_changed.csv", ["工号", "月份", "考核得分"], score_rows("E", n, rng)),
                  False))
    files.append(("employees", write_xlsx(workdir / "employees.xlsx", EMPLOYEE_HEADER, employee_rows("X", x, rng)), False))
    files.append(("scores", write_xlsx(workdir / "scores.xlsx", ["工号", "月份", "考核得分"], score_rows("X", x, rng)), False))

    database = os.environ["DATABASE_URL"]
    sqlite_file = Path(database.removeprefix("sqlite:///")) if database.startswith("sqlite:///") else None
    # The floor's database: the same freshly migrated schema, units and nothing else.
    floor_db = workdir / "floor.sqlite3"
    if sqlite_file is not None:
        checkpoint()
        shutil.copyfile(sqlite_file, floor_db)
    else:
        subprocess.run([sys.executable, __file__, "--floor-schema", str(floor_db)], check=True)
    print(f"数据库: {database}（底线: Python sqlite3 {sqlite3.sqlite_version}, {floor_db.name}）；负载 {os.getloadavg()[0]:.2f} / {os.getloadavg()[1]:.2f}（1 / 5 分钟）")
    print(f"{'文件':<22}{'行数':>9}{'大小MB':>9}{'秒':>8}{'行/秒':>10}{'峰值RSS MB':>12}{'基线MB':>9}"
          f"{'tracemalloc MB':>16}{'底线 s':>9}{'比值':>8}")
    ten_import = ten_floor = 0.0
    ratios = []
    for kind, path, first in files:
        rows = sum(1 for _ in open(path, "rb")) - 1 if path.suffix == ".csv" else None
        traced = None
        if args.tracemalloc and sqlite_file is not None:
            # Measure allocations on a copy, so that the timed run below starts from the same state.
            snapshot = sqlite_file.with_suffix(".before")
            checkpoint()
            shutil.copyfile(sqlite_file, snapshot)
            traced = measure(kind, path, trace=True)["traced_mb"]
            shutil.copyfile(snapshot, sqlite_file)
            for suffix in ("-wal", "-shm"):
                Path(str(sqlite_file) + suffix).unlink(missing_ok=True)
        floor_s = None
        if first:
            floor_s, floor_rows = floor_load(floor_db, kind, path)
            assert floor_rows == rows, (kind, floor_rows, rows)
        figures = measure(kind, path)
        if figures["errors"]:
            print("  错误:", *figures["errors"], sep="\n  ")
        rows = rows or int(figures["summary"].split("共 ")[1].split(" 行")[0])
        ratio = ""
        if floor_s is not None:
            ten_import += figures["seconds"]
            ten_floor += floor_s
            ratios.append((kind, figures["seconds"] / floor_s))
            ratio = f"{figures['seconds'] / floor_s:.1f} ×"
        print(
            f"{path.name:<22}{rows:>9}{path.stat().st_size / 1048576:>9.1f}{figures['seconds']:>8.2f}"
            f"{rows / figures['seconds']:>10.0f}{figures['maxrss_mb']:>12.0f}{figures['baseline_mb']:>9.0f}"
            f"{'' if traced is None else f'{traced:.1f}':>16}{'' if floor_s is None else f'{floor_s:.2f}':>9}{ratio:>8}"
        )
        print(f"  {figures['summary']}")
    if ten_floor:
        print()
        engine = "PostgreSQL" if sqlite_file is None else "SQLite"
        print(f"比值（{engine} 导入 ÷ 同一次运行中 SQLite 上 sqlite3 executemany 同样的行、同样的列的底线；目标 ≤ 5 ×）：")
        print("  " + "，".join(f"{kind} {r:.1f} ×" for kind, r in ratios))
        print(f"  十类合计：导入 {ten_import:.2f} s ÷ 底线 {ten_floor:.2f} s = {ten_import / ten_floor:.1f} ×"
              f"（负载 {os.getloadavg()[0]:.2f}）")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
