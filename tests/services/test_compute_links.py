"""The list filters behind each number of the analyses (metrics_services/compute.py)."""

from __future__ import annotations

from metrics_services import compute


def test_ranges_list_their_tickets_by_the_range_column_newest_first():
    closed = compute.tickets(closed_after=0, closed_before=3600, category="it")
    assert closed["sort"] == "-closed_at" and closed["category"] == "it"
    opened = compute.tickets(status="open,active", opened_after=None, opened_before=3600)
    assert opened["sort"] == "-opened_at" and "opened_after" not in opened
    # a closing range wins over an opening one; a sort given is kept; no range, no sort
    both = compute.tickets(opened_after=0, closed_before=3600)
    assert both["sort"] == "-closed_at"
    assert compute.tickets(closed_after=0, sort="title")["sort"] == "title"
    assert "sort" not in compute.tickets(status="open", opened_after=None, answered=False)
