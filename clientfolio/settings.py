"""Clientfolio settings, read from environment variables (12-factor).

Development defaults are safe and need no configuration: SQLite in ``./var``, a secret key
generated on first start, the console e-mail backend. Production sets ``DEBUG=false``,
``ALLOWED_HOSTS``, ``DATABASE_URL`` and friends; see docs/operations.md.
"""

import secrets
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent
env = environ.Env()

DATA_DIR = Path(env.str("CLIENTFOLIO_DATA_DIR", default="var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The SECRET_KEY variable, else a key generated once and kept in the data folder."""
    if key := env.str("SECRET_KEY", default=""):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

# CLIENTFOLIO_ENV=production (the systemd units set it) refuses to start on what would
# be unsafe to serve: no SECRET_KEY of its own (a generated key in the data folder is for
# one development machine), a wildcard host, DEBUG on. Development is the default.
CLIENTFOLIO_ENV = env.str("CLIENTFOLIO_ENV", default="development")
if CLIENTFOLIO_ENV == "production":
    from django.core.exceptions import ImproperlyConfigured

    _problems = []
    if len(env.str("SECRET_KEY", default="")) < 50:
        _problems.append(
            "SECRET_KEY is not set or shorter than 50 characters (make one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)"
        )
    if not ALLOWED_HOSTS or any("*" in host for host in ALLOWED_HOSTS):
        _problems.append(
            "ALLOWED_HOSTS must name the site's host names, without wildcards "
            f"(got {','.join(ALLOWED_HOSTS) or 'nothing'})"
        )
    if DEBUG:
        _problems.append("DEBUG is on: set DEBUG=false")
    if _problems:
        raise ImproperlyConfigured(
            "Production settings (CLIENTFOLIO_ENV=production) refused: "
            + "; ".join(_problems)
            + ". See docs/operations.md, Deploying."
        )
elif CLIENTFOLIO_ENV != "development":
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"CLIENTFOLIO_ENV is {CLIENTFOLIO_ENV!r}: use production or development."
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_htmx",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "fast_update",
    "clientfolio.core",
    "clientfolio.clients",
    "clientfolio.projects",
    "clientfolio.comms",
    "clientfolio.schedule",
    "clientfolio.documents",
    "clientfolio.finance",
    "clientfolio.risks",
    "clientfolio.quality",
    "clientfolio.closure",
    "clientfolio.reports",
    "clientfolio.notifications",
    "clientfolio.comments",
    "clientfolio.integrations",
    "clientfolio.portal",
    "clientfolio.blueprints",
    "clientfolio.interchange",
    "clientfolio.ops",
]

MIDDLEWARE = [
    "clientfolio.core.observability.RequestIdMiddleware",
    "clientfolio.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "clientfolio.core.middleware.UserLanguageMiddleware",
    "clientfolio.core.middleware.ClientBoundaryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clientfolio.urls"
WSGI_APPLICATION = "clientfolio.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clientfolio.core.context_processors.shell",
            ],
            "builtins": ["django.templatetags.i18n", "django.templatetags.static"],
        },
    }
]

