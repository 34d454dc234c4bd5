"""`jinjie import KIND FILE [--dry-run] [--report FILE.csv]` (SPEC 7)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from jinjie.interchange.kinds import KINDS, kinds_text
from jinjie.interchange.report import report_lines, write_report_csv
from jinjie.interchange.services import import_file

SHOWN_ERRORS = 500


class Command(BaseCommand):
    help = "导入数据文件（CSV 或 XLSX）：先校验每一行，有任何错误则不写入并列出全部错误行"

    def add_arguments(self, parser):
        parser.add_argument(
            "kind", help=f"数据类别：{'、'.join(f'{k}({v.label})' for k, v in KINDS.items())}"
        )
        parser.add_argument("file", help="CSV (UTF-8) 或 XLSX 文件")
        parser.add_argument("--dry-run", action="store_true", help="只校验并报告将新增/更新的行数，不写入")
        parser.add_argument("--report", metavar="FILE.csv", help="把错误报告另存为 CSV")

    def handle(self, *args, kind, file, dry_run, report, **options):
        if kind not in KINDS:
            raise CommandError(f"未知的数据类别「{kind}」，应为：{kinds_text()}")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        out = Console(file=self.stdout._out, soft_wrap=True)
        err = Console(file=self.stderr._out)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        ) as bar:
            tasks: dict[str, int] = {}

            def progress(phase: str, done: int, total: int | None) -> None:
                if phase not in tasks:
                    tasks[phase] = bar.add_task(phase, total=total)
                bar.update(tasks[phase], completed=done, total=total)

            result = import_file(kind=kind, path_or_fileobj=path, dry_run=dry_run, progress=progress)
        if report:
            write_report_csv(report, result.errors)
        if result.ok:
            out.print(result.summary(), markup=False, highlight=False)
            return
        self._print_errors(out, result.errors)
        if len(result.errors) > SHOWN_ERRORS:
            more = len(result.errors) - SHOWN_ERRORS
            hint = f"（完整报告已写入 {report}）" if report else "（使用 --report 文件.csv 导出完整报告）"
            out.print(f"另有 {more} 处错误未显示{hint}", markup=False, highlight=False)
        raise CommandError(result.summary(), returncode=1)

    def _print_errors(self, console: Console, errors) -> None:
        shown = errors[:SHOWN_ERRORS]
        if not console.is_terminal:
            for line in report_lines(shown):
                console.print(line, markup=False, highlight=False)
            return
        table = Table(title="导入错误", show_lines=False)
        for title in ("行号", "列", "值", "原因"):
            table.add_column(title)
        for e in shown:
            table.add_row("—" if e.row is None else str(e.row), e.column, e.value, e.reason)
        console.print(table, markup=False, highlight=False)
