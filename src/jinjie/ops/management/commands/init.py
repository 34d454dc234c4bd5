from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from jinjie.assessments.schemes import schemes_load_defaults
from jinjie.core.append_only import append_only_tables, installed_triggers
from jinjie.core.db_roles import RoleSetupError, grant_app_role
from jinjie.rulebooks.services import rulebook_load_defaults


class Command(BaseCommand):
    help = "创建或升级数据库结构，载入默认评定标准(含审批路径与薪酬系数)"

    def add_arguments(self, parser):
        parser.add_argument(
            "--app-role",
            metavar="NAME",
            help="(仅 PostgreSQL)创建或更新应用运行时使用的数据库角色：不是表的所有者，历史表只能查询和新增。须以表的所有者运行",
        )
        parser.add_argument(
            "--app-password",
            metavar="PASSWORD",
            help="应用角色的登录密码(也可以之后用 ALTER ROLE … PASSWORD 设置，避免密码留在命令历史里)",
        )

    def handle(self, *args, **options):
        role, password = options.get("app_role"), options.get("app_password")
        if password and not role:
            raise CommandError("--app-password 须与 --app-role 一起使用")
        call_command("migrate", interactive=False, verbosity=0)
        created = rulebook_load_defaults()
        schemes = schemes_load_defaults()
        missing = set(append_only_tables()) - installed_triggers()
        if missing:
            raise CommandError(f"历史表缺少只追加触发器: {', '.join(sorted(missing))}")
        for book in [*created, *schemes]:
            self.stdout.write(f"已载入 {book}")
        if role:
            try:
                done = grant_app_role(role=role, password=password)
            except RoleSetupError as e:
                raise CommandError(str(e)) from None
            except DatabaseError as e:
                raise CommandError(f"设置应用角色 {role} 失败(须以表的所有者、且有 CREATEROLE 权限的角色运行)：{e}") from None
            for line in done:
                self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("初始化完成：数据库结构、默认评定标准(含薪酬系数与审批路径)、默认考核方案"))
