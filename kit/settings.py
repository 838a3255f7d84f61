"""The one place where CampusDesk reads its configuration (``CAMPUSDESK_*`` variables)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PREFIX = "CAMPUSDESK_"


class SettingsError(ValueError):
    """A configuration variable has a value that cannot be used."""


class SchemaError(RuntimeError):
    """The database's schema does not match this release (the message says what to run).
    Raised by the API's start-up check; every command reports it the same way."""


def _int(env: dict, name: str, default: int) -> int:
    raw = env.get(PREFIX + name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{PREFIX}{name} must be a whole number, not {raw!r}") from None
    if not 0 < value < 65536 and name.endswith("_PORT"):
        raise SettingsError(f"{PREFIX}{name} must be a port number (1-65535), not {value}")
    return value


def _bool(env: dict, name: str, default: bool) -> bool:
    raw = (env.get(PREFIX + name) or "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{PREFIX}{name} must be 1 or 0 (true or false), not {raw!r}")


#: A rate limit: at most ``hits`` requests in ``seconds``, counted from a client's first one.
Rule = tuple[int, int]
UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
RULE = re.compile(r"\s*(\d+)\s*/\s*(\d*)\s*(second|minute|hour|day)s?\s*")
DEFAULT_TICKET_LIMITS = "10/minute, 50/hour, 200/day"
DEFAULT_MESSAGE_LIMITS = "30/minute, 300/hour, 2000/day"
DEFAULT_TRUSTED_PROXIES = "127.0.0.0/8, ::1/128"


def parse_rules(name: str, raw: str) -> tuple[Rule, ...]:
    """``"10/minute, 50/hour"`` as ((10, 60), (50, 3600)); ``off`` (or empty) is no limit."""
    raw = raw.strip()
    if raw.lower() in ("", "off", "none", "0"):
        return ()
    rules = []
    for part in raw.split(","):
        match = RULE.fullmatch(part)
        if not match or int(match.group(1)) < 1 or match.group(2) in ("0",):
            raise SettingsError(
                f"{PREFIX}{name} must be limits such as '10/minute, 50/hour' "
                f"(or 'off'), not {raw!r}"
            )
        hits, count, unit = match.groups()
        rules.append((int(hits), int(count or 1) * UNITS[unit]))
    return tuple(sorted(rules, key=lambda rule: rule[1]))


def parse_networks(name: str, raw: str) -> tuple[IPv4Network | IPv6Network, ...]:
    """``"127.0.0.0/8, 10.1.2.3"`` as networks; a bad entry is a SettingsError."""
    networks = []
    for part in raw.split(","):
        if part.strip():
            try:
                networks.append(ip_network(part.strip(), strict=False))
            except ValueError:
                raise SettingsError(
                    f"{PREFIX}{name} must be addresses or networks such as "
                    f"'127.0.0.0/8, 10.0.0.5', not {part.strip()!r}"
                ) from None
    return tuple(networks)


#: The ways to reach the mail server: plain SMTP, SMTP upgraded by STARTTLS, SMTP over TLS.
SMTP_SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
MAIL_SECRET_MIN = 32


def check_smtp_url(raw: str) -> str:
    """``smtp://host:port``, ``smtp+starttls://user:pass@host:587`` or ``smtps://…``; a
    SettingsError for anything else."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in SMTP_SCHEMES or not parts.hostname:
        raise SettingsError(
            f"{PREFIX}SMTP_URL must be smtp://host:port, smtp+starttls://user:password@host:587 "
            f"or smtps://user:password@host:465, not {raw!r}"
        )
    return raw


def _prefix(raw: str) -> str:
    raw = raw.strip().strip("/")
    return f"/{raw}" if raw else ""


@dataclass(frozen=True)
class Settings:
    """Every setting of every CampusDesk process; built once, passed to whoever needs it."""

    data_dir: Path = Path("campusdesk-data")
    database_url: str = ""
    api_port: int = 8000
    dashboard_port: int = 8050
    unclosed_port: int = 8101
    resolution_port: int = 8102
    by_category_port: int = 8103
    api_url: str = ""
    unclosed_url: str = ""
    resolution_url: str = ""
    by_category_url: str = ""
    url_prefix: str = ""
    frame_ancestors: str = "'self'"
    time_zone: str = "Europe/Rome"
    max_body_bytes: int = 1024 * 1024
    max_dashboard_body_bytes: int = 1024 * 1024
    max_photo_body_bytes: int = 25 * 1024 * 1024
    max_header_bytes: int = 8 * 1024
    model_dir_override: str = ""
    access_log: bool = True
    rate_limits: bool = True
    ticket_limits: tuple[Rule, ...] = parse_rules("TICKET_LIMITS", DEFAULT_TICKET_LIMITS)
    message_limits: tuple[Rule, ...] = parse_rules("MESSAGE_LIMITS", DEFAULT_MESSAGE_LIMITS)
    redis_url: str = ""
    trusted_proxies: tuple[IPv4Network | IPv6Network, ...] = parse_networks(
        "TRUSTED_PROXIES", DEFAULT_TRUSTED_PROXIES
    )
    smtp_url: str = ""
    mail_from: str = ""
    mail_secret: str = ""
    public_url: str = ""
    mail_worker_port: int = 8104
    retention_months: int = 12
    read_cache_entries: int = 256

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingsError(
                f"{PREFIX}TIME_ZONE is not a known time zone: {self.time_zone!r}"
            ) from None
        defaults = {
            "api_url": self.api_port,
            "unclosed_url": self.unclosed_port,
            "resolution_url": self.resolution_port,
            "by_category_url": self.by_category_port,
        }
        for name, port in defaults.items():
            value = getattr(self, name) or f"http://127.0.0.1:{port}"
            object.__setattr__(self, name, value.rstrip("/"))
        if self.retention_months < 0:
            raise SettingsError(
                f"{PREFIX}RETENTION_MONTHS must be 0 (keep forever) or more, "
                f"not {self.retention_months}"
            )
        if self.read_cache_entries < 0:
            raise SettingsError(
                f"{PREFIX}READ_CACHE_ENTRIES must be 0 (keep no answers) or more, "
                f"not {self.read_cache_entries}"
            )
        for name in (
            "max_body_bytes",
            "max_dashboard_body_bytes",
            "max_photo_body_bytes",
            "max_header_bytes",
        ):
            if getattr(self, name) <= 0:
                raise SettingsError(f"{PREFIX}{name.upper()} must be above 0")
        object.__setattr__(self, "data_dir", Path(self.data_dir))
        object.__setattr__(self, "url_prefix", _prefix(self.url_prefix))
        public = self.public_url or f"http://127.0.0.1:{self.dashboard_port}{self.url_prefix}"
        object.__setattr__(self, "public_url", public.rstrip("/"))
        if self.smtp_url:
            check_smtp_url(self.smtp_url)
            if "@" not in self.mail_from:
                raise SettingsError(
                    f"{PREFIX}MAIL_FROM must be the sender's address (such as "
                    f"helpdesk@campus.example) when {PREFIX}SMTP_URL is set"
                )
            if len(self.mail_secret) < MAIL_SECRET_MIN:
                raise SettingsError(
                    f"{PREFIX}MAIL_SECRET must be at least {MAIL_SECRET_MIN} random characters "
                    f"when {PREFIX}SMTP_URL is set (for example the output of "
                    "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
                )

    @property
    def mail_enabled(self) -> bool:
        """Whether e-mail notifications are set up (``CAMPUSDESK_SMTP_URL``)."""
        return bool(self.smtp_url)

    @property
    def zone(self) -> ZoneInfo:
        """The campus time zone, in which people read dates and months are counted."""
        return ZoneInfo(self.time_zone)

    @property
    def effective_database_url(self) -> str:
        """The database to use: ``DATABASE_URL``, or SQLite in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'campusdesk.sqlite3').resolve()}"

    @property
    def model_dir(self) -> Path:
        """Where the trained classifier is cached."""
        return (
            Path(self.model_dir_override) if self.model_dir_override else self.data_dir / "models"
        )

    def with_changes(self, **changes) -> "Settings":
        """A copy with some settings changed (command-line flags, tests)."""
        return replace(self, **changes)

    @classmethod
    def from_env(cls, env: dict | None = None) -> "Settings":
        """Read every ``CAMPUSDESK_*`` variable, with the documented defaults."""
        env = os.environ if env is None else env
        get = lambda name, default: env.get(PREFIX + name) or default  # noqa: E731
        return cls(
            data_dir=Path(get("DATA_DIR", "campusdesk-data")),
            database_url=get("DATABASE_URL", ""),
            api_port=_int(env, "API_PORT", 8000),
            dashboard_port=_int(env, "DASHBOARD_PORT", 8050),
            unclosed_port=_int(env, "UNCLOSED_PORT", 8101),
            resolution_port=_int(env, "RESOLUTION_PORT", 8102),
            by_category_port=_int(env, "BY_CATEGORY_PORT", 8103),
            api_url=get("API_URL", ""),
            unclosed_url=get("UNCLOSED_URL", ""),
            resolution_url=get("RESOLUTION_URL", ""),
            by_category_url=get("BY_CATEGORY_URL", ""),
            url_prefix=get("URL_PREFIX", ""),
            frame_ancestors=get("FRAME_ANCESTORS", "'self'"),
            time_zone=get("TIME_ZONE", "Europe/Rome"),
            max_body_bytes=_int(env, "MAX_BODY_BYTES", 1024 * 1024),
            max_dashboard_body_bytes=_int(env, "MAX_DASHBOARD_BODY_BYTES", 1024 * 1024),
            max_photo_body_bytes=_int(env, "MAX_PHOTO_BODY_BYTES", 25 * 1024 * 1024),
            max_header_bytes=_int(env, "MAX_HEADER_BYTES", 8 * 1024),
            model_dir_override=get("MODEL_DIR", ""),
            access_log=_bool(env, "ACCESS_LOG", True),
            rate_limits=_bool(env, "RATE_LIMITS", True),
            ticket_limits=parse_rules(
                "TICKET_LIMITS", env.get(PREFIX + "TICKET_LIMITS", DEFAULT_TICKET_LIMITS)
            ),
            message_limits=parse_rules(
                "MESSAGE_LIMITS", env.get(PREFIX + "MESSAGE_LIMITS", DEFAULT_MESSAGE_LIMITS)
            ),
            redis_url=get("REDIS_URL", ""),
            trusted_proxies=parse_networks(
                "TRUSTED_PROXIES", get("TRUSTED_PROXIES", DEFAULT_TRUSTED_PROXIES)
            ),
            smtp_url=get("SMTP_URL", ""),
            mail_from=get("MAIL_FROM", ""),
            mail_secret=get("MAIL_SECRET", ""),
            public_url=get("PUBLIC_URL", ""),
            mail_worker_port=_int(env, "MAIL_WORKER_PORT", 8104),
            retention_months=_int(env, "RETENTION_MONTHS", 12),
            read_cache_entries=_int(env, "READ_CACHE_ENTRIES", 256),
        )
