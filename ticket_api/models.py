"""Tickets, their messages and their change history; the status workflow as data."""

from __future__ import annotations

from peewee import (
    AutoField,
    CharField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from ticket_api.classifier.categories import KEYS
from ticket_api.db import database
from ticket_api.timefields import UtcTimestampField

#: A ticket's categories are the classifier's, declared once in classifier/categories.py.
CATEGORY_KEYS = KEYS
STATUSES = ("open", "active", "closed")
#: What people read for each status, and what each means.
STATUS_TEXT = {
    "open": ("Open", "Reported, not yet taken in hand by the helpdesk."),
    "active": ("Active", "The helpdesk is working on it."),
    "closed": ("Closed", "Solved; read-only, and no longer shown to simple users."),
}
#: The only moves a ticket can make: no skipping, no reopening.
TRANSITIONS = {"open": ("active",), "active": ("closed",), "closed": ()}
#: The name of each move, as the helpdesk's button says it.
TRANSITION_ACTIONS = {("open", "active"): "Start work", ("active", "closed"): "Close ticket"}
ROLES = ("user", "helpdesk")
#: Fields a simple user may change; helpdesk staff may change every editable field.
EDITABLE_BY_ROLE = {
    "user": ("title", "description", "location"),
    "helpdesk": ("title", "description", "location", "status", "category"),
}
#: Statuses each role can see at all: closed tickets do not exist for simple users.
VISIBLE_STATUSES = {"user": ("open", "active"), "helpdesk": STATUSES}
#: Roles that write and read a ticket's internal notes; no other role learns they exist.
NOTE_ROLES = ("helpdesk",)
#: Contact data each role may read of a ticket: the reporter's e-mail address only the
#: helpdesk, and only on the ticket itself (never in lists, searches or follow links).
CONTACT_FIELDS = {"user": (), "helpdesk": ("reporter_email",)}
#: What a follow link lets its holder do: the person who reported the ticket, or a follower
#: who has the same problem ("This is my problem too").
FOLLOW_LINK_RIGHTS = {"reporter": ("read", "answer", "rate"), "follower": ("read", "answer")}
#: Statuses of the tickets under which photos may be added (as messages may be posted);
#: a photo is seen by whoever may see its ticket (VISIBLE_STATUSES, or its follow link).
PHOTO_STATUSES = ("open", "active")
#: Statuses of the tickets people may follow, and the helpdesk may merge and merge into.
FOLLOWABLE_STATUSES = ("open", "active")


def allowed_next(status: str) -> tuple[str, ...]:
    """The statuses a ticket in ``status`` may move to."""
    return TRANSITIONS.get(status, ())


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class Thread:
    """What reads like a thread under a ticket, oldest first: its messages, its notes."""

    @classmethod
    def thread(cls, ticket_id: int, after_id: int = 0, limit: int = 200):
        """The rows of a ticket newer than ``after_id``, oldest first."""
        return (
            cls.select()
            .where((cls.ticket == ticket_id) & (cls.id > after_id))
            .order_by(cls.id)
            .limit(limit)
        )


class Ticket(BaseModel):
    id = AutoField()
    title = CharField(max_length=120)
    description = TextField()
    location = CharField(max_length=120, null=True)
    reporter_name = CharField(max_length=80, null=True)
    status = CharField(max_length=16, default="open")
    category = CharField(max_length=16)
    category_confidence = FloatField(null=True)
    category_source = CharField(max_length=16, default="auto")
    opened_at = UtcTimestampField()
    modified_at = UtcTimestampField()
    closed_at = UtcTimestampField(null=True)
    version = IntegerField(default=1)
    #: when the helpdesk first wrote under the ticket (kept by a trigger on messages)
    first_response_at = UtcTimestampField(null=True)
    #: the searchable words and the title's sort key, folded (schema step 6); never shown
    search_text = TextField(default="")
    title_key = TextField(default="")
    #: SHA-256 (hex) of the ticket's private follow token (schema step 8); never shown
    follow_hash = CharField(max_length=64, null=True, unique=True)
    #: how many followers have the same problem (kept with the follower rows); never shown
    followers = IntegerField(default=0)
    #: the ticket this one was merged into, as a duplicate
    merged_into = IntegerField(null=True)
    #: how many photos the ticket and its messages carry (kept with the photo rows)
    photos = IntegerField(default=0)

    class Meta:
        indexes = (
            # list filters and sorts
            (("status", "modified_at"), False),
            (("modified_at",), False),
            (("opened_at",), False),
            # covering index for "unclosed since" and the resolution-time aggregate
            (("status", "opened_at", "closed_at"), False),
            # active tickets per category
            (("status", "category"), False),
        )

    @classmethod
    def visible_to(cls, role: str):
        """Tickets the role may see at all."""
        query = cls.select()
        if role != "helpdesk":
            query = query.where(cls.status.in_(VISIBLE_STATUSES[role]))
        return query

    @classmethod
    def find_visible(cls, ticket_id: int, role: str) -> "Ticket | None":
        """One ticket by id, or None when it is unknown or hidden from the role."""
        return cls.visible_to(role).where(cls.id == ticket_id).first()


class Message(Thread, BaseModel):
    id = AutoField()
    ticket = ForeignKeyField(Ticket, backref="messages", on_delete="CASCADE", index=False)
    body = TextField()
    author_role = CharField(max_length=16)
    author_name = CharField(max_length=80, null=True)
    created_at = UtcTimestampField()

    class Meta:
        indexes = ((("ticket", "id"), False),)


class Note(Thread, BaseModel):
    """An internal note under a ticket, between helpdesk staff (schema step 13)."""

    id = AutoField()
    ticket = ForeignKeyField(Ticket, backref="notes", on_delete="CASCADE", index=False)
    body = TextField()
    author_name = CharField(max_length=80, null=True)
    created_at = UtcTimestampField()

    class Meta:
        indexes = ((("ticket", "id"), False),)


class Notice(BaseModel):
    """A campus notice: a known problem the helpdesk announces, shown until ``ends_at``."""

    id = AutoField()
    text = TextField()
    author_name = CharField(max_length=80, null=True)
    created_at = UtcTimestampField()
    ends_at = UtcTimestampField(null=True)


class Follower(BaseModel):
    """Someone with the same problem as a ticket's reporter, who follows it through a
    private follow link of their own (kept as the SHA-256 of its token)."""

    id = AutoField()
    ticket = ForeignKeyField(Ticket, backref="follower_rows", on_delete="CASCADE", index=False)
    follow_hash = CharField(max_length=64, unique=True)
    created_at = UtcTimestampField()


class Photo(BaseModel):
    """A photo attached to a report (``message`` null) or to a message (schema step 16).
    Seen by whoever may see its ticket; its file and thumbnail are named by ``file_id``."""

    id = AutoField()
    ticket = ForeignKeyField(Ticket, backref="photo_rows", on_delete="CASCADE", index=False)
    message = ForeignKeyField(Message, null=True, on_delete="CASCADE", index=False)
    file_id = CharField(max_length=32, unique=True)
    content_type = CharField(max_length=16)
    width = IntegerField()
    height = IntegerField()
    bytes = IntegerField()
    created_at = UtcTimestampField()


class TicketChange(BaseModel):
    id = AutoField()
    ticket = ForeignKeyField(Ticket, backref="changes", on_delete="CASCADE", index=False)
    at = UtcTimestampField()
    role = CharField(max_length=16)
    name = CharField(max_length=80, null=True)
    field = CharField(max_length=32)
    old_value = TextField(null=True)
    new_value = TextField(null=True)

    class Meta:
        indexes = ((("ticket", "id"), False),)

    @classmethod
    def history(cls, ticket_id: int):
        """A ticket's changes, oldest first."""
        return cls.select().where(cls.ticket == ticket_id).order_by(cls.id)


class ClassifierExample(BaseModel):
    """A text labelled by the helpdesk (a category override), for retraining the classifier."""

    id = AutoField()
    ticket = ForeignKeyField(Ticket, null=True, on_delete="SET NULL", index=False)
    text = TextField()
    category = CharField(max_length=16)
    created_at = UtcTimestampField()


class SchemaVersion(BaseModel):
    version = IntegerField()

    class Meta:
        table_name = "campusdesk_schema"


ALL_MODELS = (Ticket, Message, TicketChange, ClassifierExample, SchemaVersion)
