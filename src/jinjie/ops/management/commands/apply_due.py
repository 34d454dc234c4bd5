"""`jinjie apply-due [--date YYYY-MM-DD]`: the daily run of what falls due.

1. Application rounds whose window ended (from the day after `closes`) are closed: every
   application is checked at the round's check date and the result frozen (applications).
2. Ended notices close and due proposals take effect (approvals): ranks change, granted
   专卖管理员 levels are recorded.

Meant for a daily cron; running it twice (or twice at once) does each thing once. It lives here,
above both apps, because the workflow (approvals) may not know the channels built on it.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from jinjie.applications.services import rounds_close_due
from jinjie.approvals.services import apply_due


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD，收到 {text!r}") from None


class Command(BaseCommand):
    help = (
        "申报期满的批次进行资格审查；公示期满的建议转为待生效，并使生效日期已到的晋升/降级、"
        "专卖管理员等级生效（写入职级变动记录），可重复运行"
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", dest="day", help="按该日期办理（默认今天），格式 YYYY-MM-DD")

    def handle(self, *args, day=None, **options):
        today = _date(day) if day else None
        for closed in rounds_close_due(today=today):
            self.stdout.write(f"申报批次截止：{closed.summary()}")
        result = apply_due(today=today)
        for pk, why in result.voided:
            self.stderr.write(f"建议 #{pk} 作废：{why}")
        self.stdout.write(self.style.SUCCESS(result.summary()))
