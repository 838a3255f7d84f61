"""Request and response schemas: the one source of validation and of the OpenAPI document."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Annotated, Literal, Optional

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)

from kit.limits import EMAIL_MAX_LENGTH, EMAIL_PATTERN, MY_REPORTS_KEPT, PHOTOS_PER_REQUEST
from kit.problems import Problem as BaseProblem
from kit.query_types import MONTH
from ticket_api.models import CATEGORY_KEYS, ROLES, STATUSES

CategoryKey = Literal[CATEGORY_KEYS]  # type: ignore[valid-type]
Status = Literal[STATUSES]  # type: ignore[valid-type]
Role = Literal[ROLES]  # type: ignore[valid-type]
SORT_KEYS = (
    "id",
    "opened_at",
    "modified_at",
    "closed_at",
    "title",
    "status",
    "category",
    "category_confidence",
)
SortKey = Literal[tuple(k for key in SORT_KEYS for k in (key, "-" + key))]  # type: ignore[misc]
STATUS_LIST = r"^(open|active|closed)(,(open|active|closed))*$"
CATEGORY_LIST = r"^(facility|it|services)(,(facility|it|services))*$"
MAX_ID = 2**63 - 1
EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(9000, 1, 1, tzinfo=timezone.utc)


def _printable(value: str, *, multiline: bool) -> str:
    """Refuse text a database cannot store or a person cannot see (NUL, control codes,
    lone surrogates); tabs and line breaks are fine where text may span lines."""
    allowed = "\t\n\r" if multiline else "\t"
    for char in value:
        code = ord(char)
        if (code < 32 and char not in allowed) or code == 127 or 0xD800 <= code <= 0xDFFF:
            raise ValueError(f"contains a control character (U+{code:04X}) that is not allowed")
    return value


def _line(value: str) -> str:
    return _printable(value, multiline=False)


def _multiline(value: str) -> str:
    return _printable(value, multiline=True)


def _iso_only(value):
    """Refuse bare numbers, which would otherwise be read as Unix timestamps."""
    if not isinstance(value, str) or not re.match(r"^\d{4}-\d{2}-\d{2}", value):
        raise ValueError("must be an ISO 8601 date-time such as 2026-11-24T10:15:00+00:00")
    return value


def _instant(value: datetime) -> datetime:
    """An aware UTC instant (naive means UTC); instants outside 1970-9000, which no ticket
    can have, are moved to those bounds so that filters keep their meaning."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    try:
        value = value.astimezone(timezone.utc)
    except OverflowError:
        return EARLIEST if value.year < 1970 else LATEST
    return min(max(value, EARLIEST), LATEST)


def _blank_to_none(value: Optional[str]) -> Optional[str]:
    return value or None


#: What the validators above accept, said in the document (lone surrogates cannot be sent
#: as UTF-8 JSON at all).
LINE_PATTERN = "^[^\\x00-\\x08\\x0a-\\x1f\\x7f]*$"
MULTILINE_PATTERN = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$"


def text(min_length: int, max_length: int, *, multiline: bool = False, description: str = ""):
    """A trimmed string field type with length limits counted after trimming."""
    pattern = MULTILINE_PATTERN if multiline else LINE_PATTERN
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(_multiline if multiline else _line),
        Field(description=description, json_schema_extra={"pattern": pattern}),
    ]


