from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from jinjie.assessments.schemes import schemes_load_defaults
from jinjie.core.append_only import append_only_tables, installed_triggers
from jinjie.rulebooks.services import rulebook_load_defaults


class Command(BaseCommand):
    help = "创建或升级数据库结构，载入默认评定标准(含审批路径与薪酬系数)"

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        created = rulebook_load_defaults()
        schemes = schemes_load_defaults()
        missing = set(append_only_tables()) - installed_triggers()
        if missing:
            raise CommandError(f"历史表缺少只追加触发器: {', '.join(sorted(missing))}")
        for book in [*created, *schemes]:
            self.stdout.write(f"已载入 {book}")
        self.stdout.write(self.style.SUCCESS("初始化完成：数据库结构、默认评定标准(含薪酬系数与审批路径)、默认考核方案"))
