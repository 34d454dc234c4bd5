"""统一身份认证: logging in with the bureau's directory password (LDAP, org.directory), against a real
slapd started for these tests (tests/directory_server.py).

The directory checks the password and nothing else: the Jinjie login must exist already (HR made
it), is matched by its user name, keeps its roles and scope, and is refused as a local login is
(离岗, deactivated). Off unless JINJIE_LDAP_URI is set; when the directory is down, local logins go
on and the others are told so in Chinese.
"""

import pytest
from bureau import PASSWORD, make_employee, make_tree, make_user
from directory_server import BIND_DN, SEARCH_BASE, Person, free_port, start
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from rest_framework.test import APIClient

from jinjie.config.settings.base import DIRECTORY_BACKEND, directory_from_env
from jinjie.org.backends import DIRECTORY_UNREACHABLE
from jinjie.org.models import Role, User
from jinjie.org.services import employee_logins_create
from jinjie.people.models import Employee

pytestmark = pytest.mark.django_db

# Every directory password differs from the local one (bureau.PASSWORD), so which one let a person
# in is never in doubt.
PEOPLE = [
    Person("hr", "hr-directory-pw", "人事目录名"),
    Person("A001", "a001-directory-pw", "张三目录名"),
    Person("A002", "a002-directory-pw", "赵六"),
    Person("A003", "a003-directory-pw", "李四"),
    Person("admin", "admin-directory-pw", "管理员"),
    Person("stranger", "stranger-directory-pw", "外单位人员"),
]


@pytest.fixture(scope="session")
def directory(tmp_path_factory):
    yield from start(tmp_path_factory.mktemp("slapd"), PEOPLE)


def use(settings, env: dict[str, str]) -> None:
    """Settings as the process would read them from `env` (config.settings.base)."""
    for name, value in directory_from_env(env).items():
        setattr(settings, name, value)


@pytest.fixture
def on(settings, directory):
    use(settings, directory.env())
    return directory


@pytest.fixture
def bureau(db):
    tree = make_tree()
    zhang = make_employee(tree["county_a"], "A001", "张三")
    zhao = make_employee(tree["county_a"], "A002", "赵六")
    li = make_employee(tree["county_a"], "A003", "李四")
    return {
        **tree, "zhang": zhang, "zhao": zhao, "li": li,
        "hr": make_user("hr", Role.HR, tree["city_a"], first_name="人事"),
        "A001": make_user("A001", Role.EMPLOYEE, tree["county_a"], employee=zhang, first_name="张三"),
        "A002": make_user("A002", Role.EMPLOYEE, tree["county_a"], employee=zhao),
        "admin": make_user("admin", Role.HR, tree["province"], is_superuser=True, is_staff=True),
    }