Instant = Annotated[
    datetime,
    BeforeValidator(_iso_only),
    AfterValidator(_instant),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
Title = text(3, 120, description="3 to 120 characters after trimming")
Description = text(1, 10_000, multiline=True, description="1 to 10,000 characters after trimming")
Location = Annotated[
    Optional[text(0, 120, description="building and room, up to 120 characters")],
    AfterValidator(_blank_to_none),
]
PersonName = Annotated[
    Optional[text(0, 80, description="up to 80 characters; no accounts exist")],
    AfterValidator(_blank_to_none),
]


def _email(value: Optional[str]) -> Optional[str]:
    if value and not re.fullmatch(EMAIL_PATTERN, value):
        raise ValueError("must be an e-mail address such as ada@campus.example")
    return value


Email = Annotated[
    Optional[
        Annotated[
            str,
            StringConstraints(strip_whitespace=True, max_length=EMAIL_MAX_LENGTH),
            Field(
                description="an e-mail address for notices about the ticket, up to "
                f"{EMAIL_MAX_LENGTH} characters; seen by the helpdesk only",
                json_schema_extra={"pattern": EMAIL_PATTERN.replace("$", "$|^$")},
            ),
        ]
    ],
    AfterValidator(_blank_to_none),
    AfterValidator(_email),
]
MessageBody = text(1, 5_000, multiline=True, description="1 to 5,000 characters after trimming")


class Strict(BaseModel):
    """Bodies: exact JSON types, unknown members refused."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Query(BaseModel):
    """Query strings: values arrive as text and are converted; unknown parameters refused."""

    model_config = ConfigDict(extra="forbid")


# ---- requests ---------------------------------------------------------------------------


class TicketCreate(Strict):
    title: Title
    description: Description
    location: Location = None
    reporter_name: PersonName = Field(None, description="defaults to the X-User-Name header")
    email: Email = Field(
        None,
        description="optional: where to send a notice when the helpdesk answers, takes the "
        "ticket in hand or closes it (only when `GET /api/mail` says notifications are set up)",
    )


def _absent_not_null(schema: dict) -> None:
    # Leaving a member out is how "no change" is said; null is not a value of these.
    for name in ("title", "description", "status", "category"):
        schema["properties"][name].pop("default", None)


class TicketPatch(Strict):
    """Only the members sent are changed; `location` may be null to remove it."""

    model_config = ConfigDict(json_schema_extra=_absent_not_null)

    title: Title = None
    description: Description = None
    location: Location = None
    status: Status = Field(None, description="helpdesk only: open -> active -> closed")
    category: CategoryKey = Field(
        None, description="helpdesk only: overrides the automatic category"
    )


class MessageCreate(Strict):
    body: MessageBody
    author_name: PersonName = Field(None, description="defaults to the X-User-Name header")


class NoteCreate(Strict):
    body: MessageBody
    author_name: PersonName = Field(None, description="defaults to the X-User-Name header")


class NoticeCreate(Strict):
    text: text(3, 300, description="what is known and what is being done, 3 to 300 characters")
    ends_at: Optional[Instant] = Field(
        None,
        strict=False,  # JSON has no date type: an ISO 8601 string
        description="when the notice stops showing (ISO 8601, in the future); none: "
        "until the helpdesk takes it down",
    )


class RatingCreate(Strict):
    stars: int = Field(ge=1, le=5, description="1 (bad) to 5 (very good)")
    comment: Annotated[
        Optional[text(0, 1_000, multiline=True, description="up to 1,000 characters")],
        AfterValidator(_blank_to_none),
    ] = None


class FollowRequest(Strict):
    email: Email = Field(
        None,
        description="optional: where to send the ticket's notices to this follower (only "
        "when `GET /api/mail` says notifications are set up)",
    )


class MergeRequest(Strict):
    into: int = Field(ge=1, le=MAX_ID, description="the number of the ticket to keep")
    version: int = Field(
        ge=1,
        le=MAX_ID,
        description="the version of the duplicate the merge is based on (its ETag); a stale "
        "version is a 409 whose problem carries the duplicate as it is now in `current`",
    )


class SimilarQuery(Query):
    title: Annotated[Optional[str], AfterValidator(lambda v: v and _line(v))] = Field(
        None, max_length=200, json_schema_extra={"pattern": LINE_PATTERN}
    )
    description: Annotated[Optional[str], AfterValidator(lambda v: v and _multiline(v))] = Field(
        None, max_length=10_000, json_schema_extra={"pattern": MULTILINE_PATTERN}
    )
    limit: int = Field(3, ge=1, le=10, description="at most this many tickets")


class NoticeQuery(Query):
    matching: Optional[str] = Field(
        None,
        max_length=10_200,
        description="only the notices this text (what a person is typing) seems to be about",
    )
    ended: bool = Field(False, description="also the notices that have ended (helpdesk only)")


class ClassifyRequest(Strict):
    text: text(1, 10_200, multiline=True, description="the title and description to classify")


class TicketListQuery(Query):
    status: Optional[str] = Field(
        None, pattern=STATUS_LIST, max_length=40, description="comma-separated statuses"
    )
    category: Optional[str] = Field(
        None, pattern=CATEGORY_LIST, max_length=40, description="comma-separated category keys"
    )
    q: Annotated[Optional[str], AfterValidator(lambda v: v and _line(v))] = Field(
        None,
        max_length=200,
        json_schema_extra={"pattern": LINE_PATTERN},
        description="words; tickets whose title, description or location have words "
        "starting with each of them",
    )
    opened_after: Optional[Instant] = Field(None, description="opened at or after (ISO 8601)")
    opened_before: Optional[Instant] = Field(None, description="opened before (ISO 8601)")
    closed_after: Optional[Instant] = Field(None, description="closed at or after (ISO 8601)")
    closed_before: Optional[Instant] = Field(None, description="closed before (ISO 8601)")
    open_at: Optional[Instant] = Field(
        None, description="open or active at this instant: opened before it, not closed before it"
    )
    answered: Optional[bool] = Field(
        None, description="true: the helpdesk has written under the ticket; false: not yet"
    )
    rated: Optional[bool] = Field(
        None, description="true: the reporter has rated the outcome; false: not (yet)"
    )
    stars: Optional[str] = Field(
        None,
        pattern=r"^[1-5](,[1-5]){0,4}$",
        max_length=9,
        description="rated with one of these numbers of stars (comma-separated, 1 to 5)",
    )
    opened_weekday: Optional[int] = Field(
        None, ge=1, le=7, description="opened on this ISO weekday (1 is Monday), campus time"
    )
    opened_hour: Optional[int] = Field(
        None, ge=0, le=23, description="opened in this hour of the day (0-23), campus time"
    )
    to_check: Optional[bool] = Field(
        None,
        description="true: the category was set automatically with a confidence under the "
        "calibrated threshold (`category_to_check`); false: every other ticket",
    )
    sort: SortKey = Field("-modified_at", description="a field, '-' first for descending")
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(20, ge=1, le=200)


class MessageListQuery(Query):
    after_id: int = Field(
        0,
        ge=0,
        le=MAX_ID,
        description="only messages newer than this id: for polling, or the `next_after_id` "
        "of the previous answer to read the rest of a long thread",
    )
    limit: int = Field(
        200,
        ge=1,
        le=500,
        description="at most this many messages per answer; `has_more` says whether more follow",
    )


class NoteListQuery(Query):
    after_id: int = Field(
        0,
        ge=0,
        le=MAX_ID,
        description="only notes newer than this id: for polling, or the `next_after_id` of "
        "the previous answer",
    )
    limit: int = Field(
        200,
        ge=1,
        le=500,
        description="at most this many notes per answer; `has_more` says whether more follow",
    )


class ResolutionQuery(Query):
    from_month: Optional[str] = Field(None, pattern=MONTH, description="YYYY-MM, inclusive")
    to_month: Optional[str] = Field(None, pattern=MONTH, description="YYYY-MM, inclusive")


# ---- responses --------------------------------------------------------------------------


class TicketOut(BaseModel):
    id: int
    title: str
    description: str
    location: Optional[str]
    reporter_name: Optional[str]
    status: Status
    category: CategoryKey
    category_confidence: Optional[float] = Field(ge=0, le=1, description="null once overridden")
    category_source: Literal["auto", "helpdesk"]
    opened_at: datetime
    modified_at: datetime
    closed_at: Optional[datetime]
    version: int = Field(ge=1)
    first_response_at: Optional[datetime] = Field(
        description="when the helpdesk first wrote a message under the ticket"
    )
    reported_by: int = Field(
        ge=1, description="how many people reported the problem: the reporter and its followers"
    )
    merged_into: Optional[int] = Field(
        description="the ticket this one was merged into as a duplicate (it is then closed)"
    )
    photos: int = Field(0, ge=0, description="how many photos the report and its messages carry")
    category_to_check: Optional[bool] = Field(
        None,
        description="helpdesk only: the category was set automatically with a confidence "
        "under the calibrated threshold, so it is worth checking; false once the helpdesk "
        "set it",
    )


class TicketCreated(TicketOut):
    follow_token: str = Field(
        pattern=r"^[A-Za-z0-9_-]{43}$",
        description="the ticket's private follow link token, given only in this answer: "
        "`GET /api/follow/{token}` opens the ticket whatever its status, and its reporter "
        "answers through it. Keep it as a password; the API keeps only its hash",
    )


class MailInfo(BaseModel):
    notifications: bool = Field(
        description="whether reporters may leave an e-mail address for notices"
    )
    email_max_length: int


class Subscription(BaseModel):
    ticket_id: int
    title: str
    subscribed: bool = Field(description="false once the link was used to stop the mails")
    unsubscribed_at: Optional[datetime]


class FollowerCreated(TicketOut):
    follow_token: str = Field(
        pattern=r"^[A-Za-z0-9_-]{43}$",
        description="the follower's own private follow link token, given only in this "
        "answer: `GET /api/follow/{token}` opens the ticket, and the follower reads and "
        "answers the conversation through it (rating is the reporter's). Keep it as a "
        "password; the API keeps only its hash",
    )


class MergedTicket(BaseModel):
    id: int
    title: str


class TicketDetail(TicketOut):
    merged: list[MergedTicket] = Field(
        description="the duplicates merged into this ticket, oldest first (their messages "
        "stay under them)"
    )
    reporter_email: Optional[str] = Field(
        None,
        description="helpdesk only: the e-mail address the reporter left, if any; never "
        "given to other roles",
    )


class SimilarTicket(TicketOut):
    shared_words: int = Field(ge=1, description="how many key words of the text it shares")


class SimilarList(BaseModel):
    items: list[SimilarTicket] = Field(
        description="open and active tickets, the most similar first: more shared key words, "
        "then the category the classifier gives the text, then the newest"
    )


class RatingOut(BaseModel):
    stars: int = Field(ge=1, le=5)
    comment: Optional[str]
    rated_at: datetime


class FollowedTicket(TicketDetail):
    link_role: Literal["reporter", "follower"] = Field(
        description="whose link this is: the reporter's (read, answer, rate once closed) or "
        "a follower's (read and answer)"
    )
    merged_from: Optional[int] = Field(
        description="the ticket this link was given for, when the helpdesk merged it into "
        "this one; null otherwise"
    )
    last_message_id: Optional[int] = Field(
        description="the id of the newest message under the ticket; null without messages"
    )
    last_helpdesk_message_id: Optional[int] = Field(
        description="the id of the helpdesk's newest message: a client that remembers it "
        "can tell whether the helpdesk answered since"
    )
    rating: Optional[RatingOut] = Field(
        description="how the reporter rated the outcome, once it was closed; null until then"
    )


class FollowedMany(Strict):
    tokens: list[Annotated[str, Field(max_length=64)]] = Field(
        min_length=1,
        max_length=MY_REPORTS_KEPT,
        description=f"follow tokens, at most {MY_REPORTS_KEPT} (what My reports keeps)",
    )


class FollowedTickets(BaseModel):
    tickets: dict[str, FollowedTicket] = Field(
        description="by token, the ticket each opens; tokens that open none are left out"
    )


class NoticeOut(BaseModel):
    id: int
    text: str
    author_name: Optional[str]
    created_at: datetime
    ends_at: Optional[datetime] = Field(description="null: until the helpdesk takes it down")


class NoticeList(BaseModel):
    items: list[NoticeOut] = Field(description="newest first")


class TicketList(BaseModel):
    items: list[TicketOut]
    total: int = Field(ge=0, description="How many tickets match (see total_exact)")
    total_exact: bool = Field(
        description="False when more tickets match than were counted: total is then a "
        "lower bound, and the list has more than total tickets"
    )
    page: int = Field(ge=1)
    per_page: int = Field(ge=1, le=200)


class MessageOut(BaseModel):
    id: int
    ticket_id: int
    body: str
    author_role: Role
    author_name: Optional[str]
    created_at: datetime


class MessageList(BaseModel):
    items: list[MessageOut] = Field(description="at most `limit` messages, oldest first")
    has_more: bool = Field(
        description="true when the thread has messages after these that this answer left "
        "out because of `limit`"
    )
    next_after_id: Optional[int] = Field(
        description="when `has_more`, the `after_id` that gives the next messages (the id of "
        "the last item); null when nothing more follows"
    )


PhotoType = Literal["image/jpeg", "image/png", "image/webp"]


class PhotoUpload(BaseModel):
    """The multipart/form-data body of a photo upload (described, not parsed, by pydantic)."""

    photos: list[bytes] = Field(
        min_length=1,
        max_length=PHOTOS_PER_REQUEST,
        description="the photos, one file each: JPEG, PNG or WebP, at most 8 MiB each",
        json_schema_extra={"items": {"type": "string", "format": "binary"}},
    )
    message_id: Optional[int] = Field(
        None, ge=1, description="the message of the ticket the photos go with; else the report"
    )


class PhotoOut(BaseModel):
    id: int
    ticket_id: int
    message_id: Optional[int] = Field(description="null for the photos of the report itself")
    content_type: PhotoType
    width: int = Field(ge=1)
    height: int = Field(ge=1)
    bytes: int = Field(ge=1, description="the size of the stored photo")
    created_at: datetime
    url: str = Field(description="the address of the photo")
    thumbnail_url: str = Field(description="the address of its thumbnail")


class PhotoList(BaseModel):
    items: list[PhotoOut] = Field(description="the photos, oldest first")


class NoteOut(BaseModel):
    id: int
    ticket_id: int
    body: str
    author_name: Optional[str]
    created_at: datetime


class NoteList(BaseModel):
    items: list[NoteOut] = Field(description="at most `limit` notes, oldest first")
    has_more: bool = Field(description="true when notes after these were left out")
    next_after_id: Optional[int] = Field(
        description="when `has_more`, the `after_id` that gives the next notes; else null"
    )


class HistoryItem(BaseModel):
    at: datetime
    role: Role
    name: Optional[str]
    field: str
    old_value: Optional[str]
    new_value: Optional[str]


class HistoryList(BaseModel):
    items: list[HistoryItem] = Field(
        description="every change of the ticket, oldest first; never cut to a limit"
    )


class CategoryOut(BaseModel):
    key: CategoryKey
    label: str
    description: str


class StatusOut(BaseModel):
    key: Status
    label: str
    description: str


class TransitionOut(BaseModel):
    from_status: Status = Field(alias="from")
    to: Status
    action: str = Field(description="what the helpdesk's button says")
    roles: list[Role] = Field(description="who may make this move")


class Workflow(BaseModel):
    statuses: list[StatusOut] = Field(description="every status, in workflow order")
    transitions: list[TransitionOut] = Field(description="the only moves a ticket can make")
    editable: dict[Role, list[str]] = Field(description="the fields each role may change")
    visible: dict[Role, list[Status]] = Field(description="the statuses each role can see")


class ClassifyOut(BaseModel):
    category: CategoryKey
    confidence: float = Field(ge=0, le=1)
    scores: dict[CategoryKey, float]


class Health(BaseModel):
    status: Literal["ok"]
    database: Literal["ok"]
    schema_version: int = Field(description="The database's schema version")
    schema_expected: int = Field(description="The schema version this release needs")
    model: Literal["ready", "loading"] = Field(description="Whether the category model is loaded")


class StatusCounts(BaseModel):
    open: int
    active: int
    closed: int


class MonthResolution(BaseModel):
    month: str = Field(pattern=MONTH)
    average_hours: float
    closed_tickets: int = Field(ge=1)


class ResolutionTimes(BaseModel):
    time_zone: str
    months: list[MonthResolution]


class CategoryCount(BaseModel):
    category: CategoryKey
    label: str
    active: int = Field(ge=0)


class ActiveByCategory(BaseModel):
    categories: list[CategoryCount]


class Problem(BaseProblem):
    """An RFC 9457 problem document."""

    current: Optional[TicketOut] = Field(
        None, description="the ticket as it is now (stale If-Match)"
    )
    retry_after: Optional[int] = Field(
        None, ge=1, description="seconds to wait before trying again (429), as in Retry-After"
    )
