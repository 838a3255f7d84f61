"""Small shared builders: status and category badges, dates, error alerts, page headers."""

from __future__ import annotations

from datetime import datetime, tzinfo

import dash_bootstrap_components as dbc
from dash import dcc, html

# Labels come from the ticket API (passed in as key -> label); these tables only dress them.
STATUS_ICONS = {
    "open": "bi-envelope-open",
    "active": "bi-hourglass-split",
    "closed": "bi-check-circle",
}
STATUS_STYLES = {"open": "info", "active": "warning", "closed": "secondary"}
CATEGORY_ICONS = {"facility": "bi-building", "it": "bi-wifi", "services": "bi-cup-hot"}
#: What the helpdesk reads on a ticket whose automatic category the API says to check.
TO_CHECK_TEXT = "Category to be checked"
SPINNER_COLOUR = "#1d4ed8"


#: The style of a card a callback shows or hides.
SHOWN = {"display": "block"}
HIDDEN = {"display": "none"}


def icon(name: str, extra: str = "") -> html.I:
    """A decorative Bootstrap icon, hidden from screen readers."""
    return html.I(className=f"bi {name} {extra}".strip(), **{"aria-hidden": "true"})


def status_badge(status: str, labels: dict[str, str]) -> html.Span:
    """The status as a badge with an icon and its name (never colour alone)."""
    style = STATUS_STYLES.get(status, "secondary")
    return html.Span(
        [icon(STATUS_ICONS.get(status, "bi-question-circle"), "me-1"), labels.get(status, status)],
        className=f"badge rounded-pill status-badge text-{style}-emphasis bg-{style}-subtle "
        f"border border-{style}-subtle",
    )


def category_badge(category: str | None, labels: dict[str, str]) -> html.Span:
    """The category as a badge with an icon and its label."""
    label = labels.get(category or "", category or "Uncategorised")
    return html.Span(
        [icon(CATEGORY_ICONS.get(category or "", "bi-tag"), "me-1"), label],
        className="badge rounded-pill category-badge text-dark bg-light border",
    )


def choices(labels: dict[str, str]) -> list[dict]:
    """Select options for every key of labels, in their order."""
    return [{"label": label, "value": key} for key, label in labels.items()]


def joined(keys, labels: dict[str, str], word: str = "and", lower: bool = False) -> str:
    """Several labels as one phrase: 'Open and active', 'Facility management or Technical IT'."""
    names = [labels.get(key, key) for key in keys]
    if lower:  # a phrase, not a list of titles: 'Open and active'
        names[1:] = [name[:1].lower() + name[1:] for name in names[1:]]
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {word} {names[-1]}"


def confidence_text(confidence: float | None, source: str | None) -> str:
    """How sure the category is, in words people read."""
    if source == "helpdesk":
        return "Set by the helpdesk"
    if confidence is None:
        return "Set automatically"
    return f"Set automatically, {round(float(confidence) * 100)}% confident"


def to_check_badge(ticket: dict) -> html.Span | None:
    """ "Category to be checked" when the API flags the ticket (it does so for the helpdesk
    only); None otherwise."""
    if ticket.get("category_to_check") is not True:
        return None
    return html.Span(
        [icon("bi-question-diamond", "me-1"), TO_CHECK_TEXT],
        className="badge rounded-pill text-bg-warning category-to-check ms-1",
    )


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 time from the API, or None."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def format_day(moment: datetime) -> str:
    """A day as people write it, like '1 Mar 2026'."""
    return moment.strftime("%d %b %Y").lstrip("0")


def format_time(value: str | None, zone: tzinfo | None, empty: str = "—") -> str:
    """An API time shown in the campus time zone, like '24 Nov 2026, 11:15'."""
    moment = parse_time(value)
    if moment is None:
        return empty
    if zone is not None:
        moment = moment.astimezone(zone)
    return moment.strftime("%d %b %Y, %H:%M").lstrip("0")


def error_alert(
    title: str, detail: str = "", color: str = "danger", className: str = ""
) -> dbc.Alert:
    """A problem shown to people: its title in bold, then what it means."""
    return dbc.Alert(
        [
            icon("bi-exclamation-triangle-fill", "me-2"),
            html.Strong(title),
            html.Span(f" {detail}" if detail else ""),
        ],
        color=color,
        className=className,
    )


def problem_alert(error) -> dbc.Alert:
    """An ApiError (anything with title and detail) as an alert; a rate limit (429) as a
    request to wait, which the forms show above what the person typed, kept as it was."""
    if getattr(error, "status", None) == 429:
        return error_alert(
            "Please wait a moment.",
            f"{getattr(error, 'detail', '')} What you wrote is kept here.".strip(),
            color="warning",
        )
    return error_alert(
        getattr(error, "title", "Something went wrong"), getattr(error, "detail", "")
    )


def page_header(
    title, subtitle: str | None = None, back: tuple[str, str] | None = None
) -> html.Div:
    """The heading block of a page: optional back link, h1 and a short explanation."""
    children = []
    if back:
        children.append(
            html.A(
                [icon("bi-arrow-left", "me-1"), back[1]],
                href=back[0],
                className="back-link small d-inline-block mb-2",
            )
        )
    children.append(html.H1(title, className="h3 mb-1 page-title"))
    if subtitle:
        children.append(html.P(subtitle, className="text-body-secondary mb-0"))
    return html.Div(children, className="mb-4")


def fact(label: str, value, value_id: str | None = None) -> html.Div:
    """One labelled fact in a definition-style list."""
    extra = {"id": value_id} if value_id else {}
    return html.Div(
        [
            html.Dt(label, className="small text-body-secondary fw-normal"),
            html.Dd(value, className="mb-2", **extra),
        ],
        className="fact",
    )


def loading(child, **options) -> dcc.Loading:
    """The progress indicator shown while a callback fills ``child``."""
    return dcc.Loading(child, type="dot", color=SPINNER_COLOUR, **options)


def section_card(title: str, glyph: str, body_id: str) -> dbc.Card:
    """A titled card whose body a callback fills, with progress shown meanwhile."""
    return dbc.Card(
        [
            dbc.CardHeader(html.H2([icon(glyph, "me-2"), title], className="h5 mb-0")),
            dbc.CardBody(loading(html.Div(id=body_id))),
        ],
        className="shadow-sm border-0 mb-4",
    )
