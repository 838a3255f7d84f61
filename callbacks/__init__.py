"""The dashboard's callbacks; importing this package registers all of them."""

from callbacks import (  # noqa: F401
    analytics,
    duplicates,
    helpdesk,
    link_filters,
    messages,
    my_reports,
    notes,
    notices,
    photos,
    rating,
    report,
    roles,
    ticket_detail,
    tickets,
    unsubscribe,
    workflow,
)
