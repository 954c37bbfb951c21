"""Django settings. Every value comes from the environment (see README, "Configuration")."""

from pathlib import Path

import dj_database_url

from ledgerdesk import env

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = env.path("LEDGERDESK_DATA_DIR", Path.cwd() / "var")
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env.secret("LEDGERDESK_SECRET_KEY", DATA_DIR / "secret_key")
DEBUG = env.boolean("LEDGERDESK_DEBUG", False)
ALLOWED_HOSTS = env.csv_list("LEDGERDESK_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.csv_list("LEDGERDESK_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env.string("LEDGERDESK_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "huey.contrib.djhuey",
    "ledgerdesk.core",
    "ledgerdesk.parties",
    "ledgerdesk.ledger",
    "ledgerdesk.desk",
    "ledgerdesk.mail",
    "ledgerdesk.portal",
    "ledgerdesk.receivables",
    "ledgerdesk.creditcontrol",
    "ledgerdesk.surveys",
    "ledgerdesk.insights",
    "ledgerdesk.payables",
    "ledgerdesk.watch",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ledgerdesk.core.middleware.AuditActorMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ledgerdesk.urls"
WSGI_APPLICATION = "ledgerdesk.wsgi.application"

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
                "ledgerdesk.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# SQLite (WAL) is the embedded default; DATABASE_URL=postgres://... selects
# PostgreSQL. WAL lets the web server read while the task worker writes, and
# IMMEDIATE transactions make a writer wait for the lock at BEGIN instead of
# failing half-way with "database is locked".
DATABASES = {
    "default": dj_database_url.parse(
        env.string("DATABASE_URL", f"sqlite:///{DATA_DIR / 'ledgerdesk.sqlite3'}"),
        conn_max_age=env.integer("LEDGERDESK_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ---------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login attempts are limited per user name and address: five failures lock
# that pair for 15 minutes.
AXES_FAILURE_LIMIT = env.integer("LEDGERDESK_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env.integer("LEDGERDESK_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.boolean("LEDGERDESK_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = env.string("LEDGERDESK_TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True  # stored in UTC, shown in the viewer's time zone

# --- Static files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves the app's own files from the finders when collectstatic
# has not been run, which is what the embedded `ledgerdesk run` relies on.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail -----------------------------------------------------------------
EMAIL_HOST = env.string("LEDGERDESK_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env.integer("LEDGERDESK_EMAIL_PORT", 1025)
EMAIL_HOST_USER = env.string("LEDGERDESK_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env.string("LEDGERDESK_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env.boolean("LEDGERDESK_EMAIL_USE_TLS", False)
# Acknowledgements are sent while mail is ingested: a hanging SMTP server must not
# stall the listener or the IMAP pass for long.
EMAIL_TIMEOUT = env.integer("LEDGERDESK_EMAIL_TIMEOUT", 30)
EMAIL_BACKEND = env.string(
    "LEDGERDESK_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = DATA_DIR / "outbox"
DEFAULT_FROM_EMAIL = env.string("LEDGERDESK_FROM_EMAIL", "LedgerDesk <desk@ledgerdesk.local>")

# -- Inbound mail: the IMAP poller (mail/imap.py) and the SMTP listener (mail/smtp.py) --
# The poller runs every minute in the task worker, and only when an IMAP host is set.
LEDGERDESK_IMAP_HOST = env.string("LEDGERDESK_IMAP_HOST", "")
LEDGERDESK_IMAP_PORT = env.integer("LEDGERDESK_IMAP_PORT", 0)  # 0: 993 with SSL, else 143
LEDGERDESK_IMAP_USER = env.string("LEDGERDESK_IMAP_USER", "")
LEDGERDESK_IMAP_PASSWORD = env.string("LEDGERDESK_IMAP_PASSWORD", "")
LEDGERDESK_IMAP_SSL = env.boolean("LEDGERDESK_IMAP_SSL", True)
LEDGERDESK_IMAP_FOLDER = env.string("LEDGERDESK_IMAP_FOLDER", "INBOX")
# Where a processed message is moved; empty leaves it in the folder, marked \Seen.
LEDGERDESK_IMAP_PROCESSED_FOLDER = env.string("LEDGERDESK_IMAP_PROCESSED_FOLDER", "")
# The listener accepts mail for every team's address, plus these addresses or "@domain"s;
# anything else gets 550, so it can never be used as an open relay.
LEDGERDESK_SMTP_HOST = env.string("LEDGERDESK_SMTP_HOST", "127.0.0.1")
LEDGERDESK_SMTP_PORT = env.integer("LEDGERDESK_SMTP_PORT", 2525)
LEDGERDESK_SMTP_RECIPIENTS = env.csv_list("LEDGERDESK_SMTP_RECIPIENTS", [])
LEDGERDESK_SMTP_MAX_BYTES = env.integer("LEDGERDESK_SMTP_MAX_MB", 25) * 1024 * 1024

# --- Background tasks ---------------------------------------------------------
# Huey with its embedded SQLite storage; LEDGERDESK_HUEY_IMMEDIATE=1 runs tasks
# in-process (the test suite does this so that a test sees a task's effect).
HUEY = {
    "huey_class": "huey.SqliteHuey",
    "name": "ledgerdesk",
    "filename": str(DATA_DIR / "huey.sqlite3"),
    "immediate": env.boolean("LEDGERDESK_HUEY_IMMEDIATE", False),
    "consumer": {"workers": env.integer("LEDGERDESK_WORKERS", 2), "worker_type": "thread"},
}

# --- Ledger -----------------------------------------------------------------
# Our own organisation, for documents where we are the buyer (AP) or seller (AR).
LEDGERDESK_HOME_CURRENCY = env.string("LEDGERDESK_HOME_CURRENCY", "EUR")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.string("LEDGERDESK_LOG_LEVEL", "WARNING")},
}
