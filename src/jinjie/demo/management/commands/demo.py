"""`jinjie demo [--employees N] [--seed S]`: the demo bureau, its logins printed as a table.

Run again when the bureau exists, it only prints the logins (`make demo` runs it every time).
"""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from jinjie.demo.bureau import CITY, PROVINCE
from jinjie.demo.selectors import demo_logins
from jinjie.demo.services import DemoError, demo_create
from jinjie.org.models import OrgUnit


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD，收到 {value!r}") from None


class Command(BaseCommand):
    help = "创建演示单位(虚构的东海省/临江市烟草专卖局)、员工数据和每个角色的演示账号；已存在时只列出账号"

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=600, help="员工人数(默认 600)")
        parser.add_argument("--seed", type=int, default=1, help="随机种子：相同种子生成相同数据(默认 1)")
        parser.add_argument("--today", type=_date, default=None,
                            help="按哪一天生成(YYYY-MM-DD，默认今天，或演示设置的 JINJIE_TODAY)：数据截至其前一个完整季度")

    def handle(self, *args, employees, seed, today, **options):
        if OrgUnit._meta.db_table not in connection.introspection.table_names():
            raise CommandError("数据库尚未初始化：请先运行 jinjie init")
        # rich writes to the real stream: Django's OutputWrapper would add a newline to every write.
        console = Console(file=self.stdout._out, highlight=False)
        if not console.is_terminal:
            console.width = 120  # a log or a pipe: do not squeeze the table into 80 columns
        started = time.perf_counter()
        progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TimeRemainingColumn(), console=console, transient=False,
        )
        task = None

        def on_progress(done: int, total: int) -> None:
            nonlocal task
            if task is None:
                task = progress.add_task("生成员工及其记录", total=total)
            progress.update(task, completed=done)

        try:
            with progress:
                result = demo_create(employees=employees, seed=seed, today=today, on_progress=on_progress)
        except DemoError as e:
            raise CommandError(str(e)) from e

        if result.created:
            rows = sum(result.rows.values())
            console.print(
                f"已创建演示单位 {PROVINCE} / {CITY}：{result.employees} 名员工，"
                f"{rows} 条记录，数据截至 {result.period}（可运行 jinjie evaluate --period {result.period}），"
                f"用时 {time.perf_counter() - started:.1f} 秒"
            )
            console.print("；".join(f"{label} {n}" for label, n in result.rows.items()))
        else:
            console.print(f"演示单位已存在（{result.employees} 名员工），未做任何修改。")

        table = Table(title="演示账号（所有账号密码相同）")
        for column in ("用户名", "角色", "密码", "范围"):
            table.add_column(column)
        for row in demo_logins():
            table.add_row(row.username, row.role, row.password, row.scope)
        console.print(table)
