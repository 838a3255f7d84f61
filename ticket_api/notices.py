"""Campus notices: the known problems the helpdesk announces. Active ones show on the
students' pages, and the report form points to one when what a person types matches it."""

from __future__ import annotations

from datetime import datetime

from kit.problems import ApiProblem
from ticket_api.context import Actor
from ticket_api.models import Notice
from ticket_api.schema.step_6_search_parity import words
from ticket_api.timefields import utcnow

#: Words that say nothing about which problem a text is about (English and Italian).
STOP_WORDS = frozenset(
    """a an and are as at be been but by can do does for from has have i if in is it its
    me my no not of on or our so that the their there this to up us was we were what when
    where which who will with you your il lo la le gli un una uno di da del della dei delle
    nel nella in con su per tra fra che non sono siamo ci si e ed o ma come anche
    questo questa quello quella""".split()
)
#: A text matches a notice when they share this many of the notice's words (or all of them
#: when it has fewer).
SHARED_WORDS = 2


def key_words(text: str) -> set[str]:
    """The words of a text that can tell problems apart: folded as search folds them (accents
    and case do not count), without stop words; two short neighbours are also read as one
    word, so "Wi-Fi" and "wifi" meet."""
    found = words(text)
    keys = {w for w in found if w not in STOP_WORDS}
    keys |= {a + b for a, b in zip(found, found[1:]) if {a, b} <= keys and len(a + b) <= 6}
    return keys


def matches(notice_text: str, typed: str) -> bool:
    """Whether typed seems to be about the problem of the notice."""
    wanted = key_words(notice_text)
    if not wanted:
        return False
    return len(wanted & key_words(typed)) >= min(SHARED_WORDS, len(wanted))


def active(now: datetime | None = None) -> list[Notice]:
    """The notices shown now, newest first."""
    now = now or utcnow()
    return list(
        Notice.select()
        .where(Notice.ends_at.is_null() | (Notice.ends_at > now))
        .order_by(Notice.created_at.desc(), Notice.id.desc())
    )


def everything() -> list[Notice]:
    """Every notice, ended ones too, newest first."""
    return list(Notice.select().order_by(Notice.created_at.desc(), Notice.id.desc()))


def post(text: str, ends_at: datetime | None, actor: Actor) -> Notice:
    """Announce a notice (helpdesk only)."""
    _helpdesk_only(actor)
    now = utcnow()
    if ends_at is not None and ends_at <= now:
        raise ApiProblem(
            422,
            "A notice must end in the future.",
            errors=[{"field": "ends_at", "message": "must be later than now"}],
        )
    return Notice.create(text=text, author_name=actor.name, created_at=now, ends_at=ends_at)


def remove(notice_id: int, actor: Actor) -> None:
    """Take a notice down (helpdesk only)."""
    _helpdesk_only(actor)
    if not 0 < notice_id <= 2**63 - 1 or not Notice.delete_by_id(notice_id):
        raise ApiProblem(404, f"There is no notice {notice_id}.")


def _helpdesk_only(actor: Actor) -> None:
    if not actor.is_helpdesk:
        raise ApiProblem(403, "Only the helpdesk posts and removes campus notices.")
