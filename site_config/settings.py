"""Settings for the magazine, read from the environment.

Every value that differs between a laptop and production comes from an environment
variable; the README lists them. DEBUG is off unless DJANGO_DEBUG asks for it, and with
DEBUG off a missing secret stops start-up with a message that says what to set.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def cache_from_url(url: str) -> dict:
    """Translate CACHE_URL (locmem://, redis://host:6379/0, dummy://) into a CACHES entry."""
    scheme = urlsplit(url).scheme
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "forum"}
    if scheme in {"redis", "rediss"}:
        # Django's Redis backend (hiredis parses replies), forgiving a Redis that is away: a
        # refused or slow connection is a cache miss after at most half a second, not an error.
        return {
            "BACKEND": "forum.core.cache.ForgivingRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL must start with locmem://, redis:// or dummy://: {url}")


def mailer_from_url(url: str) -> dict:
    """Translate EMAIL_URL (smtp://, smtp+tls://, smtp+ssl://, file:///path, console://,
    locmem://) into a MAILERS entry."""
    parts = urlsplit(url)
    backends = "django.core.mail.backends"
    if parts.scheme in {"console", "locmem"}:
        return {"BACKEND": f"{backends}.{parts.scheme}.EmailBackend"}
    if parts.scheme == "file":
        return {
            "BACKEND": f"{backends}.filebased.EmailBackend",
            "OPTIONS": {"file_path": unquote(parts.path) or str(VAR_DIR / "mail")},
        }
    if parts.scheme in {"smtp", "smtp+tls", "smtp+ssl"}:
        use_ssl = parts.scheme == "smtp+ssl"
        use_tls = parts.scheme == "smtp+tls" or "tls" in parse_qs(
            parts.query, keep_blank_values=True
        )
        return {
            "BACKEND": f"{backends}.smtp.EmailBackend",
            "OPTIONS": {
                "host": parts.hostname or "localhost",
                "port": parts.port or (465 if use_ssl else 587 if use_tls else 25),
                "username": unquote(parts.username or ""),
                "password": unquote(parts.password or ""),
                "use_tls": use_tls,
                "use_ssl": use_ssl,
            },
        }
    raise ImproperlyConfigured(f"EMAIL_URL has an unknown scheme: {url}")


DEBUG = env_bool("DJANGO_DEBUG")

# Production secrets that are missing. They stop the servers (wsgi.py, asgi.py) and every
# command that runs the system checks (forum.core.checks), not commands that need no secret,
# such as makemigrations.
MISSING_SETTINGS: list[str] = []

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-only-used-when-DJANGO_DEBUG-is-on"  # noqa: S105
elif not SECRET_KEY:
    MISSING_SETTINGS.append("DJANGO_SECRET_KEY (a long random string)")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# How many proxies (load balancers) in front of the app servers add to X-Forwarded-For; the
# moderation rules then take the reader's address from that header. 0: no proxy, use the peer.
PROXY_HOPS = env_int("DJANGO_PROXY_HOPS", 0)
# Days a stored network address is kept before `forget_old_ip_addresses` clears it.
IP_RETENTION_DAYS = env_int("DJANGO_IP_RETENTION_DAYS", 90)
SITE_NAME = env_str("SITE_NAME", "Frame & Grain")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_tasks_db",
    "forum.core",
    "forum.members",
    "forum.site_settings",
    "forum.articles",
    "forum.comments",
    "forum.newsletter",
    "forum.donations",
    "forum.notifications",
    "forum.privacy",
    "forum.pages",
    "forum.wordpress",
    "forum.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages gzipped (an article page with 1,000 comments: 376 kB rendered, 22 kB sent). Below
    # WhiteNoise, which answers static files itself (precompressed .gz/.br where that pays)
    # and so never reaches this: no image compressed on the fly, nothing compressed twice.
    # Above every middleware that reads or writes the body; responses that already carry
    # Content-Encoding are left alone. BREACH: Django 6.1's GZipMiddleware
    # (django/middleware/gzip.py, max_random_bytes = 100) puts a random-length file name in
    # each gzip header ("Heal the Breach", since Django 4.2), and the CSRF token is masked
    # afresh in every response.
    # Only text is compressed (forum.core.middleware): uploads that Django serves itself
    # (SERVE_MEDIA) pass untouched; behind a web server they never reach Django.
    "forum.core.middleware.TextGZipMiddleware",
    "forum.site_settings.middleware.settings_read_once_per_request",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Old WordPress addresses (after an import) redirect to their new pages: looked up only
    # for what this site answers 404, and for the home page with ?p=.
    "forum.wordpress.redirects.OldWordPressLinksMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "forum.members.middleware.staff_two_factor_required",
]

