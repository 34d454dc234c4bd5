"""`jinjie worker`: run the background jobs the web queued (evaluations, big imports, submits).

The loop is django-tasks-db's own worker: on PostgreSQL it claims a task with SELECT … FOR
UPDATE SKIP LOCKED, so several workers (on several machines) never take the same one; on SQLite
with an exclusive transaction. Ctrl-C or SIGTERM (systemd stop) lets the running job finish; a
second one stops at once (the job's transaction rolls back: nothing half-written).
"""

import logging
import os
import socket

from django.core.management.base import BaseCommand
from django_tasks_db.management.commands.db_worker import Worker


class Command(BaseCommand):
    help = "运行后台任务(测评、大文件导入、提交审批等)：--once 运行一个后退出，--burst 运行完队列中的全部任务后退出"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="最多运行一个任务，然后退出")
        parser.add_argument("--burst", action="store_true", help="运行完队列中现有的全部任务，然后退出")
        parser.add_argument("--interval", type=float, default=1.0, help="队列为空时每隔几秒查看一次(默认 1)")

    def handle(self, *args, once=False, burst=False, interval=1.0, **options):
        logger = logging.getLogger("django_tasks_db")
        if options["verbosity"] >= 1 and not logger.handlers:
            logger.addHandler(logging.StreamHandler(self.stdout))
            logger.setLevel(logging.INFO)
        worker = Worker(
            queue_names=["default"],
            interval=max(0.05, interval),
            batch=once or burst,
            backend_name="default",
            startup_delay=False,
            max_tasks=1 if once else None,
            worker_id=f"{socket.gethostname()[:40]}-{os.getpid()}",
            excluded_queue_names=[],
        )
        if not (once or burst):
            # Only a long-running worker takes over Ctrl-C/SIGTERM (finish the job, then stop);
            # --once/--burst run inside other programs (tests, cron) and leave their signals alone.
            worker.configure_signals()
            self.stdout.write("后台任务进程已启动，按 Ctrl-C 停止")
        worker.run()