# --- database -------------------------------------------------------------------------
# SQLite in the data folder unless DATABASE_URL says otherwise. WAL lets readers run beside
# a writer, the busy timeout waits for a lock instead of failing, and IMMEDIATE transactions
# take the write lock up front so two writers never deadlock on a lock upgrade.
SQLITE_OPTIONS = {
    "init_command": (
        "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;PRAGMA cache_size=-64000;PRAGMA mmap_size=268435456;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "clientfolio.sqlite3",
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- caches and sessions (Redis when REDIS_URL is set) ---------------------------------
# One Redis shared by every web and job process: what one process caches or invalidates,
# all see. Sessions are then "cached_db": written through to the database and read from
# Redis, so a restarted or flushed Redis costs one query per user, never a login. Without
# Redis each process has its own memory cache, and sessions stay in the database alone (a
# per-process copy of a session would outlive its sign-out in the other workers).
if REDIS_URL := env.str("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Several instances (or staging beside production) may share one Redis.
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="clientfolio"),
            # A Redis that hangs fails the request in seconds, not at gunicorn's timeout.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Cache permissions and counts from one request to the next (core.caching): on by
# default only with a cache every process shares (Redis); a per-process cache would miss
# other processes' invalidations.
CACHE_ACROSS_REQUESTS = env.bool("CACHE_ACROSS_REQUESTS", default=None)

# --- background jobs (Django's Tasks API) -----------------------------------------------
# JOBS_BACKEND: "database" (default: the jobs table, worked by `clientfolio worker`),
# "celery" (Celery workers over CELERY_BROKER_URL, Redis) or "immediate" (run in the
# request; tests and one-off scripts only).
CELERY_BROKER_URL = env.str(
    "CELERY_BROKER_URL", default=env.str("REDIS_URL", default="")
)
JOBS_BACKEND = env.str("JOBS_BACKEND", default="database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "celery": "clientfolio.core.jobs.celery_backend.CeleryBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {
        "BACKEND": _TASK_BACKENDS[JOBS_BACKEND],
        "QUEUES": ["default", "mail", "hooks"],
    }
}
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A failing e-mail is tried again this many times, waiting 1, 2, 4, ... minutes.
EMAIL_RETRIES = env.int("EMAIL_RETRIES", default=5)
# Who hears about events: each handler is called with the stored core.Event.
CLIENTFOLIO_EVENT_HANDLERS: list[str] = [
    "clientfolio.notifications.handlers.handle_event",
    "clientfolio.integrations.handlers.handle_event",
    "clientfolio.reports.handlers.handle_event",
]
# Chat channels and outgoing webhooks reach only public addresses, except these networks
# (CIDRs) an administrator allows, e.g. an internal chat server (docs/integrations.md).
INTEGRATIONS_ALLOWED_NETWORKS = env.list("INTEGRATIONS_ALLOWED_NETWORKS", default=[])
# A webhook is disabled after this many events in a row failed every attempt.
INTEGRATIONS_DISABLE_AFTER = env.int("INTEGRATIONS_DISABLE_AFTER", default=10)
# The reminder sweep tells of a task overdue by at most this many days (0: no limit), so
# the first sweep over old data does not flood everyone.
REMINDER_OVERDUE_MAX_DAYS = env.int("REMINDER_OVERDUE_MAX_DAYS", default=30)
# A calendar change of a plan of more tasks than this is recomputed by a background job.
PLAN_RECOMPUTE_INLINE_LIMIT = env.int("PLAN_RECOMPUTE_INLINE_LIMIT", default=5000)
# How long after posting its author may still edit a comment.
COMMENT_EDIT_MINUTES = env.int("COMMENT_EDIT_MINUTES", default=15)

# --- backups (clientfolio backup / restore; docs/operations.md, *Backup and restore*) ---
# The daily backup (BACKUP_AT, server time; empty: none) goes to BACKUP_DIR, encrypted
# when BACKUP_PASSPHRASE_FILE (or CLIENTFOLIO_BACKUP_PASSPHRASE) is set; the newest of
# the last BACKUP_KEEP_DAILY days and BACKUP_KEEP_WEEKLY weeks are kept. Administrators
# are warned when the last success is older than BACKUP_WARN_AFTER_HOURS.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(DATA_DIR / "backups")))
BACKUP_AT = env.str("BACKUP_AT", default="02:30")
BACKUP_KEEP_DAILY = env.int("BACKUP_KEEP_DAILY", default=7)
BACKUP_KEEP_WEEKLY = env.int("BACKUP_KEEP_WEEKLY", default=4)
BACKUP_PASSPHRASE_FILE = env.str("BACKUP_PASSPHRASE_FILE", default="")
BACKUP_COMPRESSION = env.str("BACKUP_COMPRESSION", default="zstd")
BACKUP_WARN_AFTER_HOURS = env.int("BACKUP_WARN_AFTER_HOURS", default=48)
# Where pg_dump and pg_restore are, when not beside the server's version in Debian's
# /usr/lib/postgresql/<version>/bin or on PATH.
BACKUP_PG_BIN_DIR = env.str("BACKUP_PG_BIN_DIR", default="")

# --- users and authentication ------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "core:login"

# Behind a reverse proxy (nginx with TLS), the client's address is the entry the proxy
# appended to X-Forwarded-For; PROXY_COUNT proxies in a row each append one.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
PROXY_COUNT = env.int("PROXY_COUNT", default=1) if BEHIND_PROXY else 0

# Login throttling (django-axes): five failures for one user name from one address lock
# that pair out for fifteen minutes, and twenty failures from one address over any user
# names lock the address out (password spraying); the login page says so in the user's
# language. The address is the real client's, also behind the proxy.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = env.float("LOGIN_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "clientfolio.core.logins.LoginThrottle"
AXES_CLIENT_IP_CALLABLE = "clientfolio.core.logins.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "clientfolio.core.views.login_locked_out"
AXES_VERBOSE = False

# --- internationalisation --------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["clientfolio.formats"]
DEFAULT_CURRENCY = "CNY"

# --- static and uploaded files -----------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded files on S3-compatible storage (AWS S3, MinIO, Aliyun OSS, Tencent COS…) through
# django-storages, installed with the "s3" extra; see docs/operations.md.
if env.str("CLIENTFOLIO_STORAGE", default="filesystem") == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {  # type: ignore[dict-item]  # STORAGES was inferred str -> str
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
            # Private objects, never overwritten; downloads go through Clientfolio.
            "default_acl": None,
            "file_overwrite": False,
            # Nothing hands out the objects' URLs; if anything ever asks for one it is
            # signed and valid for a minute, never a public address.
            "querystring_auth": True,
            "querystring_expire": 60,
            # Files larger than this are spooled to disk, not held in memory.
            "max_memory_size": env.int(
                "AWS_S3_MAX_MEMORY_SIZE", default=5 * 1024 * 1024
            ),
        },
    }
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=50 * 1024 * 1024)
DOCUMENTS_MAX_BYTES = env.int("DOCUMENTS_MAX_BYTES", default=100 * 1024 * 1024)

