"""`jinjie demo-server [ADDR]`: the demo's web server and a background worker side by side.

What `make demo` runs. Ctrl-C (SIGINT to the terminal's process group) or SIGTERM stops both;
if either stops by itself, the other is stopped too, so no worker is left behind without its
server nor a server whose jobs would wait for ever.
"""

import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

STOP_WAIT_SECONDS = 10


class Command(BaseCommand):
    help = "演示用：同时启动网页服务(runserver)和后台任务进程(worker)，按 Ctrl-C 一起停止"

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="地址:端口(默认 127.0.0.1:8000)")

    def handle(self, *args, addrport, **options):
        jinjie = [sys.executable, "-m", "jinjie.config.cli"]
        children = [
            subprocess.Popen([*jinjie, "worker"]),
            subprocess.Popen([*jinjie, "runserver", "--noreload", addrport]),
        ]
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.2)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self._stop(children)
        failed = [c.returncode for c in children if c.returncode not in (0, -signal.SIGINT, -signal.SIGTERM)]
        if failed and not stopping:
            sys.exit(failed[0] or 1)
        self.stdout.write("网页服务与后台任务进程均已停止")

    def _stop(self, children):
        for child in children:
            if child.poll() is None:
                child.terminate()  # the worker finishes its job first (its own SIGTERM handling)
        deadline = time.monotonic() + STOP_WAIT_SECONDS
        for child in children:
            try:
                child.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
