"""Settings for the clinic site: one file, driven by environment variables.

Development defaults apply only when DJANGO_DEBUG is on; production (the
default) refuses to start without a secret key and allowed hosts. The README
lists every variable.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for development).")
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEBUG else ""
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin with the clinic's site: second factor, password again before exports.
    "clinic.apps.ClinicAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    # Before django_tasks_db, so its `db_worker` (with a heartbeat) replaces the library's.
    "clinic",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks_db",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "education",
    "intake",
]

MIDDLEWARE = [
    "clinic.middleware.cross_origin_resource_policy",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous visitors get the education pages' copy from here, past the middleware below,
    # none of which can change their page (education/page_cache.py).
    "education.page_cache.public_page_copy",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "clinic.staff.sessions.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so it can turn any response to a locked-out sign-in into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic.context_processors.clinic",
            ],
        },
    },
]

WSGI_APPLICATION = "clinic.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A sick database must fail a request within seconds (clinic/outage.py shows the 503 page),
# not hold a worker until gunicorn kills it. Both in seconds; 0 turns a limit off.
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
DATABASE_STATEMENT_TIMEOUT = float(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "5"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a booking write holds the lock; IMMEDIATE
    # takes the write lock at BEGIN so concurrent writers queue instead of
    # failing halfway through a transaction. `timeout` is how long a writer
    # queues for that lock before giving up.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": DATABASE_STATEMENT_TIMEOUT,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = {
        # The whole connection set-up, so a server that accepts and never answers counts.
        "connect_timeout": DATABASE_CONNECT_TIMEOUT,
        # The server cancels a statement (and a wait for a lock) that runs longer.
        "options": f"-c statement_timeout={int(DATABASE_STATEMENT_TIMEOUT * 1000)}",
        # A server that vanished from the network (a failover, a cut link) is given up on
        # once sent data goes unacknowledged this long, instead of after TCP's ~15 minutes.
        "tcp_user_timeout": int(max(DATABASE_CONNECT_TIMEOUT, DATABASE_STATEMENT_TIMEOUT) * 1000),
        **DATABASES["default"].get("OPTIONS", {}),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_from_url(url: str) -> dict:
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            # A Redis that hangs must not hold requests: page copies and the content version
            # fall back to the database (education/content_version.py).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    if url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url in {"", "db://", "database://"}:
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache"}
    raise ImproperlyConfigured(f"CACHE_URL scheme not understood: {url.split(':', 1)[0]}")


# A cache shared by every worker: the database by default, Redis when asked.
CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", ""))}
# Keeps two sites (or a test cluster) that share one Redis apart.
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "")
CACHES["default"]["KEY_PREFIX"] = CACHE_KEY_PREFIX
# How long a copy of a public education page (and of a guide's rendered parts) is kept;
# 0 turns copies off: no version read, no cache traffic (education/page_cache.py).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", str(60 * 60 * 24)))
# The copies shared between workers and hosts: in Redis, where keeping one is one command.
# Without Redis every worker keeps its own in memory only: the database cache spent five
# statements (a cull's COUNT, a transaction, a read, an insert) writing a copy, and reading
# one back cost more than rendering the page from its kept parts (bench/README.md).
CACHES["pages"] = (
    {**CACHES["default"], "KEY_PREFIX": f"{CACHE_KEY_PREFIX}pages", "TIMEOUT": PAGE_CACHE_SECONDS}
    if CACHES["default"]["BACKEND"].endswith("RedisCache")
    else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
)
# Each worker's memory of the copies it served, filed under the content version, so it
# can never serve a page from before an edit.
CACHES["pages_here"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "education-pages",
    "TIMEOUT": PAGE_CACHE_SECONDS,
    "OPTIONS": {"MAX_ENTRIES": 300},
}
# On PostgreSQL each worker learns of edits from a LISTENing connection of its own instead
# of reading the content version on every page (education/version_listener.py). Turn it
# off behind a pooler in transaction mode, which cannot carry LISTEN.
CONTENT_VERSION_LISTEN = env_bool("CONTENT_VERSION_LISTEN", True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/Chicago"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))


def storage_from_url(url: str) -> dict:
    """`s3+http://KEY:SECRET@host:port/bucket` (or s3+https://, or s3://KEY:SECRET@/bucket?
    region=... for AWS itself): the object store; "" keeps uploads on local disk."""
    if not url:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    parts = urlsplit(url)
    if parts.scheme not in {"s3", "s3+http", "s3+https"}:
        raise ImproperlyConfigured(f"MEDIA_STORAGE_URL scheme not understood: {parts.scheme}")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    endpoint = None
    if parts.scheme != "s3":
        endpoint = f"{parts.scheme.removeprefix('s3+')}://{parts.hostname}:{parts.port or 443}"
    return {
        "BACKEND": "clinic.media_storage.MediaStorage",
        "OPTIONS": {
            "bucket_name": parts.path.strip("/"),
            "endpoint_url": endpoint,
            "access_key": unquote(parts.username or ""),
            "secret_key": unquote(parts.password or ""),
            "region_name": query.get("region", "us-east-1"),
        },
    }


# Uploads on local disk (MEDIA_ROOT), or with MEDIA_STORAGE_URL in an S3-compatible store
# every app server shares, still served at /media/ (clinic/media_storage.py).
STORAGES = {
    "default": storage_from_url(os.environ.get("MEDIA_STORAGE_URL", "")),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Hashed names never change content, so browsers may keep them for a year.
WHITENOISE_MAX_AGE = 0 if DEBUG else 31536000

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"


def mailer_from_url(url: str) -> dict:
    """smtp://user:password@host:587?tls=1, console://, locmem:// or dummy://."""
    parts = urlsplit(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
    }
    if parts.scheme in backends:
        return {"BACKEND": backends[parts.scheme]}
    if parts.scheme not in {"smtp", "smtps"}:
        raise ImproperlyConfigured(f"EMAIL_URL scheme not understood: {parts.scheme}")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname or "localhost",
            "port": parts.port or (465 if parts.scheme == "smtps" else 25),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": parts.scheme == "smtps",
            "use_tls": query.get("tls", "0") in {"1", "true"},
            "timeout": 10,
        },
    }


