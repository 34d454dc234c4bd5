"""Benchmark: the rule-book what-if (试算) of one quarter against the evaluation of the same quarter.

    .venv/bin/python bench/whatif_bench.py --employees 5000
    .venv/bin/python bench/whatif_bench.py --employees 100000

Builds a SQLite demo bureau in a temporary directory as evaluate_bench.py does (`jinjie init`,
`jinjie demo --employees N`), or uses --db. For the latest complete quarter over every unit it
times, best of --repeat each:

- `evaluation_run` (the proposals deleted, untimed, before each run: every run is a first run);
- `whatif_run` of a draft of the default book (中级C: 36 → 30 months; 初级A: 平均绩效 84 → 83)
  beside the book in force, with no size bound — what a background job runs. Target: ≤ 3 × the
  evaluation.

Then the what-if of the largest unit whose scope fits the in-request bound
(JINJIE_WHATIF_MAX_EMPLOYEES, 20,000 by default), as the page runs it.
"""

from __future__ import annotations

import argparse
import copy
import gc
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

from evaluate_bench import setup_django  # noqa: E402 - the same database set-up as the evaluation's bench


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per side; the best is reported")
    parser.add_argument("--db", type=Path, default=None,
                        help="use this SQLite file; built (and kept) when it does not exist yet")
    return parser.parse_args()


def draft_book():
    from jinjie.rulebooks.models import BookKind, BookStatus, RuleBook
    from jinjie.rulebooks.services import rulebook_create_draft
    from jinjie.rules import DEFAULT_LADDER_BOOK

    note = "基准测试：中级C 年限 30 个月，初级A 平均绩效 83"
    existing = RuleBook.objects.filter(kind=BookKind.LADDER, status=BookStatus.DRAFT, note=note).first()
    if existing is not None:
        return existing
    doc = copy.deepcopy(DEFAULT_LADDER_BOOK)
    doc["ranks"]["中级C"]["criteria"][0] = {"type": "months_in_role", "op": ">=", "value": "30"}
    doc["ranks"]["初级A"]["criteria"][3]["value"] = "83"
    return rulebook_create_draft(kind=BookKind.LADDER, document=doc, effective_from=date(2099, 1, 1), note=note)


def largest_unit_within(bound: int):
    from jinjie.evaluations.facts import ladder_scope_filter
    from jinjie.org.models import OrgUnit
    from jinjie.people.models import Employee

    best = None
    for unit in OrgUnit.objects.all():
        size = Employee.objects.filter(ladder_scope_filter(org_unit=unit)).count()
        if size <= bound and (best is None or size > best[1]):
            best = (unit, size)
    return best


def main() -> None:
    args = parse_args()
    tmp = None
    db_path = args.db
    if db_path is None:
        tmp = Path(tempfile.mkdtemp(prefix="jinjie-whatif-bench-"))
        db_path = tmp / "bench.sqlite3"
    if not db_path.exists():
        t = time.perf_counter()
        subprocess.run([sys.executable, str(BENCH / "evaluate_bench.py"), "--generate-only", "--db", str(db_path),
                        "--employees", str(args.employees), "--data", "demo"], check=True)
        print(f"生成数据 {time.perf_counter() - t:.1f} s")
    setup_django(db_path)

    from django.conf import settings
    from django.db import connection

    from jinjie.evaluations.models import Proposal
    from jinjie.evaluations.qualify import latest_complete_period
    from jinjie.evaluations.services import evaluation_run
    from jinjie.reports.whatif import whatif_run

    period = latest_complete_period()
    book = draft_book()
    print(f"数据库：{db_path}，测评期 {period}（{period.label}），试算标准 v{book.version}（草稿）")

    def clear_proposals() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Proposal._meta.db_table}")

    runs, whatifs = [], []
    evaluated = 0
    for _ in range(args.repeat):
        clear_proposals()
        gc.collect()
        t = time.perf_counter()
        run = evaluation_run(period=period)
        runs.append(time.perf_counter() - t)
        evaluated = sum(run.counts.values())
    for _ in range(args.repeat):
        gc.collect()
        t = time.perf_counter()
        result = whatif_run(book=book, period=period, max_employees=None)
        whatifs.append(time.perf_counter() - t)
    run_s, whatif_s = min(runs), min(whatifs)
    print()
    print(f"evaluation_run：{run_s:.2f} s（各次 {' / '.join(f'{r:.2f}' for r in runs)} s），测评 {evaluated:,} 人")
    print(f"whatif_run（不限人数）：{whatif_s:.2f} s（各次 {' / '.join(f'{r:.2f}' for r in whatifs)} s），"
          f"{result.evaluated:,} 人，结果不同 {result.changed:,} 人，月职级工资增减 {result.pay_difference:,.2f} 元")
    print(f"比值：{whatif_s / run_s:.2f} ×（目标 ≤ 3 ×）")

    bound = settings.JINJIE_WHATIF_MAX_EMPLOYEES
    fits = largest_unit_within(bound)
    if fits is not None:
        unit, size = fits
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            whatif_run(book=book, period=period, org_unit=unit)
            times.append(time.perf_counter() - t)
        print(f"在线试算上限 {bound:,} 人内最大的单位 {unit.name}（{size:,} 人）：{min(times):.2f} s")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"进程 RSS 峰值 {rss / 1024:.0f} MiB")
    if tmp is not None:
        for f in tmp.iterdir():
            f.unlink()
        tmp.rmdir()


if __name__ == "__main__":
    main()