ROOT_URLCONF = "site_config.urls"
WSGI_APPLICATION = "site_config.wsgi.application"

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
                "django.template.context_processors.csp",
                "forum.core.context_processors.site",
                "forum.comments.context_processors.moderation_queue",
            ],
        },
    },
]

# Databases: SQLite in var/ unless DATABASE_URL names another. SQLite runs in WAL mode with
# a busy timeout and IMMEDIATE transactions, so concurrent writers wait instead of failing.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
        ),
    }
    # The test database is a file too: concurrent tests then meet SQLite's real locking
    # (writers wait), not the shared in-memory database's "table is locked" errors.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": cache_from_url(env_str("CACHE_URL", "locmem://"))}

# Sessions in the database (db, the default), in the cache alone (cache: needs CACHE_URL=redis://
# shared by every app server; a Redis restart signs everyone out), or in both (cached_db: read
# from the cache, written through to the database).
SESSION_STORES = {"db", "cache", "cached_db"}
SESSION_STORE = env_str("DJANGO_SESSION_ENGINE", "db")
if SESSION_STORE not in SESSION_STORES:
    raise ImproperlyConfigured(
        f"DJANGO_SESSION_ENGINE must be one of {', '.join(sorted(SESSION_STORES))}: {SESSION_STORE}"
    )
SESSION_ENGINE = f"django.contrib.sessions.backends.{SESSION_STORE}"

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"

# django-allauth: members sign up with their email address and must confirm it.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "forum.members.forms.SignupForm"  # asks for a display name
ACCOUNT_USER_DISPLAY = "forum.members.adapter.user_display"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_ADAPTER = "forum.members.adapter.AccountAdapter"
# allauth's forms as the magazine words them: sentence-case labels with no colon after them.
ACCOUNT_FORMS = {
    "login": "forum.members.account_forms.LoginForm",
    "signup": "forum.members.account_forms.SignupForm",
    "reset_password": "forum.members.account_forms.ResetPasswordForm",
    "reset_password_from_key": "forum.members.account_forms.ResetPasswordKeyForm",
    "change_password": "forum.members.account_forms.ChangePasswordForm",
    "set_password": "forum.members.account_forms.SetPasswordForm",
    "add_email": "forum.members.account_forms.AddEmailForm",
    "reauthenticate": "forum.members.account_forms.ReauthenticateForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = urlsplit(SITE_URL).scheme  # links in mail follow SITE_URL
# Failed sign-ins, on the site and in the admin alike (staff sign in through allauth): 10 a
# minute from one address, 5 for one account in 5 minutes; after that even the right password
# is refused until the window passes. Counted in the cache (CACHE_URL), shared by every worker
# only when that is Redis. allauth's defaults for the rest.
ACCOUNT_RATE_LIMITS = {"login": "30/m/ip", "login_failed": "10/m/ip,5/5m/key"}
# Two-factor authentication with an authenticator app and one-time recovery codes; no security
# keys (their browser script would need its own CSP review). Offered on the profile page to
# staff and moderators, who can change what readers see; required of staff before any admin page
# when DJANGO_MFA_REQUIRED_FOR_STAFF is on (forum.members.middleware).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_FORMS = {
    "authenticate": "forum.members.mfa_forms.AuthenticateForm",
    "reauthenticate": "forum.members.mfa_forms.ReauthenticateForm",
    "activate_totp": "forum.members.mfa_forms.ActivateTOTPForm",
}
MFA_REQUIRED_FOR_STAFF = env_bool("DJANGO_MFA_REQUIRED_FOR_STAFF", False)
# Members see where they are signed in and can sign out everywhere else. Each session is
# recorded when it signs in; tracking "last seen" would cost every signed-in page a read and a
# transaction (pages keep a fixed query count), so it is off.
USERSESSIONS_TRACK_ACTIVITY = False


def social_providers(names: list[str], environ=os.environ) -> dict:
    """SOCIALACCOUNT_PROVIDERS for the providers named in DJANGO_SOCIAL_PROVIDERS, each with
    <NAME>_CLIENT_ID and <NAME>_SECRET from the environment; a provider without both is a
    configuration mistake that should stop the site, not a button that fails when pressed."""
    providers = {}
    for name in names:
        key = name.strip().lower()
        client_id = environ.get(f"{key.upper()}_CLIENT_ID", "")
        secret = environ.get(f"{key.upper()}_SECRET", "")
        if not client_id or not secret:
            raise ImproperlyConfigured(
                f"DJANGO_SOCIAL_PROVIDERS names {key}: set {key.upper()}_CLIENT_ID and "
                f"{key.upper()}_SECRET."
            )
        providers[key] = {"APPS": [{"client_id": client_id, "secret": secret}]}
    return providers


