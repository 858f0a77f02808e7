"""VolNet settings: one file, every knob an environment variable with a safe default.

Every setting the code reads is declared here (and every environment variable read here is in the README's
settings table: volnet/tests/test_settings.py checks). The test suite runs on volnet/settings_test.py, which
imports this file and changes what a test run needs; nothing here asks whether it runs under a test."""

import os
import secrets
import tempfile
import time
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_noop

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VOLNET_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key():
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    # First run without SECRET_KEY: generate one and keep it, so sessions survive restarts. The file is
    # created owner-only (never world-readable, whatever the umask); of processes starting together one
    # creates it and the others wait for its content.
    key_file = VAR_DIR / "secret_key"
    try:
        fd = os.open(key_file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    for _attempt in range(50):
        key = key_file.read_text().strip()
        if key:
            return key
        time.sleep(0.1)
    # zh-only: for the operator, before translations load
    raise ImproperlyConfigured(f"{key_file} 是空的，請刪除它或設定 SECRET_KEY。")


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Automated browser tests cannot read a captcha image; this switch makes every captcha accept
# "PASSED". It must never be on in production, so refuse to start with it when DEBUG is off.
TEST_CAPTCHA = env_bool("VOLNET_TEST_CAPTCHA")
if TEST_CAPTCHA and not DEBUG:
    # zh-only: for the operator, before translations load
    raise ImproperlyConfigured("VOLNET_TEST_CAPTCHA=1 只能在 DEBUG 模式下使用。")
CAPTCHA_LIFETIME = 5 * 60  # seconds a captcha code may be answered (accounts.captcha)

# Benchmarks sign in without a captcha and call a bare view; loopback only, never in production.
BENCH = env_bool("VOLNET_BENCH")
if BENCH and set(ALLOWED_HOSTS) - {"127.0.0.1", "localhost", "[::1]"}:
    # zh-only: for the operator, before translations load
    raise ImproperlyConfigured("VOLNET_BENCH=1 只能搭配本機 ALLOWED_HOSTS 使用。")

INSTALLED_APPS = [
    "volnet.accounts.adminapp.AdminConfig",  # /admin/ only through the staff sign-in
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # the staff's one-time recovery codes
    "volnet.accounts",
    "volnet.units",
    "volnet.records",
    "volnet.people",
    "volnet.eligibility",
    "volnet.honorcard",
    "volnet.recruitment",
    "volnet.albums",
    "volnet.desk",
    "volnet.reports",
    "volnet.statistics",
    "volnet.courses",
    "volnet.audit",
    "volnet.documents",
    "volnet.mailer",
    "volnet.notifications",
    "volnet.portal",
    "volnet.recordbook",
    "volnet.backoffice",
    "volnet.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "volnet.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "volnet.uploads.RequestSizeMiddleware",  # before CSRF, the first to read a POST body
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "volnet.http.RefuseNulMiddleware",
    "volnet.accounts.middleware.AbsoluteSessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "volnet.accounts.middleware.PasswordChangeRequiredMiddleware",
]

ROOT_URLCONF = "volnet.urls"
WSGI_APPLICATION = "volnet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "volnet" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "volnet.context_processors.site",
                "volnet.notifications.context_processors.unread",
            ],
            "builtins": ["volnet.templatetags.volnet"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'volnet.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests on SQLite use a file, as production does: an in-memory database shares one cache between
    # threads and fails concurrent writers at once ("table is locked") instead of making them wait.
    # One file per process, so that parallel test runs in the same tree never share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"volnet-test-{os.getpid()}.sqlite3")}
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"],
                                                 conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
                                                 conn_health_checks=True)
    # A replica that does not answer sends reads to the primary (volnet.dbrouter) after at most this many seconds,
    # not after TCP's own time-out of minutes.
    DATABASES["replica"]["OPTIONS"] = {"connect_timeout": 2}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["volnet.dbrouter.ReplicaRouter"]
    MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
                      "volnet.dbrouter.ReplicaMiddleware")
