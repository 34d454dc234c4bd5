"""`jinjie evaluate --period 2026Q3 [--org PATH]` (SPEC 7): compute or recompute a period's outcomes."""

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from jinjie.core.errors import DomainError
from jinjie.evaluations.services import EvaluationError, evaluation_run, parse_period
from jinjie.org.selectors import org_unit_by_path
from jinjie.rules.ladder import MOVE_LABELS


class Command(BaseCommand):
    help = "职级测评：按测评期计算（或重新计算尚未提交审批的）晋升/降级建议，并按变动类别汇总人数"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="测评期，例如 2026Q3")
        parser.add_argument("--org", default=None, help="单位路径（含下级单位），例如 某省公司/某市局；不填为全部单位")

    def handle(self, *args, **options):
        try:
            period = parse_period(options["period"])
            unit = org_unit_by_path(options["org"])
        except DomainError as e:
            raise CommandError(str(e)) from None

        out = Console(file=self.stdout, width=100, highlight=False, soft_wrap=True)
        # The bar goes to stderr and disappears when done, so stdout holds only the summary.
        bar = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        with bar:
            task = bar.add_task(f"{period.label} 读取数据", total=None)

            def progress(stage: str, done: int, total: int) -> None:
                bar.update(task, description=f"{period.label} {stage}", completed=done, total=total or None)

            try:
                run = evaluation_run(period=period, org_unit=unit, progress=progress)
            except EvaluationError as e:
                raise CommandError(str(e)) from None

        table = Table(title=f"{period.label}（{period}）测评结果 — {unit.path if unit else '全部单位'}")
        table.add_column("变动")
        table.add_column("代码")
        table.add_column("人数", justify="right")
        for move, n in run.counts.items():
            table.add_row(MOVE_LABELS[move], move, str(n))
        table.add_section()
        table.add_row("合计", "total", str(sum(run.counts.values())))
        out.print(table)
        book = run.rulebook
        out.print(f"评定标准：{book.get_kind_display()} 版本 {book.version}（{book.effective_from} 起生效）")
        if run.kept:
            out.print(f"已进入审批、未重新计算：{run.kept} 人")
        if run.managers:
            out.print(f"管理岗, 不参加测评：{len(run.managers)} 人")
        if run.problems:
            out.print(f"无法测评：{len(run.problems)} 人")
            for item in run.problems[:20]:
                out.print(f"  {item['employee_no']}：{item['message']}")
            if len(run.problems) > 20:
                out.print(f"  …… 另有 {len(run.problems) - 20} 人，见测评运行记录 #{run.pk}")
