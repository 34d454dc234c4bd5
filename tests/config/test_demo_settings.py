"""`make demo`'s server answers in Chinese even for a wrong address: DEBUG is off in the demo's
settings (unless DEBUG=1 asks for Django's technical pages), and the static files are still served."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


@pytest.fixture
def demo_server(tmp_path):
    """`jinjie runserver` under the demo's settings (jinjie.config.settings.dev), on a free port."""
    port = _free_port()
    dropped = ("DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(JINJIE_VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    server = subprocess.Popen(
        [sys.executable, "-c", "from jinjie.config.cli import main; main()", "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.own_sqlite_files
def test_the_demo_answers_a_wrong_address_with_the_chinese_404_page(demo_server):
    status, page = _get(demo_server + "/no-such-page/")
    assert status == 404
    assert "没有找到" in page and "返回工作台" in page
    assert "Page not found" not in page and "URLconf" not in page  # not Django's technical page
    status, css = _get(demo_server + "/static/vendor/bootstrap/bootstrap.min.css")
    assert status == 200 and "bootstrap" in css.lower()[:500]


def test_the_demo_settings_keep_debug_off_unless_asked(tmp_path):
    code = "import jinjie.config.settings.dev as s; print(s.DEBUG, s.WHITENOISE_USE_FINDERS)"
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"} | {"JINJIE_VAR_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True"]
    out = subprocess.run([sys.executable, "-c", code], env={**env, "DEBUG": "1"}, capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["True", "True"]
