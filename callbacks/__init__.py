"""The dashboard's callbacks; importing this package registers all of them."""

from callbacks import helpdesk, messages, report, roles, ticket_detail, tickets, workflow  # noqa: F401
