"""Settings shared by every environment.

Everything that differs between the demo, the tests and production comes from the environment
(`DATABASE_URL`, `SECRET_KEY`, `ALLOWED_HOSTS`, …) so one code base serves all three.
"""

import os
from pathlib import Path

import dj_database_url

SRC_DIR = Path(__file__).resolve().parents[2]  # src/jinjie
REPO_DIR = SRC_DIR.parents[1]
VAR_DIR = Path(os.environ.get("JINJIE_VAR_DIR", REPO_DIR / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "jinjie-development-key-not-for-production")
DEBUG = os.environ.get("DEBUG", "0") == "1"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "jinjie.core.admin_site.JinjieAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_htmx",
    "django_tasks",
    "jinjie.core.tasks_app.TasksDatabaseConfig",
    "jinjie.core",
    "jinjie.org",
    "jinjie.people",
    "jinjie.assessments",
    "jinjie.rulebooks",
    "jinjie.evaluations",
    "jinjie.approvals",
    "jinjie.applications",
    "jinjie.reports",
    "jinjie.development",
    "jinjie.selections",
    "jinjie.interchange",
    "jinjie.api",
    "jinjie.web",
    "jinjie.demo",
    "jinjie.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jinjie.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jinjie.core.middleware.SessionIdleMiddleware",
    "jinjie.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jinjie.web.refusals.RefusalMiddleware",
    "jinjie.web.middleware.PasswordChangeRequired",
]

ROOT_URLCONF = "jinjie.config.urls"
WSGI_APPLICATION = "jinjie.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]


