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
    "jinjie.core",
    "jinjie.org",
    "jinjie.people",
    "jinjie.assessments",
    "jinjie.rulebooks",
    "jinjie.evaluations",
    "jinjie.approvals",
    "jinjie.selections",
    "jinjie.interchange",
    "jinjie.api",
    "jinjie.web",
    "jinjie.demo",
    "jinjie.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jinjie.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jinjie.web.refusals.RefusalMiddleware",
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
        db["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    return db


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
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

# A cache shared by every gunicorn worker on the host: the login throttle counts failures across them.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

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
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "晋阶 Jinjie API",
    "DESCRIPTION": "职业生涯规划及职级晋升管理系统接口",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema names every operation of the bureau's system: logged-in users only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
