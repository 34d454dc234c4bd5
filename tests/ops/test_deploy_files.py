"""deploy/: the systemd units, the nginx site and the environment file are well-formed and name
only commands and settings that exist."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SRC = Path(__file__).resolve().parents[2] / "src" / "jinjie"
UNITS = sorted(DEPLOY.glob("*.service")) + sorted(DEPLOY.glob("*.timer"))


def test_every_unit_runs_an_existing_jinjie_command():
    commands = set(get_commands())
    services = sorted(DEPLOY.glob("*.service"))
    assert {p.name for p in services} >= {"jinjie-web.service", "jinjie-worker.service"}
    for unit in services:
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart="):
                argv = line.split("=", 1)[1].split()
                assert argv[0] == "/opt/jinjie/venv/bin/jinjie", unit.name
                assert argv[1].replace("-", "_") in commands, f"{unit.name}: jinjie {argv[1]}"
    for timer in DEPLOY.glob("*.timer"):
        assert (DEPLOY / timer.name.replace(".timer", ".service")).is_file()


def test_every_variable_of_the_environment_file_is_read_by_the_application():
    read = set()
    for path in [*SRC.rglob("*.py"), *DEPLOY.glob("*.service")]:
        text = path.read_text()
        read |= set(re.findall(r'os\.environ(?:\.get)?[\[(]"([A-Z_]+)"', text))
        read |= set(re.findall(r'environ\.get\("([A-Z_]+)"', text))
        read |= set(re.findall(r"\$\{([A-Z_]+)\}", text))
    read |= {"DJANGO_SETTINGS_MODULE"}  # read by Django itself
    env = (DEPLOY / "jinjie.env.example").read_text()
    names = [line.split("=", 1)[0] for line in env.splitlines() if line and not line.startswith("#")]
    assert names and not set(names) - read, set(names) - read


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze 不可用")
def test_the_units_pass_systemd_analyze_verify(tmp_path):
    venv_jinjie = shutil.which("jinjie") or str(Path(__import__("sys").executable).with_name("jinjie"))
    (tmp_path / "jinjie.env").write_text("")
    for unit in UNITS:
        text = unit.read_text().replace("/opt/jinjie/venv/bin/jinjie", venv_jinjie)
        text = text.replace("/etc/jinjie/jinjie.env", str(tmp_path / "jinjie.env"))
        text = re.sub(r"^(User|Group)=.*$", r"\1=root", text, flags=re.M)
        (tmp_path / unit.name).write_text(text)
    done = subprocess.run(["systemd-analyze", "verify", *(str(tmp_path / u.name) for u in UNITS)],
                          capture_output=True, text=True)
    problems = [line for line in (done.stderr + done.stdout).splitlines()
                if str(tmp_path) in line and "jinjie" in line]
    assert done.returncode == 0 or not problems, done.stderr


@pytest.mark.skipif(shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(), reason="nginx 未安装")
def test_the_nginx_site_passes_nginx_t(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=jinjie.intranet",
                    "-keyout", str(tmp_path / "k.key"), "-out", str(tmp_path / "c.crt")], check=True, capture_output=True)
    site = (DEPLOY / "jinjie.nginx.conf").read_text()
    site = site.replace("/etc/ssl/jinjie/jinjie.crt", str(tmp_path / "c.crt")).replace("/etc/ssl/jinjie/jinjie.key", str(tmp_path / "k.key"))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}; proxy_temp_path {tmp_path}; include {tmp_path}/site.conf; }}\n"
    )
    done = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
