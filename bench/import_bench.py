"""Import benchmark: generated SPEC 6 files into a fresh SQLite database, time and memory per file.

    .venv/bin/python bench/import_bench.py --employees 5000
    .venv/bin/python bench/import_bench.py --employees 100000 --tracemalloc

Files: employees.csv (N), scores.csv (N × 3 months), the same scores again (every row unchanged),
the scores with every value changed (updates + RecordRevision), and XLSX files of employees and
scores for --xlsx-employees other employees. Each import runs in a forked child so that its peak
RSS (ru_maxrss) is its own; the child's RSS before the import is printed as the baseline.
With --tracemalloc each import runs a second time (on a copy of the database) to measure the peak
of Python allocations, which tracemalloc slows down.
A DATABASE_URL in the environment is used instead of the temporary SQLite file.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
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


def setup_django(workdir: Path) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
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
    args = parser.parse_args()

    workdir = Path(args.keep or tempfile.mkdtemp(prefix="jinjie-import-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    setup_django(workdir)
    build_schema()
    rng = random.Random(20260701)
    n, x = args.employees, args.xlsx_employees
    files = [
        ("employees", write_csv(workdir / "employees.csv", EMPLOYEE_HEADER, employee_rows("E", n, rng))),
        ("scores", write_csv(workdir / "scores.csv", ["工号", "月份", "考核得分"], score_rows("E", n, rng))),
    ]
    files.append(("scores", files[-1][1]))  # the same file again: every row unchanged
    # New random scores: nearly every row changes (bulk_update plus one RecordRevision each).
    files.append(("scores", write_csv(workdir / "scores_changed.csv", ["工号", "月份", "考核得分"], score_rows("E", n, rng))))
    files.append(("employees", write_xlsx(workdir / "employees.xlsx", EMPLOYEE_HEADER, employee_rows("X", x, rng))))
    files.append(("scores", write_xlsx(workdir / "scores.xlsx", ["工号", "月份", "考核得分"], score_rows("X", x, rng))))

    database = os.environ["DATABASE_URL"]
    sqlite_file = Path(database.removeprefix("sqlite:///")) if database.startswith("sqlite:///") else None
    print(f"数据库: {database}")
    print(f"{'文件':<22}{'行数':>9}{'大小MB':>9}{'秒':>8}{'行/秒':>10}{'峰值RSS MB':>12}{'基线MB':>9}{'tracemalloc MB':>16}")
    for kind, path in files:
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
        figures = measure(kind, path)
        if figures["errors"]:
            print("  错误:", *figures["errors"], sep="\n  ")
        rows = rows or int(figures["summary"].split("共 ")[1].split(" 行")[0])
        print(
            f"{path.name:<22}{rows:>9}{path.stat().st_size / 1048576:>9.1f}{figures['seconds']:>8.2f}"
            f"{rows / figures['seconds']:>10.0f}{figures['maxrss_mb']:>12.0f}{figures['baseline_mb']:>9.0f}"
            f"{'' if traced is None else f'{traced:.1f}':>16}"
        )
        print(f"  {figures['summary']}")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
