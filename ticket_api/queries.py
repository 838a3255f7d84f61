"""The hot read paths (list, count, one ticket) as plain parameterised SQL: building them with
the ORM on every request cost as much as running them."""

from __future__ import annotations

import re

from ticket_api.db import database, is_postgres
from ticket_api.migrations import SEARCH_DOCUMENT
from ticket_api.models import STATUSES, VISIBLE_STATUSES
from ticket_api.rollups import campus_day, campus_hour
from ticket_api.schemas import SORT_KEYS, TicketListQuery
from ticket_api.serialize import TICKET_FIELDS
from ticket_api.timefields import from_epoch, to_epoch

SELECT = f"SELECT {', '.join(TICKET_FIELDS)} FROM ticket"
TIME_FIELDS = {
    TICKET_FIELDS.index(name)
    for name in ("opened_at", "modified_at", "closed_at", "first_response_at")
}
#: Sort keys come from a closed list (the schema's), so they may be written into SQL.
SORTABLE = frozenset(SORT_KEYS)
#: Sortable columns that may be empty; they sort last both ways.
NULLABLE = frozenset({"closed_at", "category_confidence"})
#: Filters the per-status-and-category totals cannot answer: with any of them, rows are counted.
UNTALLIED = frozenset(TicketListQuery.model_fields) - {
    "status",
    "category",
    "sort",
    "page",
    "per_page",
}


WORD = re.compile(r"[^\W_]+")


def search_words(q: str | None) -> list[str]:
    """The searchable words of a query: runs of letters and digits, lower-cased."""
    return WORD.findall(q.lower())[:20] if q else []


def _text_match(words: list[str], p: str) -> tuple[str, str]:
    """SQL matching tickets having, for each word, a word that starts with it."""
    if is_postgres():
        query = " & ".join(f"'{w}':*" for w in words)
        return f"to_tsvector('simple', {SEARCH_DOCUMENT}) @@ to_tsquery('simple', {p})", query
    query = " AND ".join(f'"{w}"*' for w in words)
    return f"id IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH {p})", query


def _statuses(query: TicketListQuery, role: str) -> set[str]:
    """The statuses asked for that the role may see (all it may see when none are asked)."""
    visible = set(VISIBLE_STATUSES[role])
    return set(query.status.split(",")) & visible if query.status else visible


def where(query: TicketListQuery, role: str) -> tuple[str, list]:
    """The WHERE clause of the list filters as the role may see them, with its parameters."""
    p = database.obj.param
    clauses, params = [], []
    statuses = _statuses(query, role)
    if len(statuses) < len(STATUSES):
        ordered = sorted(statuses)
        clauses.append(f"status IN ({', '.join([p] * len(ordered))})" if ordered else "1 = 0")
        params += ordered
    if query.category:
        keys = sorted(set(query.category.split(",")))
        clauses.append(f"category IN ({', '.join([p] * len(keys))})")
        params += keys
    words = search_words(query.q)
    if words:
        clause, match = _text_match(words, p)
        clauses.append(clause)
        params.append(match)
    if query.opened_after is not None:
        clauses.append(f"opened_at >= {p}")
        params.append(to_epoch(query.opened_after))
    if query.opened_before is not None:
        clauses.append(f"opened_at < {p}")
        params.append(to_epoch(query.opened_before))
    _analytics_filters(query, p, clauses, params)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _analytics_filters(query: TicketListQuery, p: str, clauses: list, params: list) -> None:
    """The filters that the analytics page links with: closing range, open at an instant,
    answered or not, weekday and hour of opening in campus time (as rollups.py counts)."""
    if query.closed_after is not None:
        clauses.append(f"closed_at >= {p}")
        params.append(to_epoch(query.closed_after))
    if query.closed_before is not None:
        clauses.append(f"closed_at < {p}")
        params.append(to_epoch(query.closed_before))
    if query.open_at is not None:
        clauses.append(f"opened_at < {p} AND (closed_at IS NULL OR closed_at >= {p})")
        params += [to_epoch(query.open_at)] * 2
    if query.answered is not None:
        clauses.append(f"first_response_at IS {'NOT ' if query.answered else ''}NULL")
    if query.opened_weekday is not None:
        day = campus_day("opened_at")
        clauses.append(f"({day} + 3 - ({day} + 3) / 7 * 7) = {p}")
        params.append(query.opened_weekday - 1)
    if query.opened_hour is not None:
        clauses.append(f"{campus_hour('opened_at')} = {p}")
        params.append(query.opened_hour)


def order_by(sort: str) -> str:
    """ORDER BY for a sort key, ties broken by id in the same direction; nulls last."""
    column = sort.lstrip("-")
    if column not in SORTABLE:
        raise ValueError(f"not a sort key: {sort}")
    direction = "DESC" if sort.startswith("-") else "ASC"
    tie = "" if column == "id" else f", id {direction}"
    if column not in NULLABLE:  # PostgreSQL then reads its index backwards for DESC
        return f" ORDER BY {column} {direction}{tie}"
    return f" ORDER BY {column} {direction} NULLS LAST{tie}"


def row_dict(row: tuple) -> dict:
    """A ticket row as the API shows it."""
    out = dict(zip(TICKET_FIELDS, row))
    for index in TIME_FIELDS:
        name = TICKET_FIELDS[index]
        value = out[name]
        out[name] = None if value is None else from_epoch(value).isoformat()
    return out


def _tallied_total(query: TicketListQuery, role: str) -> int | None:
    """The total of a list filtered by status and category only, read from the totals that
    every write keeps (ticket_tally) instead of counting up to a million rows; None when
    other filters apply."""
    if any(getattr(query, name) not in (None, "") for name in UNTALLIED):
        return None
    statuses = _statuses(query, role)
    if not statuses:
        return 0
    p = database.obj.param
    params = sorted(statuses)
    marks = ", ".join([p] * len(params))
    sql = f"SELECT COALESCE(SUM(tickets), 0) FROM ticket_tally WHERE status IN ({marks})"
    if query.category:
        keys = sorted(set(query.category.split(",")))
        sql += f" AND category IN ({', '.join([p] * len(keys))})"
        params += keys
    return int(database.execute_sql(sql, params).fetchone()[0])


def list_page(query: TicketListQuery, role: str) -> tuple[list[dict], int]:
    """One page of tickets and the total matching the filters."""
    p = database.obj.param
    clause, params = where(query, role)
    total = _tallied_total(query, role)
    if total is None:
        total = database.execute_sql(f"SELECT COUNT(*) FROM ticket{clause}", params).fetchone()[0]
    offset = (query.page - 1) * query.per_page
    if offset >= total:
        return [], total
    sql = f"{SELECT}{clause}{order_by(query.sort)} LIMIT {p} OFFSET {p}"
    rows = database.execute_sql(sql, params + [query.per_page, offset]).fetchall()
    return [row_dict(row) for row in rows], total


def one(ticket_id: int, role: str) -> dict | None:
    """One ticket as the API shows it, or None when unknown or hidden from the role."""
    if not 0 < ticket_id <= 2**63 - 1:
        return None
    row = database.execute_sql(
        f"SELECT {', '.join(TICKET_FIELDS)} FROM ticket WHERE id = {database.obj.param}",
        [ticket_id],
    ).fetchone()
    if row is None or row[TICKET_FIELDS.index("status")] not in VISIBLE_STATUSES[role]:
        return None
    return row_dict(row)
