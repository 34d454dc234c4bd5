"""A real directory for the 统一身份认证 tests: Debian's slapd, started in a temporary folder on a
free 127.0.0.1 port with an mdb database, loaded with ldapadd, stopped at the end.

`make test` (make system-packages) installs slapd and ldap-utils; without them the tests that need
the directory fail, saying so, rather than being skipped.

The directory: dc=jinjie,dc=test with people under ou=people and Jinjie's search account under
ou=services. Anonymous clients may only bind (no search), so the search account is really used.
"""

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

SUFFIX = "dc=jinjie,dc=test"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "slapd-root-pw"
SEARCH_BASE = f"ou=people,{SUFFIX}"
BIND_DN = f"cn=jinjie,ou=services,{SUFFIX}"
BIND_PASSWORD = "jinjie-search-pw"
MISSING = (
    "目录服务测试需要 Debian 的 slapd 与 ldap-utils：运行 `make test`(或 make system-packages，以 root)会安装，"
    "或 apt-get install slapd ldap-utils. / The directory tests need Debian's slapd and ldap-utils: "
    "`make test` installs them (as root), or apt-get install slapd ldap-utils."
)

SLAPD_CONF = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile {tmp}/slapd.pid
argsfile {tmp}/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "{root_dn}"
rootpw {root_password}
directory {tmp}/data
access to attrs=userPassword by anonymous auth by * none
access to * by users read by * none
"""


@dataclass(frozen=True)
class Person:
    uid: str
    password: str
    cn: str


def _entries(people: list[Person]) -> str:
    blocks = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: jinjie\no: 某省烟草专卖局\n",
        f"dn: ou=people,{SUFFIX}\nobjectClass: organizationalUnit\nou: people\n",
        f"dn: ou=services,{SUFFIX}\nobjectClass: organizationalUnit\nou: services\n",
        f"dn: {BIND_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: jinjie\n"
        f"userPassword: {BIND_PASSWORD}\n",
    ]
    for p in people:
        blocks.append(
            f"dn: uid={p.uid},{SEARCH_BASE}\nobjectClass: inetOrgPerson\nuid: {p.uid}\ncn:: {_b64(p.cn)}\n"
            f"sn:: {_b64(p.cn[:1])}\nuserPassword: {p.password}\n"
        )
    return "\n".join(blocks)


def _b64(text: str) -> str:
    import base64

    return base64.b64encode(text.encode()).decode()


def _tool(name: str) -> str:
    found = shutil.which(name, path=os.environ.get("PATH", "") + os.pathsep + "/usr/sbin" + os.pathsep + "/sbin")
    if found is None:
        pytest.fail(MISSING, pytrace=False)
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Directory:
    uri: str
    people: dict[str, Person]

    def env(self, **extra: str) -> dict[str, str]:
        """The environment a deployment would set to use this directory."""
        return {
            "JINJIE_LDAP_URI": self.uri,
            "JINJIE_LDAP_BIND_DN": BIND_DN,
            "JINJIE_LDAP_BIND_PASSWORD": BIND_PASSWORD,
            "JINJIE_LDAP_USER_SEARCH_BASE": SEARCH_BASE,
            "JINJIE_LDAP_TIMEOUT": "3",
            **extra,
        }


def start(tmp: Path, people: list[Person]):
    """Start slapd and load `people`; a generator: yields the Directory, stops slapd after."""
    slapd, ldapadd, ldapwhoami = _tool("slapd"), _tool("ldapadd"), _tool("ldapwhoami")
    (tmp / "data").mkdir()
    conf = tmp / "slapd.conf"
    conf.write_text(SLAPD_CONF.format(tmp=tmp, suffix=SUFFIX, root_dn=ROOT_DN, root_password=ROOT_PASSWORD))
    uri = f"ldap://127.0.0.1:{free_port()}/"
    log = (tmp / "slapd.log").open("w")
    # -d keeps slapd in the foreground (ours to stop); level 0 logs nothing but errors.
    process = subprocess.Popen([slapd, "-f", str(conf), "-h", uri, "-d", "0"], stdout=log, stderr=subprocess.STDOUT)
    try:
        whoami = [ldapwhoami, "-x", "-H", uri, "-D", ROOT_DN, "-w", ROOT_PASSWORD]
        deadline = time.monotonic() + 20
        while subprocess.run(whoami, capture_output=True).returncode != 0:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"slapd 未能启动 / slapd did not start:\n{(tmp / 'slapd.log').read_text()}", pytrace=False)
            time.sleep(0.1)
        added = subprocess.run(
            [ldapadd, "-x", "-H", uri, "-D", ROOT_DN, "-w", ROOT_PASSWORD],
            input=_entries(people), capture_output=True, text=True,
        )
        assert added.returncode == 0, added.stderr
        yield Directory(uri=uri, people={p.uid: p for p in people})
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
