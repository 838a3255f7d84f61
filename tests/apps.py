"""The ticket API as a test builds it: the schema brought up to date first, as
`campusdesk init-db` does before a deployment starts its workers."""

from __future__ import annotations

from kit.settings import Settings


def make_api(settings: Settings, **kwargs):
    """``create_app`` on a database migrated to this release (in the settings' zone)."""
    from ticket_api import create_app
    from ticket_api.db import open_database
    from ticket_api.migrations import migrate

    db = open_database(settings)
    migrate(db, zone=settings.zone)
    db.close()
    return create_app(settings, **kwargs)
