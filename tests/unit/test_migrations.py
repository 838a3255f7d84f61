"""Schema versions: created from nothing, upgraded step by step without losing a row."""

from __future__ import annotations

import pytest

from ticket_api.migrations import LATEST, current_version, migrate


@pytest.fixture
def db(settings):
    from ticket_api.db import database, open_database

    db = open_database(settings)
    if settings.database_url:
        db.execute_sql("DROP SCHEMA public CASCADE")
        db.execute_sql("CREATE SCHEMA public")
    yield db
    database.obj.close_all()


def test_fresh_database_gets_latest_schema(db):
    assert current_version(db) == 0
    assert migrate(db) == (0, LATEST)
    assert migrate(db) == (LATEST, LATEST)
    assert {"ticket", "message", "ticket_change", "classifier_example"} <= set(db.get_tables())


def test_upgrade_from_first_release_keeps_every_row(db):
    from ticket_api.models import ClassifierExample, Message, Ticket, TicketChange
    from ticket_api.timefields import utcnow

    assert migrate(db, target=1) == (0, 1)
    assert "classifier_example" not in db.get_tables()
    now = utcnow()
    ticket = Ticket.create(
        title="Old ticket",
        description="From the first release",
        category="it",
        category_confidence=0.8,
        opened_at=now,
        modified_at=now,
    )
    Message.create(ticket=ticket, body="old message", author_role="user", created_at=now)
    TicketChange.create(ticket=ticket, at=now, role="user", field="status", new_value="open")

    assert migrate(db) == (1, LATEST)
    assert [t.title for t in Ticket.select()] == ["Old ticket"]
    assert [m.body for m in Message.select()] == ["old message"]
    assert TicketChange.select().count() == 1
    ClassifierExample.create(text="new table works", category="it", created_at=now)
    indexes = {i.name for i in db.get_indexes("ticket")}
    assert "ticket_category_confidence" in indexes


def test_newer_database_is_refused(db):
    from ticket_api.models import SchemaVersion

    migrate(db)
    SchemaVersion.update(version=LATEST + 1).execute()
    try:
        with pytest.raises(RuntimeError, match="newer than this release"):
            migrate(db)
    finally:
        SchemaVersion.update(version=LATEST).execute()


def test_upgrade_fills_analytics_totals_in_the_campus_zone(db):
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from ticket_api import rollups
    from ticket_api.models import Message, Ticket

    migrate(db, target=4)
    # 23:30 UTC on 1 March is 2 March in Rome
    opened = datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc)
    for hours in (2, 4):
        ticket = Ticket.create(
            title="Closed before upgrade",
            description="x",
            category="it",
            status="closed",
            opened_at=opened,
            modified_at=opened,
            closed_at=datetime(2026, 3, 2, 1 + hours, tzinfo=timezone.utc),
        )
    for role, minute in (("user", 40), ("helpdesk", 50), ("helpdesk", 55)):
        Message.create(
            ticket=ticket,
            body="old",
            author_role=role,
            created_at=datetime(2026, 3, 1, 23, minute, tzinfo=timezone.utc),
        )
    migrate(db, zone=ZoneInfo("Europe/Rome"))
    assert Ticket.get_by_id(ticket.id).first_response_at.minute == 50
    rows = db.execute_sql(
        "SELECT day, category, opened, closed, resolved, resolution_seconds, responded, "
        "response_seconds FROM ticket_day"
    ).fetchall()
    march_2 = datetime(2026, 3, 2).toordinal() - datetime(1970, 1, 1).toordinal()
    assert [tuple(r) for r in rows] == [(march_2, "it", 2, 2, 2, 6 * 3600 + 3 * 3600, 1, 1200)]
    assert rollups.stored_zone(db) == "Europe/Rome"
    assert rollups.check(db) == []


def test_upgrade_indexes_existing_tickets_for_search(db):
    from ticket_api.models import Ticket
    from ticket_api.queries import list_page
    from ticket_api.schemas import TicketListQuery
    from ticket_api.timefields import utcnow

    migrate(db, target=3)
    now = utcnow()
    Ticket.create(
        title="Radiator leaking",
        description="Water on the floor of room 4",
        category="facility",
        opened_at=now,
        modified_at=now,
    )
    migrate(db)
    items, total = list_page(TicketListQuery(q="radiat"), "helpdesk")
    assert total == 1 and items[0]["title"] == "Radiator leaking"
