"""Settings: every one an environment variable with a safe default for the demo.

`ceasefire check` says what a production deployment still lacks.
"""

import os
import re
import secrets
from datetime import timedelta
from ipaddress import ip_network
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("CEASEFIRE_DATA_DIR", "ceasefire-data")).resolve()


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = _secret_key()
DEBUG = _flag("DEBUG", False)
# Demo mode puts an "exercise" banner on every page: nothing made up may pass for real.
DEMO = _flag("CEASEFIRE_DEMO", False)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # its Swagger UI from the package's own static files, not a CDN
    "leaflet",  # the map's Leaflet, from django-leaflet's static files, not a CDN
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ceasefire.record",
    "ceasefire.mechanism",
    "ceasefire.agreements",
    "ceasefire.incidents",
    "ceasefire.places",
    "ceasefire.needs",
    "ceasefire.sitrep",
    "ceasefire.zones",
    "ceasefire.forces",
    "ceasefire.translations",
    "ceasefire.publications",
    "ceasefire.routes",
    "ceasefire.exchanges",
    "ceasefire.missing",
    "ceasefire.mines",
    "ceasefire.api",
    "ceasefire.web",
    "ceasefire.cli",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ceasefire.web.middleware.ContentSecurityPolicy",  # outermost but one: on every HTML answer, refusals included
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "ceasefire.web.middleware.RefuseOversizedBodies",  # in the reader's language, before anything reads the body
    "ceasefire.web.middleware.RefuseUnreadableForms",  # before the CSRF check reads the form
    "ceasefire.web.middleware.DisplayTimeZone",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Right after the login is known: a session that still owes its second factor is nobody's.
    "ceasefire.web.two_factor.SecondFactor",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ceasefire.urls"