# --- e-mail (console in development, SMTP through EMAIL_URL) ---------------------------
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="clientfolio@localhost")
# The site's public address, for links in e-mails sent from jobs (no request to ask).
SITE_URL = env.str("CLIENTFOLIO_SITE_URL", default="http://localhost:8000")
# The firm's name on the client portal and its e-mails (the product's name by default).
CLIENTFOLIO_FIRM_NAME = env.str("CLIENTFOLIO_FIRM_NAME", default="Clientfolio")
# The firm's logo on the portal: an image URL (a static path such as /static/logo.png, or
# an https address allowed by the content security policy); none by default.
CLIENTFOLIO_FIRM_LOGO_URL = env.str("CLIENTFOLIO_FIRM_LOGO_URL", default="")
# A portal invitation's link is valid this many days; an e-mailed sign-in link this many
# minutes. One address may ask for sign-in links this many times in 15 minutes, and one
# contact is sent at most PORTAL_SIGN_IN_LINKS_PER_HOUR of them.
PORTAL_INVITATION_DAYS = env.int("PORTAL_INVITATION_DAYS", default=7)
PORTAL_SIGN_IN_MINUTES = env.int("PORTAL_SIGN_IN_MINUTES", default=30)
PORTAL_SIGN_IN_ADDRESS_LIMIT = env.int("PORTAL_SIGN_IN_ADDRESS_LIMIT", default=20)
PORTAL_SIGN_IN_LINKS_PER_HOUR = env.int("PORTAL_SIGN_IN_LINKS_PER_HOUR", default=3)

