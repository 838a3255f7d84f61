"""The report form: live category preview, validation, creation."""

from __future__ import annotations

import re

import flask
from dash import (
    ClientsideFunction,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    html,
    no_update,
)

from callbacks.photos import send_photos
from components.common import problem_alert
from components.layout import NAME_STORE
from components.my_reports import MY_REPORTS, follow_path, remember
from components.photos import ids as photo_ids
from components.report import (
    FEEDBACK,
    FIELDS,
    REPORT_CREATED,
    REPORT_DESCRIPTION,
    REPORT_EMAIL,
    REPORT_EMAIL_HINT,
    REPORT_LOCATION,
    REPORT_NAME,
    REPORT_PREVIEW,
    REPORT_RESULT,
    REPORT_SUBMIT,
    REPORT_TEXT,
    REPORT_TITLE,
    category_preview,
    confirmation,
    email_field_state,
)
from components.ticket_detail import REPORTER
from dash_app import api_client
from dash_app.api_client import ApiError
from kit.limits import EMAIL_MAX_LENGTH, EMAIL_PATTERN, MY_REPORTS_KEPT

MIN_PREVIEW_CHARS = 12
PHOTOS = photo_ids("report")
ORDER = ("title", "description", "location", "reporter_name")


def validate_report(values: dict) -> dict[str, str]:
    """The messages for fields that break the rules of SPEC section 2 (empty when all is fine)."""
    errors = {}
    title = (values.get("title") or "").strip()
    description = (values.get("description") or "").strip()
    if len(title) < 3:
        errors["title"] = "Please give a title of at least 3 characters."
    elif len(title) > 120:
        errors["title"] = "Please keep the title to 120 characters or fewer."
    if not description:
        errors["description"] = "Please describe the problem."
    elif len(description) > 10000:
        errors["description"] = "Please keep the description to 10,000 characters or fewer."
    for name in ("location", "reporter_name"):
        limit = FIELDS[name][2]
        if len((values.get(name) or "").strip()) > limit:
            errors[name] = f"Please keep this to {limit} characters or fewer."
    email = (values.get("email") or "").strip()
    if email and (len(email) > EMAIL_MAX_LENGTH or not re.fullmatch(EMAIL_PATTERN, email)):
        errors["email"] = (
            "Please give an e-mail address such as ada@campus.example, or leave it empty."
        )
    return errors


def _field_outputs(errors: dict[str, str]) -> list:
    invalid = [name in errors for name in ORDER]
    messages = [errors.get(name, "") for name in ORDER]
    return invalid + messages


def _confirmed(thanks, refused):
    """The confirmation, with the reason the photos were not added when they were not."""
    return thanks if refused is None else html.Div([thanks, refused])


def _email_outputs(errors: dict[str, str], value=no_update) -> list:
    return ["email" in errors, errors.get("email", ""), value]


# The browser waits until typing pauses before asking for a preview (no request per key).
clientside_callback(
    ClientsideFunction(namespace="campusdesk", function_name="pausedText"),
    Output(REPORT_TEXT, "data"),
    Input(REPORT_TITLE, "value"),
    Input(REPORT_DESCRIPTION, "value"),
)


@callback(Output(REPORT_PREVIEW, "children"), Input(REPORT_TEXT, "data"))
def update_category_preview(text):
    """Ask the API which category the text so far would get."""
    text = (text or "").strip()
    if len(text) < MIN_PREVIEW_CHARS:
        return category_preview(None)
    try:
        guess = api_client.for_role("user").classify(text)
    except ApiError:
        # The preview is a nicety: when it fails the form still works.
        return category_preview(None)
    return category_preview(guess, api_client.vocabulary().categories)


@callback(
    [Output(REPORT_RESULT, "children"), Output(REPORT_CREATED, "data")]
    + [Output(FIELDS[n][0], "invalid") for n in ORDER]
    + [Output(FEEDBACK[n], "children") for n in ORDER]
    + [
        Output(REPORT_TITLE, "value"),
        Output(REPORT_DESCRIPTION, "value"),
        Output(REPORT_LOCATION, "value"),
        Output(NAME_STORE, "data", allow_duplicate=True),
        Output(MY_REPORTS, "data", allow_duplicate=True),
        Output(REPORT_EMAIL, "invalid"),
        Output(FEEDBACK["email"], "children"),
        Output(REPORT_EMAIL, "value"),
        Output(PHOTOS["store"], "data", allow_duplicate=True),
        Output(PHOTOS["chosen"], "children", allow_duplicate=True),
    ],
    Input(REPORT_SUBMIT, "n_clicks"),
    State(REPORT_TITLE, "value"),
    State(REPORT_DESCRIPTION, "value"),
    State(REPORT_LOCATION, "value"),
    State(REPORT_NAME, "value"),
    State(MY_REPORTS, "data"),
    State(REPORT_EMAIL, "value"),
    State(PHOTOS["store"], "data"),
    prevent_initial_call=True,
)
def on_submit_report(
    clicks, title, description, location, name, reports=None, email=None, photos=None
):
    """Validate the report, create the ticket, send its photos, and confirm it with its
    number and its private follow link, which this browser remembers in My reports."""
    if not clicks:
        return [no_update] * 20
    unsent = [no_update, no_update]
    values = {
        "title": title,
        "description": description,
        "location": location,
        "reporter_name": name,
        "email": email,
    }
    keep = [no_update] * 5
    errors = validate_report(values)
    if errors:
        return [None, no_update] + _field_outputs(errors) + keep + _email_outputs(errors) + unsent
    payload = {k: v.strip() for k, v in values.items() if v and v.strip()}
    try:
        ticket = api_client.for_role("user", payload.get("reporter_name")).create_ticket(payload)
    except ApiError as error:
        api_errors = {
            k if k in FIELDS else k.split(".")[-1]: v for k, v in error.field_errors().items()
        }
        return (
            [problem_alert(error), no_update]
            + _field_outputs(api_errors)
            + keep
            + _email_outputs(api_errors)
            + unsent
        )
    cleared = ["", "", "", payload.get("reporter_name") or no_update]
    token = ticket.get("follow_token")
    url = flask.request.host_url.rstrip("/") + follow_path(token) if token else ""
    mine = remember(reports, token, ticket, seen=0, keep=MY_REPORTS_KEPT) if token else no_update
    categories = api_client.vocabulary().categories
    # the ticket exists: its photos go through its follow link, as its reporter
    then = "Your report was sent: open it to add other photos under it."
    refused = send_photos(api_client.for_role(REPORTER), token, photos, then=then)
    return (
        [_confirmed(confirmation(ticket, categories, url), refused), ticket["id"]]
        + _field_outputs({})
        + cleared
        + [mine]
        + _email_outputs({}, "")
        + [[], []]
    )


@callback(
    Output(REPORT_EMAIL, "disabled"),
    Output(REPORT_EMAIL_HINT, "children"),
    Input(REPORT_EMAIL, "id"),
)
def offer_email_field(_id):
    """Offer the e-mail field only when the helpdesk sends e-mail notifications."""
    return email_field_state(api_client.mail_notifications())


@callback(Output(REPORT_NAME, "value"), Input(REPORT_NAME, "id"), State(NAME_STORE, "data"))
def prefill_reporter_name(_id, name):
    """Start the name field with the name given on the landing page."""
    return name or ""