MAILERS = {
    "default": mailer_from_url(
        os.environ.get("EMAIL_URL", "console://" if DEBUG else "smtp://localhost:25")
    )
}
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "Peak Endurance PT <hello@peakendurancept.com>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where new-lead and booking notifications go.
CLINIC_NOTIFY_EMAIL = os.environ.get("CLINIC_NOTIFY_EMAIL", "frontdesk@peakendurancept.com")
# Inside this many hours before an appointment, patients must phone to cancel or move it.
BOOKING_LATE_CANCEL_HOURS = int(os.environ.get("BOOKING_LATE_CANCEL_HOURS", "24"))
# The before-visit form's private link works until the visit ends plus this many hours.
PREVISIT_LINK_GRACE_HOURS = int(os.environ.get("PREVISIT_LINK_GRACE_HOURS", "72"))
# A patient whose before-visit form is not done gets one reminder this long before the visit.
PREVISIT_REMINDER_HOURS = int(os.environ.get("PREVISIT_REMINDER_HOURS", "48"))
# The "How are you doing?" form goes with every Nth follow-up visit (1: every one).
FOLLOW_UP_MEASURES_EVERY = max(1, int(os.environ.get("FOLLOW_UP_MEASURES_EVERY", "1")))
# The waitlist (intake/waitlist.py). A freed time is offered this many seconds after the
# cancel, so a cancel undone within it sends nothing.
WAITLIST_UNDO_SECONDS = int(os.environ.get("WAITLIST_UNDO_SECONDS", "300"))
# How many waiting patients each round of offers goes to.
WAITLIST_ROUND_SIZE = max(1, int(os.environ.get("WAITLIST_ROUND_SIZE", "3")))
# How long each offer holds its claim before the next round is offered.
WAITLIST_HOLD_MINUTES = max(1, int(os.environ.get("WAITLIST_HOLD_MINUTES", "15")))
# No offers are sent from this clinic-time hour until the morning hour below.
WAITLIST_QUIET_FROM_HOUR = int(os.environ.get("WAITLIST_QUIET_FROM_HOUR", "21"))
WAITLIST_QUIET_UNTIL_HOUR = int(os.environ.get("WAITLIST_QUIET_UNTIL_HOUR", "8"))
# When new hours open (a closure or time off removed or shortened, longer weekly hours),
# at most this many of the newly free times are offered per change.
WAITLIST_NEW_HOURS_TIMES = max(0, int(os.environ.get("WAITLIST_NEW_HOURS_TIMES", "6")))
# Absolute address used in emails and printed handouts.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Contact form limits: requests per client per window, and the fewest seconds
# a person takes to fill the form (faster is a bot).
CONTACT_RATE_LIMIT = int(os.environ.get("CONTACT_RATE_LIMIT", "5"))
CONTACT_RATE_WINDOW = int(os.environ.get("CONTACT_RATE_WINDOW", "3600"))
CONTACT_MIN_FILL_SECONDS = int(os.environ.get("CONTACT_MIN_FILL_SECONDS", "3"))
# A guide or protocol not clinically reviewed for this many months is flagged as due.
CONTENT_REVIEW_MONTHS = int(os.environ.get("CONTENT_REVIEW_MONTHS", "12"))
# The largest exercise video staff may upload: a minute at 720p fits in well under this.
EXERCISE_VIDEO_MAX_MB = int(os.environ.get("EXERCISE_VIDEO_MAX_MB", "40"))
# Online booking limits, so a script cannot fill a clinician's week: bookings one client
# may make per window, and upcoming visits one email address or one phone number may hold.
BOOKING_RATE_LIMIT = int(os.environ.get("BOOKING_RATE_LIMIT", "5"))
BOOKING_RATE_WINDOW = int(os.environ.get("BOOKING_RATE_WINDOW", "3600"))
BOOKING_MAX_UPCOMING_PER_EMAIL = int(os.environ.get("BOOKING_MAX_UPCOMING_PER_EMAIL", "3"))
BOOKING_MAX_UPCOMING_PER_PHONE = int(os.environ.get("BOOKING_MAX_UPCOMING_PER_PHONE", "3"))
# `manage.py purge_leads` anonymises closed leads untouched for this many days.
LEAD_RETENTION_DAYS = int(os.environ.get("LEAD_RETENTION_DAYS", "365"))

