"""`make bench`: every benchmark, one after the other, their output streamed as it comes.

    .venv/bin/python bench/run.py          # 5,000 employees
    .venv/bin/python bench/run.py --full   # then again at 100,000 (the demo takes ~1 min, the whole ~15 min)
    .venv/bin/python bench/run.py --only import --only evaluate --database-url postgres://…/jinjie_bench

Runs import_bench.py, evaluate_bench.py, whatif_bench.py and pages_bench.py at each size, each in its own process
on its own throw-away SQLite database. DATABASE_URL is removed from their environment: a
benchmark writes and drops data, and must never do so in the database a developer has pointed
the shell at. `--database-url postgres://…/NAME` (`make bench BENCH_PG_URL=…`) also runs the
import and evaluation benchmarks on that PostgreSQL database, which they replace; their floor
stays SQLite's. A failed script does not stop the others; the exit status is non-zero if any failed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SCRIPTS = ("import_bench.py", "evaluate_bench.py", "whatif_bench.py", "pages_bench.py")
ON_POSTGRESQL = ("import_bench.py", "evaluate_bench.py")  # the ones with --database-url
SIZES = (5_000,)
FULL_SIZES = (5_000, 100_000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also run every benchmark at 100,000 employees")
    parser.add_argument("--only", choices=[s.removesuffix("_bench.py") for s in SCRIPTS], action="append",
                        help="run only this benchmark (may be repeated)")
    parser.add_argument("--database-url", metavar="URL",
                        help="postgres://…/NAME: also run import and evaluate there (the database is replaced)")
    args = parser.parse_args()

    env = dict(os.environ, PYTHONUNBUFFERED="1")  # stream: the children's stdout is a pipe under make
    if env.pop("DATABASE_URL", None):
        print("注意：基准测试忽略环境变量 DATABASE_URL，均在临时 SQLite 数据库上运行", flush=True)
    scripts = [s for s in SCRIPTS if not args.only or s.removesuffix("_bench.py") in args.only]
    failed, timings = [], []
    for employees in FULL_SIZES if args.full else SIZES:
        runs = [(script, []) for script in scripts]
        if args.database_url:
            runs += [(script, ["--database-url", args.database_url]) for script in scripts if script in ON_POSTGRESQL]
        for script, extra in runs:
            cmd = [sys.executable, str(BENCH / script), "--employees", str(employees), *extra]
            label = f"{script}{' (PostgreSQL)' if extra else ''}"
            print(f"\n=== {label} --employees {employees:,} ===", flush=True)
            started = time.perf_counter()
            code = subprocess.run(cmd, env=env).returncode
            elapsed = time.perf_counter() - started
            timings.append((label, employees, elapsed, code))
            if code != 0:
                failed.append(f"{label} --employees {employees}")
                print(f"!!! {label} 退出码 {code}", flush=True)

    print("\n=== 汇总 ===")
    for script, employees, elapsed, code in timings:
        print(f"{script:<34}{employees:>9,} 人 {elapsed:>8.1f} s  {'通过' if code == 0 else f'失败（退出码 {code}）'}")
    if failed:
        print("失败：" + "、".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
