"""Settings, read from the environment (12-factor).

Without any environment variable the site runs for development: SQLite in the project folder,
Celery tasks eagerly in process, DEBUG on. Production sets DATABASE_URL, REDIS_URL, SECRET_KEY,
DEBUG=false and ALLOWED_HOSTS.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
DEVELOPMENT_SECRET_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("Production (DEBUG=false) needs SECRET_KEY: 50+ random characters.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "alliance.errors.csrf_failure"  # the site's page, in the reader's language

INSTALLED_APPS = [
    "alliance.admin_site.AllianceAdminConfig",  # django.contrib.admin, its apps in order
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "alliance.apps.ApiTokensConfig",  # knox, with names in the admin
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "csp",
    "simple_history",
    "alliance",
    "members",
    "governance",
]

MIDDLEWARE = [
    # First: a prober's request by IP over HTTP gets its answer before host checks (health.py).
    "alliance.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files get the header too: every response has it.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "alliance.language.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "alliance.audit.AuditSourceMiddleware",
    "alliance.security_log.FailedAuthorizationMiddleware",
    # Last, so that it sees the lock-out flag the login views set.
    "axes.middleware.AxesMiddleware",
    "alliance.errors.NotFoundPageMiddleware",  # the first to see a view's exception
]

ROOT_URLCONF = "alliance.urls"
WSGI_APPLICATION = "alliance.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "members.context_processors.viewer",
                "governance.context_processors.council_role",  # after `viewer`: it refines it
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3's pool, one per process; DATABASE_POOL=false falls back to plain connections.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    # A database that does not answer fails a request within seconds (and /health/ says so)
    # rather than holding a gunicorn worker until its own 30-second timeout kills it.
    options.setdefault("connect_timeout", 5)
    if env.bool("DATABASE_POOL", default=False):
        options["pool"] = {"timeout": 10}  # seconds to wait for a free or new connection
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, Celery broker and result backend ------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="alliance"),
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE: dict = {
    # Stored files whose row never committed (alliance.uploads.orphans_sweep), at night.
    "sweep-orphaned-uploads": {
        "task": "alliance.tasks.uploads_sweep",
        "schedule": crontab(hour=3, minute=17),
    },
}

# --- Authentication and authorisation --------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username and address is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Guardian's anonymous user is not needed: anonymous visitors see nothing.
ANONYMOUS_USER_NAME = None
# OWASP ASVS 5.0 V6.2: a minimum length, a check against common and context-specific passwords,
# no composition rules and no forced rotation.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "alliance.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Lock-out after repeated failures, per username and address, for the browser and the token
# endpoint alike. Attempts live in the database: shared by every process, visible in the admin.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_CLIENT_IP_CALLABLE = "alliance.security_log.client_ip"  # TRUSTED_PROXY_COUNT, as the API
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "alliance.security_log.lockout_response"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "login"

# --- Internationalisation: Chinese by default, English available -----------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
FORMAT_MODULE_PATH = ["alliance.formats"]  # ISO dates in both languages (alliance/formats/)
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language a person picks is kept for a year, not only until the browser closes.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        # Public files: readable by the web server's user whoever ran collectstatic (the
        # upload mode, 0o640, would otherwise apply to them too).
        "OPTIONS": {"file_permissions_mode": 0o644},
    },
}

# --- Uploads: outside the web root, served only through permission-checked views ----------
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media")))
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", default=10) * 1024 * 1024
# A stored file no row points to is deleted once this old (uploads still in flight are younger).
UPLOAD_ORPHAN_GRACE_HOURS = env.int("UPLOAD_ORPHAN_GRACE_HOURS", default=24)
# The sweep deletes nothing when more than this share of the files would go (alliance/uploads.py).
UPLOAD_ORPHAN_MAX_SHARE = env.float("UPLOAD_ORPHAN_MAX_SHARE", default=0.5)
if not 0 < UPLOAD_ORPHAN_MAX_SHARE <= 1:
    raise ImproperlyConfigured("UPLOAD_ORPHAN_MAX_SHARE is a share: above 0, at most 1.")
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# --- REST API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "alliance.api.pagination.PageNumberPagination",
    "PAGE_SIZE": env.int("API_PAGE_SIZE", default=50),
    "DEFAULT_FILTER_BACKENDS": [
        "alliance.api.filters.KnownParametersOnly",
        "alliance.api.filters.SyncFilterBackend",
        "rest_framework.filters.SearchFilter",
        "alliance.api.filters.StableOrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/min"),
        "user": env.str("API_THROTTLE_USER", default="1200/min"),
        "token": env.str("API_THROTTLE_TOKEN", default="10/min"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "alliance.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Throttles key on REMOTE_ADDR unless proxies are declared: a client-sent X-Forwarded-For
    # must not reset its own limit.
    "NUM_PROXIES": env.int("TRUSTED_PROXY_COUNT", default=0),
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "alliance.api.renderers.BrowsableAPIRenderer",
    ],
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.int("API_TOKEN_TTL_HOURS", default=24 * 30)),
    # A token in use lives on (a nightly sync need not keep the account's password to sign in
    # again), one left unused expires after TOKEN_TTL, and none lives past the maximum.
    "AUTO_REFRESH": True,
    "AUTO_REFRESH_MAX_TTL": timedelta(days=env.int("API_TOKEN_MAX_DAYS", default=365)),
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Group schooling platform API (集团化办学平台)",
    "DESCRIPTION": (
        "Groups, schools, staff and memberships, and each group's council: seats, meetings, "
        "resolutions and action items. For third-party systems; see the README for sign-in."
    ),
    "VERSION": None,  # the URL's version (v1) alone; a VERSION too would read "v1 (v1)"
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "alliance.api.schema.add_error_responses",
        "alliance.api.schema.require_response_fields",
    ],
    "ENUM_NAME_OVERRIDES": {
        "GroupStatusEnum": "alliance.models.GroupStatus",
        "MembershipStatusEnum": "members.models.MembershipStatus",
        "MeetingStatusEnum": "governance.models.MeetingStatus",
        "AttendanceStatusEnum": "governance.models.AttendanceStatus",
        "MeetingKindEnum": "governance.models.MeetingKind",
        "ResolutionKindEnum": "governance.models.ResolutionKind",
    },
}

# --- Policy defaults from the seeds (DOMAIN.md, "The group") ---------------------------------
# 001: 联盟型不超过5所, 紧密型不超过3所, 托管型不超过5所. The bureau can override per group.
GROUP_MEMBER_CAPS = env.json(
    "GROUP_MEMBER_CAPS", default={"alliance": 5, "tight": 3, "entrusted": 5}
)

# DOMAIN.md "Governance": 000 任期为5年; quorum more than half of member schools present;
# a simple majority of the schools voting, two thirds for the charter. Groups may override.
GOVERNANCE_DEFAULTS = {
    "seat_term_years": env.int("SEAT_TERM_YEARS", default=5),
    "quorum_ratio": env.str("QUORUM_RATIO", default="1/2"),
    "majority_ratio": env.str("MAJORITY_RATIO", default="1/2"),
    "charter_majority_ratio": env.str("CHARTER_MAJORITY_RATIO", default="2/3"),
    # Required meetings per period (001: 理事会议每月至少一次; 000: 校长联席会议每年至少两次,
    # 每年至少一次学术交流会; 001 附件1: 年度工作计划会议和年度总结会议). Per-group override.
    "cadence": {
        "council": ["month", 1],
        "principals": ["year", 2],
        "annual_plan": ["year", 1],
        "annual_summary": ["year", 1],
        "academic": ["year", 1],
    },
    # 000: 长期不参与活动…在年度会议上提出批评 — schools attending less than this are flagged.
    "attendance_flag_below": env.str("ATTENDANCE_FLAG_BELOW", default="1/2"),
    # The dashboard's to-do card lists the meetings starting within this many days.
    "upcoming_meeting_days": env.int("UPCOMING_MEETING_DAYS", default=30),
    "school_year_starts_month": 9,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        # Not "no handlers": Python would then print the record through its last resort.
        "discard": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Sign-ins, failed sign-ins and refused requests: who, when, from where (SECURITY.md).
    "loggers": {
        "alliance.security": {"level": "INFO"},
        # Scanners asking by IP or a foreign name: a 400 each, not an ERROR with a traceback
        # (Django's documented way to silence them). Load balancers use /health/.
        "django.security.DisallowedHost": {"handlers": ["discard"], "propagate": False},
    },
}

# --- Production: HTTPS only (Django's deployment checklist) ---------------------------------
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # Only for a trial over plain HTTP (README, "Deploy"): never behind a real host name.
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    if env.bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (django-csp): scripts, styles, fonts and images
# only from this site, so an injected <script>, style="…" or on…= attribute does nothing.
# Nothing is loaded from a CDN; img-src allows data: for the icons Swagger UI's stylesheet
# inlines. The ReDoc page alone relaxes it (alliance/api/docs.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SESSION_COOKIE_HTTPONLY = True
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
SIMPLE_HISTORY_REVERT_DISABLED = True  # history is read, never replayed over current data