# psycopg's connection pool (Django 5.2): each process keeps up to DB_POOL_SIZE connections to each PostgreSQL
# database and lends one to each request, in place of its one persistent connection (DB_CONN_MAX_AGE). The sync
# workers need one each; more serve threads or a process sharing its connections.
DB_POOL_SIZE = int(os.environ.get("DB_POOL_SIZE", "0"))
for _database in DATABASES.values():
    if DB_POOL_SIZE and _database["ENGINE"] == "django.db.backends.postgresql":
        _database["CONN_MAX_AGE"] = 0  # the pool keeps the connections open (Django refuses both)
        _options = _database.setdefault("OPTIONS", {})
        _options["pool"] = {
            "min_size": 1, "max_size": DB_POOL_SIZE,
            # How long a request waits for a connection. The replica's: its connect timeout, so that reads still go
            # to the primary within it when the replica does not answer.
            "timeout": _options.get("connect_timeout", 10)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "volnet.lib.rediscache.KeptClientRedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "volnet.accounts.passwords.CharacterClassValidator"},
    {"NAME": "volnet.accounts.passwords.PersonalDataValidator"},
    {"NAME": "volnet.accounts.passwords.HistoryValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 30 * 60
SESSION_COOKIE_AGE = 30 * 60  # idle: renewed by every request (SESSION_SAVE_EVERY_REQUEST)
SESSION_ABSOLUTE_AGE = 12 * 60 * 60  # from sign-in, whatever the activity (accounts.middleware)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "volnet.views.csrf_failure"

SECURE = not DEBUG and env_bool("VOLNET_SECURE", True)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = SECURE and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
# How many proxies of ours stand in front of the app, each appending to X-Forwarded-For: volnet.http.client_ip
# believes that many entries from the right and no more. 0: the header is ignored (a visitor could write it).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT") or 0)
RATELIMIT_IP_META_KEY = "volnet.http.client_ip"  # django-ratelimit's "ip" key: the same address
# Counters of failed or costly attempts (accounts.throttle reads VOLNET_RATE_<NAME>): count/period.
VOLNET_RATE_SIGNIN_IP = "20/15m"  # failed sign-ins from one address, whatever the accounts
VOLNET_RATE_FORGOT_IP = "10/h"  # 忘記密碼 requests from one address
VOLNET_RATE_FORGOT_ID = "3/h"  # 忘記密碼 requests for one ID number
VOLNET_RATE_SIGNUP_IP = "10/h"  # 加入會員 attempts from one address
VOLNET_RATE_VERIFY_MAIL = "3/h"  # verification mails re-sent for one ID number
VOLNET_RATE_MY_DATA = "3/h"  # 我的資料下載 per person: each is a whole copy of what is held about them
# The public venue check: a busy entrance scans a code every few seconds (a few staff behind one address at
# most about one a second); made-up codes are what someone guessing sends. The benchmarks' load generator on
# loopback is every venue at once: its checks are counted, never stopped.
VOLNET_RATE_VENUE_CHECK_IP = "1000000/m" if BENCH else "120/m"  # honor-card checks from one address
VOLNET_RATE_VENUE_UNKNOWN_IP = "10/15m"  # checks of codes that do not exist (查無此條碼) from one address
# The public document verification: a school checks a handful; a guesser sends unknown codes.
VOLNET_RATE_DOCUMENT_CHECK_IP = "60/m"  # verification pages from one address
VOLNET_RATE_DOCUMENT_UNKNOWN_IP = "10/15m"  # codes that do not exist, from one address
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

LANGUAGE_CODE = "zh-hant"
LANGUAGES = [("zh-hant", "繁體中文"), ("en", "English")]  # zh-only: each language is named in its own words
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Taipei"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing folder before collectstatic
STATICFILES_DIRS = [BASE_DIR / "volnet" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Album photos, never served by URL (albums.storage); empty: `private-media` beside MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = os.environ.get("PRIVATE_MEDIA_ROOT", "")

# Request bodies (volnet.uploads). Each page that takes files declares how many and how big; a body
# longer than its page takes is refused from its Content-Length before any of it is read, and each
# file is counted while it streams in and dropped once past its page's limit (the form says so).
mib = 1024 * 1024  # lower case: not a setting
UPLOAD_MAX_BYTES = int(float(os.environ.get("UPLOAD_MAX_MB", "10")) * mib)  # an album photo, an Excel import
# The longest body of any page: an album upload of 20 photos of UPLOAD_MAX_BYTES, plus its fields.
# The proxy's client_max_body_size (docs/deploy.md) must be the same.
REQUEST_MAX_BYTES = int(float(os.environ.get("REQUEST_MAX_MB", "205")) * mib)
DATA_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * mib)  # the form fields of a request; a page without files takes no more
# The insurance form ticks every volunteer of a unit (a large unit has a few thousand); the fields'
# total length stays within DATA_UPLOAD_MAX_MEMORY_SIZE.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_NUMBER_FILES = 50  # an album takes 20 photos at a time, and says so up to 50
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * mib  # a request up to this keeps its files in memory, else in temporary files
FILE_UPLOAD_HANDLERS = ["volnet.uploads.LimitedUploadHandler"]
# An uploaded Excel file waits here between its preview and its import (records.staging), this many seconds.
VOLNET_IMPORT_DIR = VAR_DIR / "imports"
VOLNET_IMPORT_TTL = 30 * 60

# The record book's PDF (documents.fonts): AR PL UMing TW (Debian fonts-arphic-uming), and for the rare name
# characters it lacks the CNS 11643 全字庫 TW-Sung family (fonts-cns11643-sung), those installed.
RECORDBOOK_FONT = "/usr/share/fonts/truetype/arphic/uming.ttc"
RECORDBOOK_FALLBACK_FONTS = [
    "/usr/share/fonts/truetype/cns11643/TW-Sung-98_1.ttf",
    "/usr/share/fonts/truetype/cns11643/TW-Sung-Ext-B-98_1.ttf",
    "/usr/share/fonts/truetype/cns11643/TW-Sung-Plus-98_1.ttf",
]
# A book that took longer than this many seconds to draw is kept in the cache this long (recordbook.cache).
RECORDBOOK_PDF_CACHE_AFTER = 0.5
RECORDBOOK_PDF_CACHE_SECONDS = 5 * 60
# 服務時數, the page volunteers open most, is cached whole this long, rebuilt when a record changes (0: off).
PORTAL_HOURS_CACHE_SECONDS = 10 * 60
# An honor card's QR code is good for this long after the volunteer opens it (honorcard.services).
HONOR_CARD_TOKEN_SECONDS = 5 * 60

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "1025"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))  # seconds a worker waits for each answer of the server
# Seconds a mail sender may take before another may send that mail (volnet.mailer.outbox): far above the timeout.
MAIL_SEND_LEASE = int(os.environ.get("MAIL_SEND_LEASE") or max(300, 20 * EMAIL_TIMEOUT))
# zh-only: the sender is one name whatever the language of the mail
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "志願服務資訊網 <no-reply@volnet.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where `make run`'s local SMTP sink stores what it receives; the DEBUG-only outbox page reads it.
MAIL_SINK_DIR = VAR_DIR / "outbox"

