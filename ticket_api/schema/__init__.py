"""The schema steps, one module each, in order.

A step module is frozen once released: it creates what its step needs from the SQL written
in it, never from today's models, so a database created today and one upgraded from the
first release end up with the same tables, columns, indexes and triggers. A change of the
schema is a new step. Code that needs the current definition of an object (the search index
triggers, the analytics triggers) imports it from the latest step that defines it.
"""

from ticket_api.schema import (
    step_1_tickets,
    step_2_classifier_feedback,
    step_3_sort_indexes,
    step_4_text_search,
    step_5_analytics_totals,
    step_6_search_parity,
    step_7_rate_limits,
    step_8_follow_links,
    step_9_notices,
    step_10_ratings,
    step_11_mail,
    step_12_followers,
    step_13_internal_notes,
    step_14_rating_totals,
    step_15_search_prefixes,
    step_16_photos,
    step_17_search_terms,
    step_18_unclosed_search,
    step_19_search_by_category,
    step_20_change_notices,
)

STEPS = (
    step_1_tickets.apply,
    step_2_classifier_feedback.apply,
    step_3_sort_indexes.apply,
    step_4_text_search.apply,
    step_5_analytics_totals.apply,
    step_6_search_parity.apply,
    step_7_rate_limits.apply,
    step_8_follow_links.apply,
    step_9_notices.apply,
    step_10_ratings.apply,
    step_11_mail.apply,
    step_12_followers.apply,
    step_13_internal_notes.apply,
    step_14_rating_totals.apply,
    step_15_search_prefixes.apply,
    step_16_photos.apply,
    step_17_search_terms.apply,
    step_18_unclosed_search.apply,
    step_19_search_by_category.apply,
    step_20_change_notices.apply,
)
