"""The one settings module: every deployment choice comes from the environment.

The embedded default (SQLite, local memory cache, database task queue, console
e-mail) needs no variable but SECRET_KEY, and not even that in demo mode. Scale-out
deployments set DATABASE_URL, CACHE_URL, TASKS_BACKEND, EMAIL_URL and friends;
docs/operators.md lists them all.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from civicbridge.core import deployment

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent.parent

env = environ.Env()

DATA_DIR = Path(env.str("CIVICBRIDGE_DATA_DIR", default=str(REPO_DIR / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
(DATA_DIR / "static").mkdir(exist_ok=True)  # whitenoise warns about a missing STATIC_ROOT

DEMO_MODE = env.bool("CIVICBRIDGE_DEMO", default=False)
DEBUG = env.bool("DEBUG", default=False)


def _demo_secret_key() -> str:
    # Demo installs keep one generated key in the data dir so sessions survive restarts.
    from django.core.management.utils import get_random_secret_key

    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(get_random_secret_key())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not (DEMO_MODE or DEBUG):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (python -c 'import secrets; print(secrets.token_urlsafe(50))'), or run "
            "'civicbridge demo' for a local demonstration."
        )
    SECRET_KEY = _demo_secret_key()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Before the admin, whose registration/ templates would otherwise replace ours.
    "civicbridge.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_tasks_db",
    "civicbridge.core",
    "civicbridge.directory",
    "civicbridge.funding",
    "civicbridge.alerts",
    "civicbridge.partners",
    "civicbridge.projects",
    "civicbridge.events",
    "civicbridge.support",
    "civicbridge.consultations",
    "civicbridge.groups",
    "civicbridge.kpis",
    "civicbridge.api",
    "civicbridge.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "civicbridge.core.middleware.DeploymentLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "civicbridge.core.rules.RuleAnswersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "civicbridge.core.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

if env.bool("CIVICBRIDGE_SERVER_TIMING", default=False):
    MIDDLEWARE.insert(0, "civicbridge.core.middleware.ServerTimingMiddleware")
# The benchmark's server only: where the SQL of its measured requests is written (core/middleware.py).
CIVICBRIDGE_BENCH_CAPTURE_DIR = env.str("CIVICBRIDGE_BENCH_CAPTURE_DIR", default="")

ROOT_URLCONF = "civicbridge.urls"
WSGI_APPLICATION = "civicbridge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civicbridge.core.context_processors.platform",
            ],
            # After Django's own: its ``capfirst`` writes Turkish "i" as "I" (core/text.py).
            "builtins": ["civicbridge.core.templatetags.language_text"],
        },
    },
]

# Forms draw Django's widget templates in their Jinja2 versions (core.forms.FormRenderer).
FORM_RENDERER = "civicbridge.core.forms.FormRenderer"

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'civicbridge.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers work while a writer commits; IMMEDIATE avoids
            # "database is locked" upgrades from read to write transactions.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
        }
    )
# A connection is kept between requests: opening one took longer than most pages (SQLite's,
# with its pragmas, 3 of a detail page's 6.5 ms in process).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with a health check that makes no round trip while the connection's
    # socket says nothing (core/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "civicbridge.core.postgresql"
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # Parameters travel apart from the SQL, so a query a connection has run a few times is
    # prepared once and PostgreSQL no longer parses and plans it at every page: measured over
    # 14 pages, its CPU per request fell from 3.9 to 2.9 ms. 0 turns it off (behind PgBouncer
    # older than 1.21 in transaction mode, which cannot keep a prepared statement).
    prepare_threshold = env.int("DATABASE_PREPARE_THRESHOLD", default=5)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": prepare_threshold or None}
    )
    # A prepared statement is still planned for its own parameters. After five runs PostgreSQL
    # may keep one generic plan for all of them, fit for none where the data are skewed:
    # partner matching for a request naming Turkey (1,300 of 200,000 organizations) took 1 s
    # instead of 13 ms, and one for three areas ran for minutes. Planning costs some tenths of
    # a millisecond a query. Behind PgBouncer, let it pass this startup parameter.
    DATABASES["default"]["OPTIONS"]["options"] = " ".join(
        filter(None, [DATABASES["default"]["OPTIONS"].get("options"), "-c plan_cache_mode=force_custom_plan"])
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, tasks ------------------------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://civicbridge")}
# Log-in failures and rate limits must be counted once for all processes and servers:
# in Redis when the cache is Redis, else in the database (core.counters).
CIVICBRIDGE_COUNTER_STORE = env.str(
    "CIVICBRIDGE_COUNTER_STORE",
    default="civicbridge.core.counters.RedisCounters"
    if "redis" in CACHES["default"]["BACKEND"].lower()
    else "civicbridge.core.counters.DatabaseCounters",
)
SESSION_ENGINE = env.str("SESSION_ENGINE", default="django.contrib.sessions.backends.db")

TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# `civicbridge worker`: heartbeats, recovery of dead workers' tasks, periodic jobs (core/workers.py).
# A task RUNNING under a worker silent for this long goes back to the queue.
CIVICBRIDGE_WORKER_LEASE_SECONDS = env.float("CIVICBRIDGE_WORKER_LEASE_SECONDS", default=60)
CIVICBRIDGE_WORKER_HEARTBEAT_SECONDS = env.float("CIVICBRIDGE_WORKER_HEARTBEAT_SECONDS", default=5)
# A worker that starts enqueues the runs it missed within this window (each run once, see PeriodicJobSlot).
CIVICBRIDGE_SCHEDULE_CATCH_UP_SECONDS = env.float("CIVICBRIDGE_SCHEDULE_CATCH_UP_SECONDS", default=3600)
CIVICBRIDGE_DIGEST_DAILY_AT = env.str("CIVICBRIDGE_DIGEST_DAILY_AT", default="07:00")
CIVICBRIDGE_DIGEST_WEEKLY_DAY = env.str("CIVICBRIDGE_DIGEST_WEEKLY_DAY", default="monday")
CIVICBRIDGE_DIGEST_WEEKLY_AT = env.str("CIVICBRIDGE_DIGEST_WEEKLY_AT", default="07:00")
CIVICBRIDGE_DIGEST_PARTS = env.int("CIVICBRIDGE_DIGEST_PARTS", default=1)
# How often the worker sweeps the outbox for retries whose time came and mail of dead workers.
CIVICBRIDGE_MAIL_SWEEP_SECONDS = env.float("CIVICBRIDGE_MAIL_SWEEP_SECONDS", default=60)
CIVICBRIDGE_ACCOUNTS_EXPIRY_AT = env.str("CIVICBRIDGE_ACCOUNTS_EXPIRY_AT", default="03:30")
CIVICBRIDGE_TASK_RESULTS_KEEP_DAYS = env.int("CIVICBRIDGE_TASK_RESULTS_KEEP_DAYS", default=14)

# --- Authentication ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # The password check, with the log-in guard's growing delays (accounts/guard.py).
    "civicbridge.accounts.guard.GuardedModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "core:home"

BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
# With BEHIND_PROXY: how many proxies append to (or, like the documented nginx, set)
# X-Forwarded-For; the client is that many entries from the right (core/client.py).
CIVICBRIDGE_PROXY_COUNT = env.int("CIVICBRIDGE_PROXY_COUNT", default=env.int("AXES_PROXY_COUNT", default=1))

# Log-in guard (accounts/guard.py): failures are counted per account and address pair,
# per account and per address; past each scope's free failures the next attempt waits
# 2, 4, 8 … seconds, up to the cap. The pair decides for an address the account has
# logged in from before, so an attacker elsewhere cannot lock its owner out.
CIVICBRIDGE_LOGIN_FREE_FAILURES = {
    "pair": env.int("CIVICBRIDGE_LOGIN_FREE_FAILURES_PAIR", default=5),
    "account": env.int("CIVICBRIDGE_LOGIN_FREE_FAILURES_ACCOUNT", default=20),
    "address": env.int("CIVICBRIDGE_LOGIN_FREE_FAILURES_ADDRESS", default=50),
}
CIVICBRIDGE_LOGIN_MAX_DELAY = env.int("CIVICBRIDGE_LOGIN_MAX_DELAY", default=15 * 60)
# Failures are forgotten after this long without a new one.
CIVICBRIDGE_LOGIN_FAILURE_MEMORY = env.int("CIVICBRIDGE_LOGIN_FAILURE_MEMORY", default=24 * 3600)
# An address an account logged in from stays "known" to it this long.
CIVICBRIDGE_LOGIN_KNOWN_ADDRESS_DAYS = env.int("CIVICBRIDGE_LOGIN_KNOWN_ADDRESS_DAYS", default=30)
# Log-in attempts per client address, whatever the account: bounds bursts of parallel guesses.
CIVICBRIDGE_LOGIN_RATE = env.str("CIVICBRIDGE_LOGIN_RATE", default="30/minute")
# Sign-ups per client address (a training room behind one address signs up together),
# requests for a new confirmation link per client address, and links per mailbox.
CIVICBRIDGE_SIGN_UP_RATE = env.str("CIVICBRIDGE_SIGN_UP_RATE", default="20/hour")
CIVICBRIDGE_RESEND_RATE = env.str("CIVICBRIDGE_RESEND_RATE", default="5/hour")
CIVICBRIDGE_CONFIRMATION_MAILS_RATE = env.str("CIVICBRIDGE_CONFIRMATION_MAILS_RATE", default="3/hour")

# django-axes keeps the record coordinators read in the admin (attempts, log-ins, each
# failure with its address); the lock-out itself is the guard's, whose per-scope limits
# and growing delays axes cannot express.
AXES_LOCK_OUT_AT_FAILURE = False
AXES_RESET_ON_SUCCESS = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "civicbridge.core.client.client_address"
AXES_USERNAME_CALLABLE = "civicbridge.accounts.guard.recorded_username"
AXES_COOLOFF_TIME = 24

# --- The authority, its languages and time -------------------------------------------
# One authority per deployment (core.deployment): its profile gives the country, languages,
# time zone, currency, registers and brand; each value can be overridden (docs/operators.md).
try:
    CIVICBRIDGE_DEPLOYMENT = deployment.from_environment(env)
except deployment.DeploymentError as error:
    raise ImproperlyConfigured(str(error)) from error
# Every language the platform speaks (stored choices, e.g. a person's e-mail language, do not
# change with a deployment); LANGUAGES are those this deployment offers, its default first.
CIVICBRIDGE_ALL_LANGUAGES = [("en", _("English")), ("pl", _("Polish")), ("tr", _("Turkish"))]
LANGUAGE_CODE = CIVICBRIDGE_DEPLOYMENT.default_language
LANGUAGES = [(code, name) for code in CIVICBRIDGE_DEPLOYMENT.languages for known, name in CIVICBRIDGE_ALL_LANGUAGES if code == known]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["civicbridge.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = CIVICBRIDGE_DEPLOYMENT.time_zone

# --- Static and uploaded files -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
NODE_MODULES = REPO_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/swagger-ui", NODE_MODULES / "swagger-ui-dist"),
]
MEDIA_URL = "/media/"
# S3-compatible storage (django-storages) when FILE_STORAGE names it.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default=None)
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": env.str("FILE_STORAGE", default="django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
CIVICBRIDGE_IMPORT_MAX_BYTES = env.int("CIVICBRIDGE_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
# Bounds on the work of reading an upload, which its size does not bound (core.uploads).
CIVICBRIDGE_IMPORT_MAX_ORGANIZATIONS = env.int("CIVICBRIDGE_IMPORT_MAX_ORGANIZATIONS", default=20_000)
CIVICBRIDGE_IMPORT_MAX_CALLS = env.int("CIVICBRIDGE_IMPORT_MAX_CALLS", default=5_000)
# An XLSX is a zip: the sum of its members' unpacked sizes, checked before anything is unpacked.
CIVICBRIDGE_IMPORT_MAX_UNPACKED_BYTES = env.int("CIVICBRIDGE_IMPORT_MAX_UNPACKED_BYTES", default=64 * 1024 * 1024)
CIVICBRIDGE_IMPORT_MAX_COLUMNS = env.int("CIVICBRIDGE_IMPORT_MAX_COLUMNS", default=200)
# A spreadsheet cell holds at most 32,767 characters; no field of ours is longer.
CIVICBRIDGE_IMPORT_MAX_FIELD_CHARS = env.int("CIVICBRIDGE_IMPORT_MAX_FIELD_CHARS", default=32_767)
# JSON nesting, in imports and in API requests: our documents nest five levels at most.
CIVICBRIDGE_JSON_MAX_DEPTH = env.int("CIVICBRIDGE_JSON_MAX_DEPTH", default=32)

# --- E-mail ------------------------------------------------------------------------
_email = env.email("EMAIL_URL", default="consolemail://")
_mailer_options = {
    "django.core.mail.backends.smtp.EmailBackend": {
        "host": _email.get("EMAIL_HOST"),
        "port": _email.get("EMAIL_PORT"),
        "username": _email.get("EMAIL_HOST_USER") or None,
        "password": _email.get("EMAIL_HOST_PASSWORD") or None,
        "use_tls": _email.get("EMAIL_USE_TLS", False),
        "use_ssl": _email.get("EMAIL_USE_SSL", False),
        "timeout": env.int("EMAIL_TIMEOUT", default=20),
    },
    "django.core.mail.backends.filebased.EmailBackend": {"file_path": _email.get("EMAIL_FILE_PATH")},
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": _mailer_options.get(_email["EMAIL_BACKEND"], {}),
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="civicbridge <no-reply@localhost>")
CIVICBRIDGE_SITE_URL = env.str("CIVICBRIDGE_SITE_URL", default="http://127.0.0.1:8000")
# The outbox (civicbridge.core.notifications): a temporary refusal is retried after the base
# delay, doubling up to an hour, until the attempts run out; a worker holds what it sends for
# the lease, after which another worker takes it over (the fault tests shrink both).
CIVICBRIDGE_MAIL_RETRY_BASE_SECONDS = env.float("CIVICBRIDGE_MAIL_RETRY_BASE_SECONDS", default=60)
CIVICBRIDGE_MAIL_RETRY_MAX_SECONDS = env.float("CIVICBRIDGE_MAIL_RETRY_MAX_SECONDS", default=3600)
CIVICBRIDGE_MAIL_MAX_ATTEMPTS = env.int("CIVICBRIDGE_MAIL_MAX_ATTEMPTS", default=12)
CIVICBRIDGE_MAIL_LEASE_SECONDS = env.float("CIVICBRIDGE_MAIL_LEASE_SECONDS", default=300)
CIVICBRIDGE_MAIL_BATCH_SIZE = env.int("CIVICBRIDGE_MAIL_BATCH_SIZE", default=100)
# Sent and failed e-mails (addresses, texts) are deleted from the outbox after this many days.
CIVICBRIDGE_MAIL_RETENTION_DAYS = env.int("CIVICBRIDGE_MAIL_RETENTION_DAYS", default=90)

# --- Security ----------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
HTTPS = env.bool("CIVICBRIDGE_HTTPS", default=False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # load balancers probe over plain HTTP
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- REST API --------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes missing credentials a 401, not a 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "civicbridge.core.api_pagination.PageNumberPagination",
    "DEFAULT_PARSER_CLASSES": [
        "civicbridge.api.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["civicbridge.core.api_pagination.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "civicbridge.api.exceptions.exception_handler",
    # Counted in core.counters (shared by all processes), per core.client address.
    "DEFAULT_THROTTLE_CLASSES": ["civicbridge.core.throttling.RequestRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="600/minute"),
        "user": env.str("API_USER_RATE", default="1200/minute"),
        "token": env.str("API_TOKEN_RATE", default="10/minute"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "civicbridge API",
    "GET_LIB_DOC_EXCLUDES": "civicbridge.api.schema.doc_excludes",
    "DESCRIPTION": (
        "The REST API of civicbridge: organizations, territories, thematic areas, plenipotentiaries, "
        "funders, calls, partner requests.\n\n"
        "Lists answer {count, next, previous, results}: count is exact, and following next from the "
        "first page reaches the last item (?page= from 1, ?page_size= 1-100). Filters take the codes "
        "people use as well as ids: a territory by its TERYT or other official code (1607), its ISO "
        "3166-2 form (PL-16, where two countries share a code) or a country's ISO code (PL); a funder "
        "by its slug; countries by ISO 3166-1 alpha-2 codes. An unknown filter value is a 400 that "
        "names the parameter and the value."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "/static/vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": "/static/vendor/swagger-ui/favicon-32x32.png",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "civicbridge.api.schema.document_error_responses",
        "civicbridge.api.schema.link_references_to_their_lists",
    ],
    # Several models have a "kind" or a "status": give each choice set its own name.
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "civicbridge.directory.models.Organization.Kind",
        "FunderKindEnum": "civicbridge.funding.models.Funder.Kind",
        "CallStatusEnum": "civicbridge.funding.models.Call.Status",
        "PartnerRequestStatusEnum": "civicbridge.partners.models.PartnerRequest.Status",
        "InterestStatusEnum": "civicbridge.partners.models.ExpressionOfInterest.Status",
        "TerritoryLevelEnum": "civicbridge.core.models.Territory.Level",
        "SupportRequestStatusEnum": "civicbridge.support.models.SupportRequest.Status",
        "SupportRequestTopicEnum": "civicbridge.support.models.SupportRequest.Topic",
        "EventKindEnum": "civicbridge.events.models.Event.Kind",
        "ProjectStatusEnum": "civicbridge.projects.models.Status",
        "RegistrationStatusEnum": "civicbridge.events.models.Registration.Status",
    },
}

# --- Logging -------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# --- civicbridge options -------------------------------------------------------------------
# Covering indexes (Index.include) serve PostgreSQL; SQLite builds them without the extra columns.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
CIVICBRIDGE_PAGE_SIZE = 25
# Guests (no account) may register for events at most this many times an hour per connection.
CIVICBRIDGE_EVENT_GUEST_REGISTRATIONS_PER_HOUR = env.int("CIVICBRIDGE_EVENT_GUEST_REGISTRATIONS_PER_HOUR", default=20)
# The largest document an organization may upload to one of its projects.
CIVICBRIDGE_PROJECT_DOCUMENT_MAX_BYTES = env.int("CIVICBRIDGE_PROJECT_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Consultations (issue 13): the shortest consultation where a body set no minimum for the kind of act (the
# act on public benefit activity sets none: each council's resolution decides), remarks per person and hour,
# and the size of a draft (sections, bytes of an uploaded DOCX/ODT).
CIVICBRIDGE_CONSULTATION_MIN_DAYS = env.int("CIVICBRIDGE_CONSULTATION_MIN_DAYS", default=7)
CIVICBRIDGE_CONSULTATION_REMARKS_PER_HOUR = env.int("CIVICBRIDGE_CONSULTATION_REMARKS_PER_HOUR", default=30)
CIVICBRIDGE_CONSULTATION_MAX_SECTIONS = env.int("CIVICBRIDGE_CONSULTATION_MAX_SECTIONS", default=2000)
CIVICBRIDGE_CONSULTATION_DRAFT_MAX_BYTES = env.int("CIVICBRIDGE_CONSULTATION_DRAFT_MAX_BYTES", default=10 * 1024 * 1024)
# Working groups: posts per member and hour in a group's thread, and the largest document.
CIVICBRIDGE_GROUP_POSTS_PER_HOUR = env.int("CIVICBRIDGE_GROUP_POSTS_PER_HOUR", default=30)
CIVICBRIDGE_GROUP_FILE_MAX_BYTES = env.int("CIVICBRIDGE_GROUP_FILE_MAX_BYTES", default=10 * 1024 * 1024)
# Search documents that copy a renamed name are rewritten this many at a time (core.indexing).
CIVICBRIDGE_REINDEX_BATCH_SIZE = env.int("CIVICBRIDGE_REINDEX_BATCH_SIZE", default=500)
# A repeated identical submission (same person, same content) within this time makes no new object.
CIVICBRIDGE_DUPLICATE_WINDOW_SECONDS = env.int("CIVICBRIDGE_DUPLICATE_WINDOW_SECONDS", default=300)
CIVICBRIDGE_LEMMA_CACHE_DIR = Path(env.str("CIVICBRIDGE_LEMMA_CACHE_DIR", default=str(DATA_DIR / "cache" / "lemmas")))
CIVICBRIDGE_SIGNUP_TOKEN_MAX_AGE = 3 * 24 * 3600