def database_from_env() -> dict:
    """SQLite file under var/ unless DATABASE_URL names another database."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'jinjie.sqlite3'}"
    db = dj_database_url.parse(url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")))
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web server read while an import or evaluation writes; IMMEDIATE takes the
        # write lock at BEGIN so two writers queue instead of failing half-way with "locked".
        # recursive_triggers makes REPLACE fire delete triggers: a second guard of the history
        # tables behind their own BEFORE INSERT trigger (core.append_only).
        db["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA recursive_triggers=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    elif db["ENGINE"] == "django.db.backends.postgresql":
        # No JIT: it compiles any query whose estimated cost passes jit_above_cost, and this
        # application's are short — at 100,000 employees the evaluation's read of 10,000 people
        # (one index probe each) spent 16 of its 57 ms compiling, ten times a run, and no page is
        # long enough to win back a compilation. (PostgreSQL's own advice for short queries.)
        options = db.setdefault("OPTIONS", {})
        options["options"] = f"-c jit=off {options.get('options', '')}".strip()
    return db


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

AUTHENTICATION_BACKENDS = ["jinjie.org.backends.JinjieBackend"]
DIRECTORY_BACKEND = "jinjie.org.directory.DirectoryBackend"


def directory_from_env(environ=os.environ) -> dict:
    """Login through the bureau's directory (统一身份认证, LDAP; org.directory): off — no backend, no
    LDAP setting — unless JINJIE_LDAP_URI is set. The settings it adds, for `globals().update`.

    JINJIE_LDAP_URI             ldap://… or ldaps://… (several, space-separated, are tried in turn)
    JINJIE_LDAP_BIND_DN         the service account that searches for the person (empty: anonymous)
    JINJIE_LDAP_BIND_PASSWORD   its password
    JINJIE_LDAP_USER_SEARCH_BASE  where people are searched for (subtree), e.g. ou=people,dc=…
    JINJIE_LDAP_USER_FILTER     how a Jinjie user name is found there; default (uid=%(user)s)
    JINJIE_LDAP_START_TLS       1: StartTLS on ldap:// (the CA: OpenLDAP's LDAPTLS_CACERT)
    JINJIE_LDAP_TIMEOUT         seconds to wait for the directory before giving up; default 5
    """
    from django.core.exceptions import ImproperlyConfigured

    uri = environ.get("JINJIE_LDAP_URI", "").strip()
    if not uri:
        return {}
    import ldap
    from django_auth_ldap.config import LDAPSearch

    base = environ.get("JINJIE_LDAP_USER_SEARCH_BASE", "").strip()
    if not base:
        raise ImproperlyConfigured("设置了 JINJIE_LDAP_URI 时须同时设置 JINJIE_LDAP_USER_SEARCH_BASE(在目录的哪一部分查找人员)")
    user_filter = environ.get("JINJIE_LDAP_USER_FILTER", "").strip() or "(uid=%(user)s)"
    if "%(user)s" not in user_filter:
        raise ImproperlyConfigured("JINJIE_LDAP_USER_FILTER 须含 %(user)s(登录时填写的用户名)，例如 (uid=%(user)s)")
    try:
        timeout = float(environ.get("JINJIE_LDAP_TIMEOUT", "5"))
    except ValueError:
        raise ImproperlyConfigured("JINJIE_LDAP_TIMEOUT 须为秒数") from None
    start_tls = environ.get("JINJIE_LDAP_START_TLS", "0").strip().lower() in ("1", "true", "yes", "on")
    return {
        "AUTHENTICATION_BACKENDS": [*AUTHENTICATION_BACKENDS, DIRECTORY_BACKEND],
        "AUTH_LDAP_SERVER_URI": uri,
        "AUTH_LDAP_BIND_DN": environ.get("JINJIE_LDAP_BIND_DN", ""),
        "AUTH_LDAP_BIND_PASSWORD": environ.get("JINJIE_LDAP_BIND_PASSWORD", ""),
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(base, ldap.SCOPE_SUBTREE, user_filter),
        "AUTH_LDAP_START_TLS": start_tls,
        "AUTH_LDAP_CONNECTION_OPTIONS": {
            ldap.OPT_NETWORK_TIMEOUT: timeout,
            ldap.OPT_TIMEOUT: timeout,
            ldap.OPT_REFERRALS: 0,  # Active Directory's referrals would be followed anonymously
        },
    }


globals().update(directory_from_env())

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [SRC_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"

# Django's cache (nothing of ours depends on it being shared: the login throttle counts in the database).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}

# The login throttle (jinjie.core.throttle): password checks per user name and client address, and
# per user name from every address not yet logged in from, within a window; then a lock.
JINJIE_LOGIN_LIMIT = int(os.environ.get("JINJIE_LOGIN_LIMIT", "5"))
JINJIE_LOGIN_USER_LIMIT = int(os.environ.get("JINJIE_LOGIN_USER_LIMIT", "20"))
JINJIE_LOGIN_WINDOW_SECONDS = int(os.environ.get("JINJIE_LOGIN_WINDOW_SECONDS", str(15 * 60)))
JINJIE_LOGIN_LOCKOUT_SECONDS = int(os.environ.get("JINJIE_LOGIN_LOCKOUT_SECONDS", str(15 * 60)))
JINJIE_LOGIN_KNOWN_ADDRESS_DAYS = int(os.environ.get("JINJIE_LOGIN_KNOWN_ADDRESS_DAYS", "30"))


def trusted_proxies_from_env() -> list[str]:
    """JINJIE_TRUSTED_PROXIES: the reverse proxies (IPs or CIDRs) whose X-Forwarded-For is believed."""
    import ipaddress

    from django.core.exceptions import ImproperlyConfigured

    proxies = [p.strip() for p in os.environ.get("JINJIE_TRUSTED_PROXIES", "").split(",") if p.strip()]
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"JINJIE_TRUSTED_PROXIES 中的 {proxy!r} 不是 IP 地址或网段") from None
    return proxies


JINJIE_TRUSTED_PROXIES = trusted_proxies_from_env()

# Sessions end after a working day without a request (core.middleware.SessionIdleMiddleware renews
# them at most once a minute instead of SESSION_SAVE_EVERY_REQUEST's write per request).
JINJIE_SESSION_IDLE_SECONDS = int(os.environ.get("JINJIE_SESSION_IDLE_SECONDS", str(8 * 3600)))
SESSION_COOKIE_AGE = JINJIE_SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = False

# Every response: Referrer-Policy and nosniff from SecurityMiddleware, no framing from
# XFrameOptionsMiddleware; Content-Security-Policy and Permissions-Policy from core.middleware.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# The day the workflow acts on (jinjie.core.clock): the real date unless a demo moves it
# (JINJIE_TODAY=YYYY-MM-DD, e.g. to file an objection the day after a notice is published). The
# production settings refuse it.
JINJIE_TODAY = os.environ.get("JINJIE_TODAY") or None

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

# Reports (SPEC 9): a rule-book what-if runs inside the request only for a scope up to this many
# employees (CM + MA being evaluated); a larger one is refused with a message to narrow the unit,
# until long work runs as a background job.
JINJIE_WHATIF_MAX_EMPLOYEES = int(os.environ.get("JINJIE_WHATIF_MAX_EMPLOYEES", "20000"))
# Report aggregates that read JSON (criteria from the proposals' reasons, score items) or a whole
# quarter per period are kept in the cache under a fingerprint of the rows they read.
JINJIE_REPORT_CACHE_SECONDS = int(os.environ.get("JINJIE_REPORT_CACHE_SECONDS", str(7 * 24 * 3600)))

# Imports: refuse before parsing anything larger than this (SPEC 6; XLSX zip bombs).
JINJIE_IMPORT_MAX_BYTES = int(os.environ.get("JINJIE_IMPORT_MAX_BYTES", str(200 * 1024 * 1024)))
JINJIE_IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("JINJIE_IMPORT_MAX_UNPACKED_BYTES", str(500 * 1024 * 1024)))
JINJIE_IMPORT_MAX_ROWS = int(os.environ.get("JINJIE_IMPORT_MAX_ROWS", "1000000"))
# …and, while a workbook streams, the text of one cell (Excel's own limit) and the memory the
# shared-string table may take (estimated), so that a small zip cannot unpack into a huge string.
JINJIE_IMPORT_MAX_CELL_CHARS = int(os.environ.get("JINJIE_IMPORT_MAX_CELL_CHARS", "32767"))
JINJIE_IMPORT_MAX_SHARED_STRINGS_BYTES = int(
    os.environ.get("JINJIE_IMPORT_MAX_SHARED_STRINGS_BYTES", str(128 * 1024 * 1024))
)
# Files filed with a 竞聘 dossier (破格 justifications: PDF/PNG/JPEG): refused above this size.
JINJIE_ATTACHMENT_MAX_BYTES = int(os.environ.get("JINJIE_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # drf-spectacular's, plus the refusals (400/401/403/404) every operation can give (api/schema.py).
    "DEFAULT_SCHEMA_CLASS": "jinjie.api.schema.JinjieAutoSchema",
    # Chinese refusals for every DRF view, also those without api.errors.ChineseErrorsMixin (the schema).
    "EXCEPTION_HANDLER": "jinjie.api.errors.handle",
    # DRF's PageNumberPagination, reading only a page number (api/pagination.py).
    "DEFAULT_PAGINATION_CLASS": "jinjie.api.pagination.Pages",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "晋阶 Jinjie API",
    "DESCRIPTION": "职业生涯规划及职级晋升管理系统接口",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema names every operation of the bureau's system: logged-in users only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # The 专卖管理员 levels appear as `level` and as `levels` items: one enum, one name.
    "ENUM_NAME_OVERRIDES": {"MonopolyLevelEnum": "jinjie.rules.ladder.MONOPOLY_LEVELS"},
    # Request bodies get their own components (…Request), so that what a caller must send is exact:
    # required strings may not be blank (minLength 1), files are binary, read-only fields are left out.
    "COMPONENT_SPLIT_REQUEST": True,
}

# Background jobs (core.jobs): django-tasks' database backend — a table in our own database, no
# broker — run by `jinjie worker`. A running job that reports no progress for this long is taken
# as lost (its worker was killed), so that the same work can be asked for again.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
JINJIE_JOB_STALE_SECONDS = int(os.environ.get("JINJIE_JOB_STALE_SECONDS", str(2 * 3600)))
# Files made by background jobs (PDF batches), offered on the job's page to the user who asked.
JINJIE_JOB_FILES_DIR = Path(os.environ.get("JINJIE_JOB_FILES_DIR", VAR_DIR / "job-files"))
# Imports at or over either size run as background jobs (preview and writing); smaller ones in the request.
JINJIE_IMPORT_JOB_ROWS = int(os.environ.get("JINJIE_IMPORT_JOB_ROWS", "5000"))
JINJIE_IMPORT_JOB_BYTES = int(os.environ.get("JINJIE_IMPORT_JOB_BYTES", str(2 * 1024 * 1024)))
# A round's 合格人员名单 with at most this many 专卖管理员 in the user's scope is checked live on its
# page; a bigger one reads the last result of a background job (applications.qualified_compute).
JINJIE_QUALIFIED_LIVE_MAX = int(os.environ.get("JINJIE_QUALIFIED_LIVE_MAX", "1000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
