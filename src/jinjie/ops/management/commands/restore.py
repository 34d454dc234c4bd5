from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from jinjie.ops.backup import BackupError, restore_from


class Command(BaseCommand):
    help = "从备份恢复整个数据库，然后运行 jinjie init(升级结构、重装只追加触发器)；当前数据库有数据时须加 --force"

    def add_arguments(self, parser):
        parser.add_argument("file", help="jinjie backup 写出的备份文件")
        parser.add_argument("--force", action="store_true", help="当前数据库已有数据时也覆盖")
        parser.add_argument("--app-role", metavar="NAME", help="(PostgreSQL)恢复后重新授予应用角色权限，同 jinjie init --app-role")

    def handle(self, *args, file, force=False, app_role=None, **options):
        try:
            restore_from(Path(file), force=force)
        except BackupError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(f"已从 {file} 恢复数据，正在运行 jinjie init …")
        call_command("init", app_role=app_role, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("恢复完成"))
