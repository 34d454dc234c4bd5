"""`jinjie serve`: the production web server — gunicorn with the production settings.

The same as `gunicorn jinjie.config.wsgi` with our defaults: bound to 127.0.0.1:8001 behind
nginx (JINJIE_BIND), JINJIE_WEB_WORKERS processes (default 2 × cores + 1), requests that take
longer than JINJIE_WEB_TIMEOUT seconds (120) are cut (long work runs as background jobs). Static
files are served by WhiteNoise from `jinjie collectstatic`'s output. Extra arguments after `--`
go to gunicorn as they are.
"""

import os
import shutil
import sys

from django.core.management.base import BaseCommand, CommandError


def default_workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1


class Command(BaseCommand):
    help = "生产环境网页服务：以生产配置运行 gunicorn(地址、进程数见 JINJIE_BIND、JINJIE_WEB_WORKERS)"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("JINJIE_BIND", "127.0.0.1:8001"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("JINJIE_WEB_WORKERS", default_workers())))
        parser.add_argument("--timeout", type=int, default=int(os.environ.get("JINJIE_WEB_TIMEOUT", "120")))
        parser.add_argument("gunicorn_args", nargs="*", help="其余参数原样交给 gunicorn(写在 -- 之后)")

    def argv(self, *, bind, workers, timeout, gunicorn_args) -> list[str]:
        exe = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
        if exe is None:
            raise CommandError("找不到 gunicorn：请在本程序的 Python 环境中安装依赖(pip install jinjie)")
        return [
            exe, "jinjie.config.wsgi:application", "--bind", bind, "--workers", str(workers),
            "--timeout", str(timeout), "--access-logfile", "-", "--forwarded-allow-ips", "127.0.0.1",
            *gunicorn_args,
        ]

    def handle(self, *args, bind, workers, timeout, gunicorn_args, **options):
        if workers < 1:
            raise CommandError("--workers 至少为 1")
        argv = self.argv(bind=bind, workers=workers, timeout=timeout, gunicorn_args=gunicorn_args)
        os.execv(argv[0], argv)  # gunicorn becomes this process: systemd signals it directly