# Sign-in with other sites, off unless DJANGO_SOCIAL_PROVIDERS names some ("github,google"):
# with none, nothing of allauth.socialaccount is installed, migrated or shown.
SOCIALACCOUNT_PROVIDERS = social_providers(env_list("DJANGO_SOCIAL_PROVIDERS"))
if SOCIALACCOUNT_PROVIDERS:
    INSTALLED_APPS += ["allauth.socialaccount"] + [
        f"allauth.socialaccount.providers.{name}" for name in SOCIALACCOUNT_PROVIDERS
    ]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploaded images are served by Django itself on one machine; behind a web server or CDN,
# set DJANGO_SERVE_MEDIA=0 and serve MEDIA_ROOT from there.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email: files in var/mail/ while developing; EMAIL_URL (smtp+tls://user:pass@host:587) else.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Frame & Grain <editors@frameandgrain.test>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
_email_url = env_str("EMAIL_URL", f"file://{VAR_DIR / 'mail'}" if DEBUG else "")
MAILERS = {"default": mailer_from_url(_email_url or "smtp://localhost")}
if not _email_url:
    MISSING_SETTINGS.append("EMAIL_URL (for example smtp+tls://user:pass@host:587)")

# Tasks: mail is always sent from a task. The immediate backend runs it at once (development
# and tests); TASKS_BACKEND=database queues it for `manage.py db_worker` in production.
if env_str("TASKS_BACKEND", "immediate") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# Newsletter sending (forum/newsletter/sending.py): messages per SMTP connection, the most
# messages a second (0: as fast as the mail server takes them), soft bounces before an address
# stops receiving, the secret that signs bounce webhooks, and the mailto: in List-Unsubscribe.
NEWSLETTER_BATCH_SIZE = env_int("NEWSLETTER_BATCH_SIZE", 200)
NEWSLETTER_RATE = env_int("NEWSLETTER_RATE", 0)
NEWSLETTER_SOFT_BOUNCE_LIMIT = env_int("NEWSLETTER_SOFT_BOUNCE_LIMIT", 3)
NEWSLETTER_WEBHOOK_SECRET = env_str("NEWSLETTER_WEBHOOK_SECRET")
NEWSLETTER_UNSUBSCRIBE_MAILTO = env_str(
    "NEWSLETTER_UNSUBSCRIBE_MAILTO",
    "unsubscribe@" + DEFAULT_FROM_EMAIL.rstrip(">").rpartition("@")[2],
)
# The From of newsletter issues, apart from the site's other mail so that bulk mail can go out
# under an address (and a reputation) of its own; replies reach whoever reads that mailbox.
NEWSLETTER_FROM_EMAIL = env_str("NEWSLETTER_FROM_EMAIL", DEFAULT_FROM_EMAIL)

# Donations (forum/donations): the provider (dev: an offline stand-in checkout; stripe), the
# currencies offered (the first is the default and the monthly goal's), and the smallest and
# largest gift in minor units (pence, cents). The dev provider moves no money, so with DEBUG
# off it is refused (a system check) unless DONATIONS_ALLOW_DEV_PROVIDER says it is meant.
DONATIONS_PROVIDER = env_str("DONATIONS_PROVIDER", "dev")
DONATIONS_ALLOW_DEV_PROVIDER = env_bool("DONATIONS_ALLOW_DEV_PROVIDER", False)
DONATIONS_CURRENCIES = [code.upper() for code in env_list("DONATIONS_CURRENCIES", "GBP")]
DONATIONS_MIN_AMOUNT = env_int("DONATIONS_MIN_AMOUNT", 100)
DONATIONS_MAX_AMOUNT = env_int("DONATIONS_MAX_AMOUNT", 100_000)
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET")

# Security. Content Security Policy: our own origin only, no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if DONATIONS_PROVIDER == "stripe":
    # The Support page's form and the manage page's button answer with a redirect to Stripe's
    # checkout or portal, and browsers hold a form's redirects to form-action too.
    SECURE_CSP["form-action"] += ["https://checkout.stripe.com", "https://billing.stripe.com"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the proxy and monitors ask app servers directly
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}
