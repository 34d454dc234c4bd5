"""`jinjie apply-due [--date YYYY-MM-DD]`: close ended notices and make due proposals take effect.

Meant for a daily cron; running it twice (or twice at once) applies each proposal once.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from jinjie.approvals.services import apply_due


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD，收到 {text!r}") from None


class Command(BaseCommand):
    help = "公示期满的建议转为待生效，并使生效日期已到的晋升/降级生效（写入职级变动记录），可重复运行"

    def add_arguments(self, parser):
        parser.add_argument("--date", dest="day", help="按该日期办理（默认今天），格式 YYYY-MM-DD")

    def handle(self, *args, day=None, **options):
        result = apply_due(today=_date(day) if day else None)
        for pk, why in result.voided:
            self.stderr.write(f"建议 #{pk} 作废：{why}")
        self.stdout.write(self.style.SUCCESS(result.summary()))
