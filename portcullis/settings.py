"""The only settings module. Everything that differs between machines comes from the environment.

Documented variables: DJANGO_DEBUG, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL,
PORTCULLIS_TASK_BACKEND (db|rq), REDIS_URL, PORTCULLIS_BASE_URL,
DJANGO_EMAIL_HOST/PORT/USER/PASSWORD/USE_TLS, DJANGO_DEFAULT_FROM_EMAIL, PORTCULLIS_LEDGER_KEY,
PORTCULLIS_PROTECTED_DOMAINS, PORTCULLIS_REPORT_IMAP_HOST/PORT/USER/PASSWORD/SSL/FOLDER,
PORTCULLIS_REPORT_ADDRESS,
PORTCULLIS_SIMULATION_BASE_URL, PORTCULLIS_API_RATE_INTEGRATION/SECURITY/USER/ANON.
With DEBUG off, a missing secret stops the process instead of falling back to a weak default.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTCULLIS_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def required(name: str, dev_default: str) -> str:
    value = env(name)
    if value is not None:
        return value
    if DEBUG:
        return dev_default
    raise ImproperlyConfigured(f"{name} must be set when DJANGO_DEBUG is off")


DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = required("DJANGO_SECRET_KEY", "insecure-development-key-" + "x" * 40)
if not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Where people reach Portcullis: used for full links in e-mails sent by background tasks.
PORTCULLIS_BASE_URL = (env("PORTCULLIS_BASE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

# The ledger's HMAC key. Kept apart from SECRET_KEY so that rotating one does not break the other,
# and so that whoever learns one cannot rewrite the ledger's chain with it.
LEDGER_KEY = required("PORTCULLIS_LEDGER_KEY", "insecure-development-ledger-key-" + "x" * 32)
if not DEBUG and len(LEDGER_KEY) < 32:
    raise ImproperlyConfigured("PORTCULLIS_LEDGER_KEY must be at least 32 characters")
if not DEBUG and LEDGER_KEY == SECRET_KEY:
    raise ImproperlyConfigured("PORTCULLIS_LEDGER_KEY must differ from DJANGO_SECRET_KEY")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "portcullis.accounts",
    "portcullis.ledger",
    "portcullis.scheduler",
    "portcullis.protection",
    "portcullis.training",
    "portcullis.intel",
    "portcullis.approaches",
    "portcullis.phishing",
    "portcullis.screening",
    "portcullis.donations",
    "portcullis.visitors",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portcullis.lib.safetext.SafeTextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portcullis.lib.uploads.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portcullis.accounts.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portcullis.accounts.middleware.SessionIdleTimeoutMiddleware",
    "portcullis.accounts.middleware.RequireMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portcullis.urls"
WSGI_APPLICATION = "portcullis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "portcullis" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portcullis.navigation.navigation",
            ],
            "libraries": {
                "govuk": "portcullis.lib.templatetags.govuk",
                "charts": "portcullis.lib.templatetags.charts",
            },
        },
    },
]
FORM_RENDERER = "portcullis.lib.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portcullis.sqlite3'}") or "",
        conn_max_age=int(env("PORTCULLIS_DB_CONN_MAX_AGE", "60") or 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker share one SQLite file without "database locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler spent 2-3 s compiling the compliance aggregates (their planned
    # costs are far above the real ones) to save milliseconds; a web request's queries are short.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:sign-in"
PASSWORD_RESET_TIMEOUT = 60 * 60  # an hour: reset links travel by e-mail

# Sessions: end when the browser closes, after 8 hours at most, and after 30 idle minutes.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_IDLE_SECONDS = int(env("PORTCULLIS_SESSION_IDLE_SECONDS", "1800") or 1800)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Brute-force lockout: five failures lock the account (not the IP: the estate shares addresses).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"  # authenticate(username=<e-mail>) in the sign-in view
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# axes.W006 asks to lock by IP as well; on the estate hundreds of people share a few addresses,
# so an IP lockout would let one mistyped password lock out an office. We lock the account.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

OTP_TOTP_ISSUER = "Portcullis"
# Off here: accounts.services throttles second factors itself (a first wrong code must not
# block the right one that follows).
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request if it is missing
STATICFILES_DIRS = [BASE_DIR / "portcullis" / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media")},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# E-mail goes over SMTP. In development with no host set, messages are printed instead.
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost") or "localhost"
EMAIL_PORT = int(env("DJANGO_EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_USER", "") or ""
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 20
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and env("DJANGO_EMAIL_HOST") is None
    else "django.core.mail.backends.smtp.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "Portcullis <portcullis@localhost>")

# Directories searched first for the fonts PDFs embed (portcullis/lib/pdffonts.py), before the
# system's; comma-separated.
PDF_FONT_DIRS = env_list("PORTCULLIS_PDF_FONT_DIRS")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: the database queue by default; RQ on Redis for several worker machines.
REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0") or ""
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
TASK_BACKEND = env("PORTCULLIS_TASK_BACKEND", "db")
if TASK_BACKEND not in {"db", "rq"}:
    raise ImproperlyConfigured("PORTCULLIS_TASK_BACKEND must be 'db' or 'rq'")
if TASK_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq"]
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_rq.RQBackend"
            if TASK_BACKEND == "rq"
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# One cache for every process: API rate limits (accounts.throttling) and the compliance figures
# are shared only if every web and worker process uses the same one. Redis where
# PORTCULLIS_CACHE_URL names it (by default the task queue's Redis when tasks run on RQ); with
# none, each process keeps its own, which is right for a single process (check --deploy warns).
CACHE_URL = env("PORTCULLIS_CACHE_URL", REDIS_URL if TASK_BACKEND == "rq" else "") or ""
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("PORTCULLIS_CACHE_URL must be a redis://, rediss:// or unix:// URL")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "portcullis",
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portcullis.accounts.tokens.IntegrationTokenAuthentication",
        "portcullis.lib.api.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "portcullis.accounts.tokens.TokenScope",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "portcullis.lib.api.Pagination",
    "PAGE_SIZE": 50,
    # Sized per caller (portcullis.accounts.throttling): each integration token, each security
    # officer, each other person, each anonymous address has its own budget.
    "DEFAULT_THROTTLE_CLASSES": ["portcullis.accounts.throttling.RoleRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "integration": env("PORTCULLIS_API_RATE_INTEGRATION", "10000/hour"),
        "security": env("PORTCULLIS_API_RATE_SECURITY", "20000/hour"),
        "user": env("PORTCULLIS_API_RATE_USER", "2000/hour"),
        "anon": env("PORTCULLIS_API_RATE_ANON", "100/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Portcullis API",
    "DESCRIPTION": "Protective security and counter-interference platform. "
    "Authenticate with `Authorization: Token <key>`: make a token at /account/api-tokens/ "
    "(or `manage.py create_api_token`).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    # Choice sets that share a field name across apps, each named once.
    "ENUM_NAME_OVERRIDES": {
        "TlpEnum": "portcullis.intel.tlp.Tlp",
        "DonorTypeEnum": "portcullis.donations.models.DonorType",
        "DonationMethodEnum": "portcullis.donations.models.Method",
        "DonationKindEnum": "portcullis.donations.models.Donation.Kind",
        "FiledReportKindEnum": "portcullis.donations.models.FiledReport.Kind",
    },
}

# Content security: our own scripts and styles only (inline style attributes: the training trend).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Production transport security. Off in DEBUG so that http://127.0.0.1:8000 works.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Size limits on anything a browser or integration sends us.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Every uploaded file is cut off at its view's limit while it streams in (lib.uploads): a view
# that takes files says how large they may be; any other takes at most this.
FILE_UPLOAD_HANDLERS = [
    "portcullis.lib.uploads.StreamLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
UPLOAD_DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Visitors: escorts' limit (DOMAIN.md §9.3: six guests), how long visitors' personal details are
# kept, and per-level overrides of the desk rules (`portcullis/visitors/rules.py`).
VISITORS_MAX_PER_ESCORT = int(env("PORTCULLIS_VISITORS_MAX_PER_ESCORT", "6") or 6)
# Escort rights gated by vetting (a current clearance recorded in `protection`): off until the
# estate's passholders' clearances are all recorded, or nobody could escort.
VISITORS_ESCORTS_NEED_CLEARANCE = env_bool("PORTCULLIS_VISITORS_ESCORTS_NEED_CLEARANCE", False)
VISITORS_RETENTION_DAYS = int(env("PORTCULLIS_VISITORS_RETENTION_DAYS", "365") or 365)
VISITORS_DESK_RULES: dict[str, dict[str, object]] = {}

# The phishing report mailbox, polled over IMAP (polling is off while the host is unset).
PORTCULLIS_REPORT_IMAP_HOST = env("PORTCULLIS_REPORT_IMAP_HOST", "") or ""
PORTCULLIS_REPORT_IMAP_PORT = env("PORTCULLIS_REPORT_IMAP_PORT", "") or ""
PORTCULLIS_REPORT_IMAP_USER = env("PORTCULLIS_REPORT_IMAP_USER", "") or ""
PORTCULLIS_REPORT_IMAP_PASSWORD = env("PORTCULLIS_REPORT_IMAP_PASSWORD", "") or ""
PORTCULLIS_REPORT_IMAP_SSL = env("PORTCULLIS_REPORT_IMAP_SSL", "1") or "1"
PORTCULLIS_REPORT_IMAP_FOLDER = env("PORTCULLIS_REPORT_IMAP_FOLDER", "INBOX") or "INBOX"
# The address people forward suspicious e-mail to (shown on the report page); by default the
# mailbox's user name when that is an address.
PORTCULLIS_REPORT_ADDRESS = env("PORTCULLIS_REPORT_ADDRESS", "") or ""
# Where phishing-simulation links and tracking pixels point (this site, or a proxied host name).
PORTCULLIS_SIMULATION_BASE_URL = env("PORTCULLIS_SIMULATION_BASE_URL", PORTCULLIS_BASE_URL) or ""

# Public reference data (sanctions lists) the demo loads when present: next to the checkout, or
# the workplace's shared copy for checkouts made elsewhere (the tests use the same default).
_SHARED_BESIDE = BASE_DIR.parent / "shared" / "data"
PORTCULLIS_SHARED_DATA = Path(
    env("PORTCULLIS_SHARED_DATA")
    or (_SHARED_BESIDE if _SHARED_BESIDE.is_dir() else Path("/work/shared/data"))
)

# The screening index for the lists in force, saved once per list version and mapped read-only by
# every web and task process (one directory per version set; old ones are deleted after an hour).
SCREENING_INDEX_DIR = Path(env("PORTCULLIS_SCREENING_INDEX_DIR") or VAR_DIR / "screening-index")

# Four eyes: a true match decided by one security officer stays pending until a second, different
# security officer confirms it.
SCREENING_FOUR_EYES = (env("PORTCULLIS_SCREENING_FOUR_EYES", "0") or "0") == "1"

# Scheduled list downloads: the whole download must finish within this many seconds.
PORTCULLIS_LIST_FETCH_TIMEOUT = float(env("PORTCULLIS_LIST_FETCH_TIMEOUT", "120") or 120)

# The legislature's own mail domains: used to spot lookalikes and impersonation.
PROTECTED_DOMAINS = env_list("PORTCULLIS_PROTECTED_DOMAINS", "parliament.example,assembly.example")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