def web_login(client, username, password, ip="10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def token(username, password, ip="10.0.0.1"):
    return APIClient().post("/api/token/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def password_of(directory, uid):
    return directory.people[uid].password


# --- on ---------------------------------------------------------------------------------------------


def test_the_directory_password_logs_in_on_the_login_page(on, bureau):
    client = Client()
    response = web_login(client, "A001", password_of(on, "A001"))
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session[SESSION_KEY] == str(bureau["A001"].pk)
    assert client.session["_auth_user_backend"] == DIRECTORY_BACKEND
    assert client.get("/me/").status_code == 200  # the session holds on the next request
    # The local password still works beside it.
    assert web_login(Client(), "A001", PASSWORD).status_code == 302


def test_the_directory_password_gets_a_token_that_keeps_the_roles_checks(on, bureau):
    response = token("hr", password_of(on, "hr"))
    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
    assert client.get("/api/employees/").data["count"] == 3  # HR of 甲市局 sees its 3 employees
    employee = token("A001", password_of(on, "A001"))
    assert employee.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {employee.data['token']}")
    assert [e["employee_no"] for e in client.get("/api/employees/").data["results"]] == ["A001"]  # own record only


def test_a_wrong_password_is_refused(on, bureau):
    response = web_login(Client(), "A001", "not-the-directory-pw")
    assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()
    # Another person's directory password does not open this login either.
    assert web_login(Client(), "A001", password_of(on, "hr")).status_code == 200
    refused = token("A001", "not-the-directory-pw")
    assert refused.status_code == 400 and "无法使用提供的认证信息登录" in str(refused.data)


def test_someone_in_the_directory_without_a_jinjie_login_is_refused_and_none_is_made(on, bureau):
    response = web_login(Client(), "stranger", password_of(on, "stranger"))
    assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()
    assert token("stranger", password_of(on, "stranger")).status_code == 400
    # An employee with a directory entry but no login yet (HR has not given one): refused too.
    assert web_login(Client(), "A003", password_of(on, "A003")).status_code == 200
    assert not User.objects.filter(username__in=["stranger", "A003"]).exists()


def test_the_login_is_matched_by_its_exact_user_name(on, bureau):
    # The directory finds uid=hr for "HR" (LDAP compares without case), Jinjie has no login "HR".
    assert web_login(Client(), "HR", password_of(on, "hr")).status_code == 200
    assert not User.objects.filter(username="HR").exists()


def test_an_employee_who_has_left_is_refused_and_their_open_session_ends(on, bureau):
    client = Client()
    assert web_login(client, "A002", password_of(on, "A002")).status_code == 302
    assert client.get("/me/").status_code == 200
    Employee.objects.filter(pk=bureau["zhao"].pk).update(status="离岗")
    assert User.objects.get(username="A002").is_active  # the login itself was not switched off
    assert client.get("/me/").status_code == 302  # the open session is over
    assert web_login(Client(), "A002", password_of(on, "A002")).status_code == 200
    assert token("A002", password_of(on, "A002")).status_code == 400


def test_a_deactivated_login_is_refused(on, bureau):
    User.objects.filter(username="A001").update(is_active=False)
    assert web_login(Client(), "A001", password_of(on, "A001")).status_code == 200
    assert token("A001", password_of(on, "A001")).status_code == 400


def test_the_directory_writes_nothing_on_the_login_and_grants_nothing(on, bureau, settings):
    # Not even when django-auth-ldap's own settings ask it to copy names from the directory.
    settings.AUTH_LDAP_ALWAYS_UPDATE_USER = True
    settings.AUTH_LDAP_USER_ATTR_MAP = {"first_name": "cn", "last_name": "sn"}
    before = User.objects.filter(username="A001").values().get()
    assert web_login(Client(), "A001", password_of(on, "A001")).status_code == 302
    after = User.objects.filter(username="A001").values().get()
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"last_login"}  # not the directory's cn 张三目录名, no flag, role or scope
    user = User.objects.get(username="A001")
    assert user.first_name == "张三" and not user.is_superuser and not user.is_staff and user.role == Role.EMPLOYEE
    assert not user.groups.exists() and user.get_all_permissions() == set()


def test_a_superuser_logs_in_with_the_local_password_only(on, bureau):
    assert web_login(Client(), "admin", password_of(on, "admin")).status_code == 200
    assert token("admin", password_of(on, "admin")).status_code == 400
    assert web_login(Client(), "admin", PASSWORD).status_code == 302


def test_the_first_directory_login_retires_the_one_time_password_and_asks_for_no_change(on, bureau):
    issued = {i.username: i.password for i in employee_logins_create(actor=bureau["hr"], employees=[bureau["li"]])}
    assert User.objects.get(username="A003").must_change_password
    client = Client()
    assert web_login(client, "A003", password_of(on, "A003"))["Location"] == "/"  # not to /password/
    assert client.get("/me/").status_code == 200
    user = User.objects.get(username="A003")
    assert not user.must_change_password and not user.has_usable_password()
    # The paper HR printed opens nothing any more; the directory password opens the API too.
    assert web_login(Client(), "A003", issued["A003"]).status_code == 200
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token('A003', password_of(on, 'A003')).data['token']}")
    assert api.get("/api/employees/").status_code == 200  # a one-time password's token gets 403 here


def test_the_login_throttle_counts_directory_passwords_too(on, bureau, settings):
    for _ in range(settings.JINJIE_LOGIN_LIMIT):
        web_login(Client(), "A001", "guess")
    locked = web_login(Client(), "A001", password_of(on, "A001"))
    assert locked.status_code == 200 and "登录失败次数过多" in locked.content.decode()
    assert token("A001", password_of(on, "A001")).status_code == 429


# --- down -------------------------------------------------------------------------------------------


def test_with_the_directory_down_local_logins_go_on_and_the_rest_are_told_why(settings, directory, bureau):
    use(settings, directory.env(JINJIE_LDAP_URI=f"ldap://127.0.0.1:{free_port()}/"))  # nobody listens
    assert web_login(Client(), "admin", PASSWORD).status_code == 302
    assert token("hr", PASSWORD).status_code == 200
    page = web_login(Client(), "A001", password_of(directory, "A001"))
    assert page.status_code == 200 and DIRECTORY_UNREACHABLE in page.content.decode()
    api = token("A001", password_of(directory, "A001"))
    assert api.status_code == 503 and api.data["detail"] == DIRECTORY_UNREACHABLE


def test_a_wrong_search_account_password_is_reported_as_the_directory_not_answering(settings, directory, bureau):
    use(settings, directory.env(JINJIE_LDAP_BIND_PASSWORD="not-the-search-pw"))
    page = web_login(Client(), "A001", password_of(directory, "A001"))
    assert page.status_code == 200 and DIRECTORY_UNREACHABLE in page.content.decode()
    assert web_login(Client(), "admin", PASSWORD).status_code == 302