# --- security headers ------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Swagger UI and ECharts set inline styles; scripts stay strictly same-origin.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "clientfolio.core.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["clientfolio.core.api_policy.ScopedPermission"],
    # DRF's JSON, written by orjson (core/renderers.py); the browsable API as before.
    "DEFAULT_RENDERER_CLASSES": [
        "clientfolio.core.renderers.FastJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # DRF's parsers, with JSON nested absurdly deep refused as 400 (core/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "clientfolio.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "clientfolio.core.filters.ScopedFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "clientfolio.core.api_policy.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "clientfolio.core.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "clientfolio.core.api_policy.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/minute"},
}
# API tokens (POST /api/v1/auth/token/) expire this many days after they are issued.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=30)
# How long a signed-in session lasts without signing in again (Django's default is two
# weeks), and whether it ends when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_HOURS", default=336) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_ENDS_WITH_BROWSER", default=False)
# E-mailed links that need no login: a survey's, and a participant's confirmation of
# minutes.
SURVEY_LINK_DAYS = env.int("SURVEY_LINK_DAYS", default=60)
MINUTES_CONFIRMATION_DAYS = env.int("MINUTES_CONFIRMATION_DAYS", default=30)
# Personal data (PIPL / GDPR): the contacts of a client that is lost and unchanged for
# this many days are anonymised by a nightly job (docs/privacy.md); 0 keeps them.
PERSONAL_DATA_RETENTION_DAYS = env.int("PERSONAL_DATA_RETENTION_DAYS", default=0)
SPECTACULAR_SETTINGS = {
    "TITLE": "Clientfolio API",
    "DESCRIPTION": "Client library and client project folders. Updates carry `version`; "
    "a stale version is answered with 409 and nothing is written.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and docs are for signed-in staff, like the API itself.
    "SERVE_PERMISSIONS": ["clientfolio.core.api_policy.ScopedPermission"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets shared by several fields (or with the same values) get one name each.
    "ENUM_NAME_OVERRIDES": {
        "ClientTierEnum": "clientfolio.clients.models.Client.Tier",
        "CurrencyEnum": "clientfolio.clients.models.Currency",
        "CostCategoryEnum": "clientfolio.finance.models.CostCategory",
        "PriorityEnum": "clientfolio.projects.models.Priority",
        "ProjectRequirementStatusEnum": "clientfolio.projects.models.ProjectRequirement.Status",
        "ChangeRequestStatusEnum": "clientfolio.projects.models.ChangeRequest.Status",
        # Feedback and issues both go open, in progress, resolved, closed.
        "ResolutionStatusEnum": "clientfolio.risks.models.Issue.Status",
        # The records comments are allowed on (other apps name kinds of record too).
        "CommentTargetTypeEnum": "clientfolio.comments.models.TargetType",
        # The event kinds (core.events.Kind) that preferences, channels and webhooks name.
        "EventKindEnum": "clientfolio.integrations.api.serializers.event_kinds",
        # A client's decisions: on a deliverable or milestone, and on a change request.
        "AcceptanceDecisionEnum": "clientfolio.quality.models.Acceptance.Decision",
        "AcceptanceChannelEnum": "clientfolio.quality.models.Acceptance.Channel",
        "ChangeDecisionEnum": "clientfolio.portal.decisions.CHANGE_DECISIONS",
        "DeliverableStatusEnum": "clientfolio.quality.models.Deliverable.Status",
        "ProjectStatusEnum": "clientfolio.projects.models.Project.Status",
        # Shown by both the staff API and the portal's (issue 12).
        "CommRecordKindEnum": "clientfolio.comms.models.CommRecord.Kind",
        "ActionItemStatusEnum": "clientfolio.comms.models.ActionItem.Status",
        # A task in the list and a task with its dependencies (issue 15).
        "TaskStatusEnum": "clientfolio.schedule.models.Task.Status",
        "DependencyKindEnum": "clientfolio.schedule.models.Dependency.Kind",
        "FeedbackKindEnum": "clientfolio.clients.models.Feedback.Kind",
        "FeedbackChannelEnum": "clientfolio.clients.models.Feedback.Channel",
        "RequirementStatusEnum": "clientfolio.clients.models.Requirement.Status",
        "MinutesResponseEnum": "clientfolio.portal.api.conversation.RESPONSES",
    },
}

# --- domain settings -------------------------------------------------------------------
# What `clientfolio demo` and `clientfolio seed-scale` load, part by part, in this order.
CLIENTFOLIO_DEMO_LOADERS = [
    "clientfolio.core.demo.load",
    "clientfolio.clients.demo.load",
    "clientfolio.projects.demo.load",
    "clientfolio.comms.demo.load",
    "clientfolio.schedule.demo.load",
    "clientfolio.finance.demo.load",
    "clientfolio.risks.demo.load",
    "clientfolio.quality.demo.load",
    "clientfolio.closure.demo.load",
    "clientfolio.blueprints.demo.load",
    "clientfolio.finance.billing_demo.load",
    "clientfolio.comments.demo.load",
    "clientfolio.portal.demo.load",
    "clientfolio.reports.demo.load",
    "clientfolio.reports.survey_demo.load",
    "clientfolio.reports.insights.load_demo",
]
CLIENTFOLIO_SCALE_SEEDERS = [
    "clientfolio.clients.scale.seed_from_options",
    "clientfolio.projects.scale.seed_from_options",
    "clientfolio.comms.scale.seed_from_options",
    "clientfolio.schedule.scale.seed_from_options",
    "clientfolio.finance.scale.seed_from_options",
    "clientfolio.risks.scale.seed_from_options",
    "clientfolio.documents.scale.seed_from_options",
    "clientfolio.closure.scale.seed_from_options",
]

# Client tiers from the trailing twelve months of payments received, in DEFAULT_CURRENCY.
CLIENT_TIER_A_MIN = env.str("CLIENT_TIER_A_MIN", default="1000000")
CLIENT_TIER_B_MIN = env.str("CLIENT_TIER_B_MIN", default="200000")

# --- logging ---------------------------------------------------------------------------
# Everything to the console (the process manager keeps it). Clientfolio's own loggers log
# at LOG_LEVEL (INFO: imports, e-mails sent, tokens; WARNING: refused logins and API
# requests, slow recomputes); everything else at WARNING, and unhandled exceptions come
# from django.request at ERROR with their traceback. Axes' own lines would repeat
# clientfolio.core.logins.
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
SLOW_OPERATION_SECONDS = env.float("SLOW_OPERATION_SECONDS", default=2.0)
# Each line carries the request's id (X-Request-ID) or the background job's; LOG_FORMAT=json
# writes one JSON object a line instead. Secrets are masked (core/observability.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "clientfolio.core.observability.ContextFilter"},
        "secrets": {"()": "clientfolio.core.observability.RedactSecrets"},
    },
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(job_id)s]: "
            "%(message)s"
        },
        "json": {"()": "clientfolio.core.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["context", "secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "clientfolio": {"level": LOG_LEVEL},
        "axes": {"level": "ERROR"},
    },
}

MESSAGE_TAGS = {40: "danger"}

# Error pages and error e-mails hide secrets, connection URLs' passwords included.
DEFAULT_EXCEPTION_REPORTER_FILTER = (
    "clientfolio.core.observability.SecretsReporterFilter"
)

# --- observability ---------------------------------------------------------------------
# /metrics/ (Prometheus) answers administrators signed in, and a scraper that sends
# "Authorization: Bearer METRICS_TOKEN"; everyone else gets 404.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Errors to Sentry with the "sentry" extra installed (core/sentry.py). The DSN is not kept
# in a setting, so no error page can show it.
if env.str("SENTRY_DSN", default=""):
    from clientfolio.core.sentry import init as _init_sentry

    _init_sentry(
        env.str("SENTRY_DSN"),
        environment=env.str("SENTRY_ENVIRONMENT", default=CLIENTFOLIO_ENV),
        release=env.str("SENTRY_RELEASE", default=""),
    )
