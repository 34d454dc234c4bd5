from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jinjie.ops.backup import BackupError, backup_name, backup_to, prune


class Command(BaseCommand):
    help = "备份整个数据库：SQLite 用在线备份(运行中也一致)，PostgreSQL 用 pg_dump 自定义格式"

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("-o", "--output", metavar="FILE", help="备份文件")
        target.add_argument("--to-dir", metavar="DIR", help="写入该目录，文件名带日期时间(定时备份用)")
        parser.add_argument("--keep", type=int, default=0, help="与 --to-dir 一起：只保留最新的 N 份(0 = 全部保留)")

    def handle(self, *args, output=None, to_dir=None, keep=0, **options):
        path = Path(output) if output else Path(to_dir) / backup_name()
        try:
            backup_to(path)
        except BackupError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(self.style.SUCCESS(f"已备份到 {path}（{path.stat().st_size / 1048576:.1f} MB）"))
        if to_dir and keep:
            for old in prune(Path(to_dir), keep):
                self.stdout.write(f"已删除旧备份 {old.name}")