WSGI_APPLICATION = "ceasefire.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ceasefire.web.context.site",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        db = dj_database_url.parse(url, conn_max_age=60)
    else:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        db = dj_database_url.parse(f"sqlite:///{DATA_DIR / 'ceasefire.sqlite3'}")
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db["CONN_MAX_AGE"] = 0
        db["OPTIONS"] = {
            # IMMEDIATE: a writing transaction takes the write lock when it begins, so two
            # appends never both read the same head of the record.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    db["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME")} if os.environ.get("TEST_DATABASE_NAME") else {}
    return db


DATABASES = {"default": _database()}

# The committee's log key signs the checkpoints. Generated on first use (mode 0600) when the file
# is missing; its name is the checkpoint origin, which witnesses and verifiers pin.
LOG_KEY_FILE = Path(os.environ.get("CEASEFIRE_LOG_KEY_FILE") or DATA_DIR / "log.key")
LOG_ORIGIN = os.environ.get("CEASEFIRE_LOG_ORIGIN", "ceasefire.local/record")
# A checkpoint is signed when this many events are unsigned, or when any are and the last
# checkpoint is this old (checked at each append and each read of the checkpoint), and on demand.
CHECKPOINT_EVERY_EVENTS = int(os.environ.get("CEASEFIRE_CHECKPOINT_EVERY_EVENTS", "100"))
CHECKPOINT_EVERY_SECONDS = int(os.environ.get("CEASEFIRE_CHECKPOINT_EVERY_SECONDS", "60"))
# Evidence files: kept by their SHA-256 in this folder, which nothing serves directly; each at
# most this many bytes (a larger upload is refused with 413).
EVIDENCE_DIR = Path(os.environ.get("CEASEFIRE_EVIDENCE_DIR") or DATA_DIR / "evidence")
EVIDENCE_MAX_BYTES = int(os.environ.get("CEASEFIRE_EVIDENCE_MAX_BYTES", str(25 * 1024 * 1024)))
# A dataset uploaded to import through the API or the page (`ceasefire import` reads any size): at
# most this many bytes, some 20,000 ACLED rows, filed within the request. Keep it under the above.
IMPORT_MAX_BYTES = int(os.environ.get("CEASEFIRE_IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
# A report is "near the border" with a neighbour when it lies within this many km of Libya's land
# border with it (routes.queries.near_land_border): 50 km by default, about a day's patrol.
BORDER_KM = float(os.environ.get("CEASEFIRE_BORDER_KM", "50"))
# A cosignature whose timestamp is further ahead of the server's clock than this is refused.
COSIGNATURE_MAX_SKEW_SECONDS = 600
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins (web/lockout.py): from the fifth failure of one account from one origin (an
# IPv4 address, an IPv6 /64), each makes it wait 1 s, 2 s, 4 s ... at most LOGIN_BACKOFF_MAX;
# from the 20th failure of the account from anywhere, each makes it wait too, doubling every
# second failure. Failures are forgotten a day after the last one (AXES_COOLOFF_TIME) or at the
# next successful sign-in from the same origin. A device that signed in before (a signed cookie
# naming the account, kept LOGIN_DEVICE_AGE) waits only for its own failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("CEASEFIRE_LOGIN_ACCOUNT_FAILURE_LIMIT", "20"))
LOGIN_BACKOFF_MAX = timedelta(seconds=int(os.environ.get("CEASEFIRE_LOGIN_BACKOFF_MAX_SECONDS", "300")))
LOGIN_DEVICE_COOKIE = "ceasefire_device"
LOGIN_DEVICE_AGE = timedelta(days=90)
AXES_COOLOFF_TIME = timedelta(days=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # knocking while waiting does not prolong the wait
AXES_HANDLER = "ceasefire.web.lockout.BackOff"
AXES_LOCKOUT_CALLABLE = "ceasefire.web.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "ceasefire.web.lockout.client_address"
# Two-factor sign-in (mechanism/second_factor.py, web/two_factor.py). A wrong code counts as a
# failed sign-in in the back-off above, the one rule for every failure; django-otp's own throttle is
# off, as its wait doubles without limit: someone who knows the password could keep the owner's
# own app refused for days.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0


def _totp_issuer(device):
    from ceasefire.mechanism.second_factor import issuer

    return issuer(device)


OTP_TOTP_ISSUER = _totp_issuer
AXES_SENSITIVE_PARAMETERS = ["code", "recovery"]  # never written into axes' tables
# How long a right password waits for its second factor before it must be given again.
SIGN_IN_PENDING_AGE = timedelta(minutes=10)
# Behind a reverse proxy: its address(es), so that the client's address is read from the
# X-Forwarded-For it sets (and from nowhere else). Unset, every sign-in through the proxy would
# come from the proxy's address.
try:
    TRUSTED_PROXIES = tuple(
        ip_network(p, strict=False) for p in os.environ.get("CEASEFIRE_TRUSTED_PROXIES", "").replace(",", " ").split()
    )
except ValueError as e:
    raise ImproperlyConfigured(f"CEASEFIRE_TRUSTED_PROXIES: {e}") from None


def _rate(name: str, default: str) -> str | None:
    """An API rate limit: so many requests per period ("120/min"; s, min, hour or day), or "off"."""
    value = os.environ.get(name, default).strip().lower()
    if value in ("off", "none", ""):
        return None
    if not re.fullmatch(r"[0-9]+/[0-9]*(s|sec|m|min|h|hour|d|day)", value):
        raise ImproperlyConfigured(f"{name}: {value!r} is no rate: give requests per period, e.g. 120/min, or off")
    return value


# The API's rate limits (api/throttling.py, django-ninja's throttles): per client address for calls
# without credentials, per token (or signed-in account) for the others. A witness's round takes a few
# dozen calls; a script that loops without end is held. The counts are kept in DATA_DIR/throttle,
# shared by the server's processes on this machine (each machine counts its own).
NINJA_DEFAULT_THROTTLE_RATES = {
    "anon": _rate("CEASEFIRE_API_RATE_ANONYMOUS", "120/min"),
    "auth": _rate("CEASEFIRE_API_RATE_AUTHENTICATED", "1200/min"),
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "throttle"),
        "OPTIONS": {"MAX_ENTRIES": 1000},  # callers seen in the last period; beyond, some are forgotten
    },
}

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
# Times are stored in UTC and shown in the committee's zone.
DISPLAY_TIME_ZONE = os.environ.get("DISPLAY_TIME_ZONE", "Africa/Tripoli")

STATIC_URL = "static/"
# Served from the packages' own static folders: no collectstatic step, no CDN. A deployment
# that wants collectstatic sets STATIC_ROOT.
STATIC_ROOT = os.environ.get("STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _flag("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
# On every HTML answer (web/middleware.py): scripts, styles and images from this server only (and
# data: images, which Swagger UI's stylesheet draws its icons with), nothing inline (no <script>,
# style="" or onclick= in any template: tests/test_content_security_policy.py walks every page),
# no plugins, no <base>, never in a frame (as X_FRAME_OPTIONS), forms posted only to this server.
# The map's base: drawn offline from the shipped outline, districts and places unless a tile server
# is set, e.g. CEASEFIRE_MAP_TILES=https://tiles.example.org/{z}/{x}/{y}.png (its attribution in
# CEASEFIRE_MAP_TILES_ATTRIBUTION). None by default: no request leaves the server's own origin.
MAP_TILES = os.environ.get("CEASEFIRE_MAP_TILES", "").strip()
MAP_TILES_ATTRIBUTION = os.environ.get("CEASEFIRE_MAP_TILES_ATTRIBUTION", "").strip()
_TILE_ORIGIN = "/".join(MAP_TILES.split("/")[:3]) if MAP_TILES.startswith("https://") else ""
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    f"img-src 'self' data:{' ' + _TILE_ORIGIN if _TILE_ORIGIN else ''}; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
# Behind a reverse proxy that terminates TLS: the header it sets to "https", e.g. X-Forwarded-Proto.
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + os.environ["SECURE_PROXY_SSL_HEADER"].strip().upper().replace("-", "_"),
        "https",
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50

# Mail that tells people what needs them (`ceasefire notify send`, needs/notify.py). SMTP settings
# from the environment; the demo prints mail to the console instead of sending it.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEMO else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _flag("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _flag("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ceasefire@localhost")
EMAIL_SUBJECT_PREFIX = os.environ.get("EMAIL_SUBJECT_PREFIX", "[ceasefire] ")
# The site's address as people reach it: the links in mail start with it.
CEASEFIRE_SITE_URL = os.environ.get("CEASEFIRE_SITE_URL", "http://localhost:8000")
