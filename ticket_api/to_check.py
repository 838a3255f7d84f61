""" "Category to be checked": a category set automatically with a winning probability under
the calibrated threshold (ticket_api.classifier.categories.CHECK_BELOW). The rule lives here
once, as Python for one ticket and as SQL for the list filter, for both databases."""

from __future__ import annotations

from ticket_api.classifier.categories import CHECK_BELOW

FIELD = "category_to_check"


def category_to_check(ticket) -> bool:
    """Whether the helpdesk should look at the ticket's category (a row dict or a model)."""
    get = ticket.get if isinstance(ticket, dict) else (lambda name: getattr(ticket, name))
    confidence = get("category_confidence")
    return get("category_source") == "auto" and confidence is not None and confidence < CHECK_BELOW


def clause(wanted: bool, p: str) -> tuple[str, list]:
    """The WHERE condition, with its parameters, of tickets whose flag is ``wanted``."""
    if wanted:
        return f"(category_source = 'auto' AND category_confidence < {p})", [CHECK_BELOW]
    return (
        f"(category_source <> 'auto' OR category_confidence IS NULL OR category_confidence >= {p})",
        [CHECK_BELOW],
    )


def for_role(ticket, role: str) -> dict:
    """The flag as an extra member of a ticket answer: for the helpdesk, nobody else."""
    return {FIELD: category_to_check(ticket)} if role == "helpdesk" else {}


def mark(items: list[dict], role: str) -> list[dict]:
    """The ticket dicts of a list with the flag added for the helpdesk."""
    if role == "helpdesk":
        for item in items:
            item[FIELD] = category_to_check(item)
    return items