# Every issued PDF is signed (volnet.documents.signing). Production names its certificate and key (PEM files)
# and, when the key has one, its password; a chain of intermediate certificates is a comma-separated list.
# Without them the site signs with a demo certificate it makes into var/signing/demo/ (`check --deploy`
# refuses that in production).
DOCUMENT_SIGNING_CERT = os.environ.get("DOCUMENT_SIGNING_CERT", "")
DOCUMENT_SIGNING_KEY = os.environ.get("DOCUMENT_SIGNING_KEY", "")
DOCUMENT_SIGNING_KEY_PASSWORD = os.environ.get("DOCUMENT_SIGNING_KEY_PASSWORD", "")
DOCUMENT_SIGNING_CHAIN = env_list("DOCUMENT_SIGNING_CHAIN")

# Work outside the request (volnet/celery.py, docs/deploy.md): Celery with Redis as its broker. Without a broker
# (tests, `make run` without REDIS_URL) tasks run eagerly, in the process that queues them, once its transaction
# has committed. Tasks are acknowledged after they finish and given back if their worker dies (kill -9, OOM), so
# a task is retried rather than lost; every task is written to be run twice without harm.
broker = os.environ.get("CELERY_BROKER_URL") or REDIS_URL  # lower case: not a setting
CELERY_BROKER_URL = broker or "memory://"
CELERY_TASK_ALWAYS_EAGER = not broker or env_bool("CELERY_TASK_ALWAYS_EAGER")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True  # progress and results a page shows live in the database or the cache
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "volnet")
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task a dead worker held is handed out again after this many seconds; longer than any task runs.
visibility = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))  # lower case: not a setting
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": visibility, "unacked_restore_throttle": 1,
                                   "unacked_restore_interval": min(10, max(1, visibility // 3))}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = "Asia/Taipei"
# `celery -A volnet beat`: each job is idempotent and bounded, so a missed or doubled run does no harm. The daily
# ones run in the night and early morning, Taipei time (CELERY_TIMEZONE); docs/deploy.md lists them.
CELERY_BEAT_SCHEDULE = {
    "mailer.send_due": {"task": "volnet.mailer.tasks.send_due", "schedule": 60.0},
    "records.sweep_uploads": {"task": "volnet.records.tasks.sweep_uploads", "schedule": 600.0},
    "accounts.purge_expired": {"task": "volnet.accounts.tasks.purge_expired", "schedule": crontab(minute=10, hour=3)},
    "honorcard.purge_card_tokens": {"task": "volnet.honorcard.tasks.purge_card_tokens",
                                    "schedule": crontab(minute=20, hour=3)},
    # reminders (a repeated run tells nobody twice: each key names the person, the thing and its date)
    "records.remind_insurance_ending": {"task": "volnet.records.tasks.remind_insurance_ending",
                                        "schedule": crontab(minute=0, hour=6)},
    "honorcard.remind_cards_ending": {"task": "volnet.honorcard.tasks.remind_cards_ending",
                                      "schedule": crontab(minute=30, hour=6)},
    "reports.remind_reports_due": {"task": "volnet.reports.tasks.remind_reports_due",
                                   "schedule": crontab(minute=45, hour=6)},
    # the staff's digest of what waits for them: one 通知 per kind and day
    "backoffice.send_digest": {"task": "volnet.backoffice.tasks.send_digest", "schedule": crontab(minute=0, hour=7)},
    # those enrolled hear of tomorrow's sessions (the key names the enrolment and the session)
    "courses.remind_day_before": {"task": "volnet.courses.tasks.remind_day_before",
                                  "schedule": crontab(minute=0, hour=9)},
}

SITE_NAME = gettext_noop("志願服務資訊網")  # translated where shown; the TOTP issuer and PDF metadata keep it
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