# --- off, and the configuration ------------------------------------------------------------------


def test_off_by_default_the_directory_password_opens_nothing(settings, directory, bureau):
    assert directory_from_env({}) == {}
    assert DIRECTORY_BACKEND not in django_settings.AUTHENTICATION_BACKENDS
    # The directory runs and Jinjie knows where (everything but the URI), yet it is not asked.
    use(settings, {k: v for k, v in directory.env().items() if k != "JINJIE_LDAP_URI"})
    assert web_login(Client(), "A001", password_of(directory, "A001")).status_code == 200
    assert token("A001", password_of(directory, "A001")).status_code == 400
    assert web_login(Client(), "A001", PASSWORD).status_code == 302


def test_the_configuration_comes_from_the_environment():
    configured = directory_from_env(
        {
            "JINJIE_LDAP_URI": "ldaps://ldap.example.test",
            "JINJIE_LDAP_BIND_DN": BIND_DN,
            "JINJIE_LDAP_BIND_PASSWORD": "pw",
            "JINJIE_LDAP_USER_SEARCH_BASE": SEARCH_BASE,
            "JINJIE_LDAP_USER_FILTER": "(employeeNumber=%(user)s)",
            "JINJIE_LDAP_START_TLS": "1",
        }
    )
    assert configured["AUTHENTICATION_BACKENDS"] == ["jinjie.org.backends.JinjieBackend", DIRECTORY_BACKEND]
    assert configured["AUTH_LDAP_SERVER_URI"] == "ldaps://ldap.example.test"
    assert configured["AUTH_LDAP_BIND_DN"] == BIND_DN and configured["AUTH_LDAP_START_TLS"] is True
    assert configured["AUTH_LDAP_USER_SEARCH"].base_dn == SEARCH_BASE
    assert configured["AUTH_LDAP_USER_SEARCH"].filterstr == "(employeeNumber=%(user)s)"
    default = directory_from_env({"JINJIE_LDAP_URI": "ldap://x", "JINJIE_LDAP_USER_SEARCH_BASE": SEARCH_BASE})
    assert default["AUTH_LDAP_USER_SEARCH"].filterstr == "(uid=%(user)s)" and default["AUTH_LDAP_START_TLS"] is False
    with pytest.raises(ImproperlyConfigured, match="JINJIE_LDAP_USER_SEARCH_BASE"):
        directory_from_env({"JINJIE_LDAP_URI": "ldap://x"})
    with pytest.raises(ImproperlyConfigured, match="%\\(user\\)s"):
        directory_from_env(
            {"JINJIE_LDAP_URI": "ldap://x", "JINJIE_LDAP_USER_SEARCH_BASE": SEARCH_BASE, "JINJIE_LDAP_USER_FILTER": "(uid=x)"}
        )


# --- StartTLS and the timeout ---------------------------------------------------------------------


def test_with_starttls_asked_a_directory_without_tls_never_gets_the_password(settings, directory, bureau):
    # The test directory speaks plain LDAP only: StartTLS fails before any bind, so the password
    # is never sent in clear; the person is told the directory does not answer, local logins go on.
    use(settings, directory.env(JINJIE_LDAP_START_TLS="1"))
    client = Client()
    page = web_login(client, "A001", password_of(directory, "A001"))
    assert page.status_code == 200 and DIRECTORY_UNREACHABLE in page.content.decode()
    assert SESSION_KEY not in client.session
    # The same directory without StartTLS lets the same password in: it was TLS that refused.
    use(settings, directory.env())
    assert web_login(Client(), "A001", password_of(directory, "A001")).status_code == 302
    assert web_login(Client(), "admin", PASSWORD).status_code == 302


def test_a_directory_that_accepts_but_never_answers_is_given_up_after_the_timeout(settings, directory, bureau):
    import socket
    import time

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # the kernel accepts connections; nothing ever reads or answers them
    try:
        port = silent.getsockname()[1]
        use(settings, directory.env(JINJIE_LDAP_URI=f"ldap://127.0.0.1:{port}/", JINJIE_LDAP_TIMEOUT="1"))
        started = time.monotonic()
        page = web_login(Client(), "A001", password_of(directory, "A001"))
        waited = time.monotonic() - started
    finally:
        silent.close()
    assert page.status_code == 200 and DIRECTORY_UNREACHABLE in page.content.decode()
    # Without a timeout the request would wait for ever, and with the default 5 s it takes ~6 s;
    # with 1 s it gives up in about two (measured 2.3 s on a loaded 2-core machine).
    assert waited < 5
    assert web_login(Client(), "admin", PASSWORD).status_code == 302
