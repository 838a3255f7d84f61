"""Configuration from CAMPUSDESK_* variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.settings import Settings, SettingsError


def test_defaults():
    s = Settings.from_env({})
    assert s.data_dir == Path("campusdesk-data")
    assert (s.api_port, s.dashboard_port) == (8000, 8050)
    assert (s.unclosed_port, s.resolution_port, s.by_category_port) == (8101, 8102, 8103)
    assert s.api_url == "http://127.0.0.1:8000"
    assert s.unclosed_url == "http://127.0.0.1:8101"
    assert s.by_category_url == "http://127.0.0.1:8103"
    assert s.frame_ancestors == "'self'" and s.time_zone == "Europe/Rome"
    assert s.url_prefix == "" and s.database_url == ""
    assert s.effective_database_url.startswith("sqlite:///")
    assert s.model_dir == Path("campusdesk-data") / "models"


def test_overrides():
    s = Settings.from_env(
        {
            "CAMPUSDESK_API_PORT": "9000",
            "CAMPUSDESK_URL_PREFIX": "helpdesk/",
            "CAMPUSDESK_API_URL": "http://api.internal:81/",
            "CAMPUSDESK_DATABASE_URL": "postgresql://u@h:5432/d",
            "CAMPUSDESK_TIME_ZONE": "UTC",
        }
    )
    assert s.api_port == 9000 and s.api_url == "http://api.internal:81"
    assert s.url_prefix == "/helpdesk"
    assert s.effective_database_url == "postgresql://u@h:5432/d"
    assert s.zone.key == "UTC"


@pytest.mark.parametrize(
    "env",
    [
        {"CAMPUSDESK_API_PORT": "eighty"},
        {"CAMPUSDESK_API_PORT": "70000"},
        {"CAMPUSDESK_TIME_ZONE": "Nowhere/City"},
    ],
)
def test_bad_values_are_refused(env):
    with pytest.raises(SettingsError):
        Settings.from_env(env)


def test_rate_limits():
    from kit.settings import parse_rules

    s = Settings.from_env({})
    assert s.rate_limits is True and s.redis_url == ""
    assert s.ticket_limits == ((10, 60), (50, 3600), (200, 86400))
    assert s.message_limits == ((30, 60), (300, 3600), (2000, 86400))
    changed = Settings.from_env(
        {
            "CAMPUSDESK_TICKET_LIMITS": "5 / hour, 2/10 seconds",
            "CAMPUSDESK_MESSAGE_LIMITS": "off",
            "CAMPUSDESK_RATE_LIMITS": "0",
            "CAMPUSDESK_REDIS_URL": "redis://127.0.0.1:6379/0",
        }
    )
    assert changed.ticket_limits == ((2, 10), (5, 3600))
    assert changed.message_limits == () and changed.rate_limits is False
    assert changed.redis_url == "redis://127.0.0.1:6379/0"
    assert parse_rules("X", "1/days") == ((1, 86400),)
    for bad in ("5/fortnight", "0/minute", "5/0 minutes", "ten/minute", "5 per minute"):
        with pytest.raises(SettingsError, match="CAMPUSDESK_TICKET_LIMITS"):
            Settings.from_env({"CAMPUSDESK_TICKET_LIMITS": bad})


def test_trusted_proxies():
    s = Settings.from_env({"CAMPUSDESK_TRUSTED_PROXIES": "10.0.0.5, 192.168.0.0/16"})
    assert [str(n) for n in s.trusted_proxies] == ["10.0.0.5/32", "192.168.0.0/16"]
    with pytest.raises(SettingsError, match="CAMPUSDESK_TRUSTED_PROXIES"):
        Settings.from_env({"CAMPUSDESK_TRUSTED_PROXIES": "localhost"})


MAIL_ENV = {
    "CAMPUSDESK_SMTP_URL": "smtps://desk%40campus.example:p%3Ass@mail.campus.example:465",
    "CAMPUSDESK_MAIL_FROM": "helpdesk@campus.example",
    "CAMPUSDESK_MAIL_SECRET": "k" * 32,
}


def test_mail_is_off_until_a_mail_server_is_named():
    s = Settings.from_env({})
    assert s.mail_enabled is False and s.smtp_url == ""
    assert s.public_url == "http://127.0.0.1:8050" and s.mail_worker_port == 8104
    on = Settings.from_env(
        MAIL_ENV | {"CAMPUSDESK_PUBLIC_URL": "https://desk.campus.example/help/"}
    )
    assert on.mail_enabled is True and on.mail_from == "helpdesk@campus.example"
    assert on.public_url == "https://desk.campus.example/help"
    prefixed = Settings.from_env({"CAMPUSDESK_URL_PREFIX": "desk"})
    assert prefixed.public_url == "http://127.0.0.1:8050/desk"


@pytest.mark.parametrize(
    "changes",
    [
        {"CAMPUSDESK_SMTP_URL": "mail.campus.example:25"},
        {"CAMPUSDESK_SMTP_URL": "http://mail.campus.example"},
        {"CAMPUSDESK_SMTP_URL": "smtp://"},
        {"CAMPUSDESK_SMTP_URL": "smtp://mail.campus.example:port"},
        {"CAMPUSDESK_MAIL_FROM": ""},
        {"CAMPUSDESK_MAIL_FROM": "helpdesk"},
        {"CAMPUSDESK_MAIL_SECRET": ""},
        {"CAMPUSDESK_MAIL_SECRET": "short"},
    ],
)
def test_a_mail_setting_that_cannot_work_is_refused(changes):
    with pytest.raises(SettingsError, match="CAMPUSDESK_(SMTP_URL|MAIL_FROM|MAIL_SECRET)"):
        Settings.from_env(MAIL_ENV | changes)


def test_retention_months():
    assert Settings.from_env({}).retention_months == 12
    assert Settings.from_env({"CAMPUSDESK_RETENTION_MONTHS": "0"}).retention_months == 0
    for bad in ("-1", "a year"):
        with pytest.raises(SettingsError, match="CAMPUSDESK_RETENTION_MONTHS"):
            Settings.from_env({"CAMPUSDESK_RETENTION_MONTHS": bad})
