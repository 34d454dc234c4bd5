"""`make demo`'s server and worker stop together on Ctrl-C; `jinjie serve` is gunicorn with the
production settings."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children_of(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True).stdout.strip()
    return bool(state) and not state.startswith("Z")


@pytest.mark.own_sqlite_files
def test_ctrl_c_stops_the_demo_server_and_its_worker(tmp_path):
    port = free_port()
    env = dict(os.environ, JINJIE_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="jinjie.config.settings.dev")
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    cli = [sys.executable, "-m", "jinjie.config.cli"]
    subprocess.run([*cli, "init"], env=env, check=True, capture_output=True)
    # A session of its own, like a terminal's foreground job: Ctrl-C is SIGINT to the whole group.
    server = subprocess.Popen([*cli, "demo-server", f"127.0.0.1:{port}"], env=env, start_new_session=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.read() == b"ok"
                break
            except OSError:
                assert time.monotonic() < deadline, "网页服务未能启动"
                time.sleep(0.3)
        kids = children_of(server.pid)
        assert len(kids) == 2  # the worker and runserver
        os.killpg(server.pid, signal.SIGINT)
        server.wait(30)
        deadline = time.monotonic() + 15
        while any(alive(k) for k in kids) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(alive(k) for k in kids)
        assert "均已停止" in server.stdout.read().decode()
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)


def test_serve_runs_gunicorn_with_the_production_settings_and_our_defaults(monkeypatch):
    from jinjie.config import cli

    seen = {}

    def fake_execv(path, argv):
        seen["argv"] = argv
        seen["settings"] = os.environ["DJANGO_SETTINGS_MODULE"]
        raise SystemExit(0)

    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("JINJIE_WEB_WORKERS", "2")
    monkeypatch.setattr(os, "execv", fake_execv)
    # The settings are chosen before Django is set up; in this (already set up) test process only
    # the environment variable tells: it must be the production one.
    with pytest.raises(SystemExit):
        cli.main(["serve", "--bind", "127.0.0.1:9001"])
    assert seen["settings"] == "jinjie.config.settings.production"
    argv = seen["argv"]
    assert argv[1] == "jinjie.config.wsgi:application"
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:9001"
    assert argv[argv.index("--workers") + 1] == "2"
    assert Path(argv[0]).name == "gunicorn"