# Seconds before the 2nd, 3rd, ... attempt to send an email: six tries over about an hour
# and a half by default. The front desk sees a failed email from its first failure.
EMAIL_RETRY_DELAYS = [
    int(seconds) for seconds in env_list("EMAIL_RETRY_DELAYS", "30,120,600,1800,3600")
]

# How many app servers run this site (deploy/cluster.env says 2): with more than one,
# `check --deploy` refuses anything kept per process or per disk (clinic/checks.py).
APP_SERVERS = int(os.environ.get("APP_SERVERS", "1"))

# A task whose worker has written no heartbeat for this long goes back to the queue, for
# another worker to run (clinic/stale_tasks.py); workers beat every third of it.
TASK_WORKER_STALE_SECONDS = int(os.environ.get("TASK_WORKER_STALE_SECONDS", "60"))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Security: the same policy in development and production, so a page that
# breaks the CSP breaks on a developer's machine first.
# Nothing is allowed unless named: our own scripts (the self-check's, the admin's with
# their nonce), our own stylesheets, our own images and the data: images Bootstrap's CSS
# draws form controls with, our own exercise videos and their captions, and forms that
# post back to us. No fonts, no frames. Fetches only to ourselves: Lighthouse reads
# robots.txt from inside the page, and `default-src 'none'` alone scored every page SEO 92
# (GoogleChrome/lighthouse#4386); no script of ours fetches anything.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "media-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# Other sites may not embed our pages, scripts or images (clinic/middleware.py).
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF cookie: every form carries the token in a hidden field.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # Load balancers probe over plain HTTP inside the network and count a redirect as down.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Only consents to preloading; nothing happens until someone submits the domain at
    # hstspreload.org. On by default so `check --deploy` has nothing to report.
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
if env_bool("DJANGO_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind a proxy that appends the client's address to X-Forwarded-For: rate
# limits then count that address instead of the proxy's.
TRUST_X_FORWARDED_FOR = env_bool("DJANGO_TRUST_X_FORWARDED_FOR", False)

LOGIN_URL = "admin:login"

# Staff sign-in (clinic/staff/). Staff read health data, so: a lockout after repeated
# wrong passwords, a second factor, sessions that end when idle or when the browser closes.
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account or address is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Counted in the database, so every worker sees every failure. An account is locked
# after STAFF_LOGIN_FAILURE_LIMIT wrong passwords (from anywhere), an address after
# STAFF_ADDRESS_FAILURE_LIMIT (over any accounts): higher, as staff share the office's.
AXES_HANDLER = "clinic.staff.lockout.AccountOrAddressHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # this order: the handler relies on it
AXES_FAILURE_LIMIT = int(os.environ.get("STAFF_LOGIN_FAILURE_LIMIT", "5"))
STAFF_ADDRESS_FAILURE_LIMIT = int(os.environ.get("STAFF_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("STAFF_LOCKOUT_MINUTES", "60")))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "clinic.staff.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "clinic.staff.lockout.locked_out"
# The admin's own "Access attempts" list is where an administrator unlocks someone.
AXES_ENABLE_ADMIN = True
# The name authenticator apps show next to the code.
OTP_TOTP_ISSUER = "Peak Endurance PT"
# A staff session ends after this many minutes without a request (clinic/staff/sessions.py),
# and when the browser closes: the session cookie carries no expiry date.
STAFF_IDLE_MINUTES = int(os.environ.get("STAFF_IDLE_MINUTES", "30"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Exporting leads asks for the password again when it was last typed longer ago than this.
STAFF_REAUTH_MINUTES = int(os.environ.get("STAFF_REAUTH_MINUTES", "15"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Request bodies can hold health details; never log them.
        "django.request": {"level": "ERROR"},
    },
}

# The clinic itself, shown on every page and in structured data.
CLINIC = {
    "name": "Peak Endurance Performance & Physical Therapy",
    "short_name": "Peak Endurance PT",
    "phone_display": "(608) 218-4215",
    "phone_e164": "+16082184215",
    "city": "Madison",
    "region": "WI",
    "country": "US",
}
