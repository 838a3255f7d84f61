"""The API's own Prometheus metrics, beside the request counts of kit.metrics: tickets and
messages created, and how long the classifier takes (docs/deployment.md, "Metrics")."""

from __future__ import annotations

from kit.metrics import counter, histogram

TICKETS_CREATED = counter("campusdesk_tickets_created", "Tickets created through the API.")
MESSAGES_CREATED = counter("campusdesk_messages_created", "Messages posted through the API.")
NOTES_CREATED = counter("campusdesk_notes_created", "Internal notes written through the API.")
CLASSIFIER_SECONDS = histogram(
    "campusdesk_classifier_duration_seconds",
    "Time the category classifier takes for one text.",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
RATE_LIMITED = counter(
    "campusdesk_rate_limited",
    "Requests refused with 429 by the rate limits, by action (tickets, messages).",
    ("action",),
)
RATE_LIMIT_STORE_ERRORS = counter(
    "campusdesk_rate_limit_store_errors",
    "Attempts let through because the rate limit counter store (Redis) did not answer.",
)
MAILS_SENT = counter(
    "campusdesk_mails_sent", "Notices the mail server accepted (served by the mail worker)."
)
MAIL_FAILURES = counter(
    "campusdesk_mail_failures",
    "Failed attempts to send a notice, by outcome: retry (tried again later) or gave_up.",
    ("outcome",),
)
READ_CACHE = counter(
    "campusdesk_read_cache_answers",
    "Answers of the hot reads, by result: hit (served from the process's kept answers) or "
    "miss (read from the database).",
    ("result",),
)
