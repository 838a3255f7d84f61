"""The hot read paths (list, count, one ticket) as plain parameterised SQL: building them with
the ORM on every request cost as much as running them."""

from __future__ import annotations

from ticket_api.db import database, is_postgres
from ticket_api.models import STATUSES, VISIBLE_STATUSES
from ticket_api.rollups import campus_day, campus_hour
from ticket_api.schemas import SORT_KEYS, TicketListQuery
from ticket_api.search import query_words, text_match
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
#: Lists with other filters than status and category count their matches up to this many.
COUNT_LIMIT = 1000
#: Filters the per-status-and-category totals cannot answer: with any of them, rows are counted.
UNTALLIED = frozenset(TicketListQuery.model_fields) - {
    "status",
    "category",
    "sort",
    "page",
    "per_page",
}


def _statuses(query: TicketListQuery, role: str) -> set[str]:
    """The statuses asked for that the role may see (all it may see when none are asked)."""
    visible = set(VISIBLE_STATUSES[role])
    return set(query.status.split(",")) & visible if query.status else visible


def _scope(query: TicketListQuery, role: str) -> tuple[list[str] | None, list[str]]:
    """The statuses a list is limited to (None: every status; empty: none at all) and its
    categories (empty: every category)."""
    statuses = sorted(_statuses(query, role))
    keys = sorted(set(query.category.split(","))) if query.category else []
    return (statuses if len(statuses) < len(STATUSES) else None), keys


def where(query: TicketListQuery, role: str, walk: bool = False) -> tuple[str, list]:
    """The WHERE clause of the list filters as the role may see them, with its parameters.
    ``walk``: many tickets match the text; let SQLite walk the sort's index and keep the
    matches, instead of reading every match and sorting them (a unary plus keeps its planner
    from looking the matches up by id first)."""
    p = database.obj.param
    clauses, params = [], []
    statuses, keys = _scope(query, role)
    if statuses:
        clauses.append(f"status IN ({', '.join([p] * len(statuses))})")
        params += statuses
    elif statuses is not None:
        clauses.append("1 = 0")
    if keys:
        clauses.append(f"category IN ({', '.join([p] * len(keys))})")
        params += keys
    words = query_words(query.q)
    if words:
        clause, match = text_match(words, statuses, keys)
        clauses.append(f"+{clause}" if walk and not is_postgres() else clause)
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
    """ORDER BY for a sort key, ties broken by id in the same direction; empty values last.
    Titles sort by their folded key, byte by byte on both databases (schema step 6)."""
    column = sort.lstrip("-")
    if column not in SORTABLE:
        raise ValueError(f"not a sort key: {sort}")
    direction = "DESC" if sort.startswith("-") else "ASC"
    tie = "" if column == "id" else f", id {direction}"
    if column == "title":
        column = 'title_key COLLATE "C"' if is_postgres() else "title_key"
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


def _other_filters(query: TicketListQuery) -> set[str]:
    """The filters in use that the per-status-and-category totals cannot answer."""
    return {name for name in UNTALLIED if getattr(query, name) not in (None, "")}


def _tallied_total(query: TicketListQuery, role: str) -> int | None:
    """The total of a list filtered by status and category only, read from the totals that
    every write keeps (ticket_tally) instead of counting up to a million rows; None when
    other filters apply."""
    if _other_filters(query):
        return None
    statuses, keys = _scope(query, role)
    if statuses == []:
        return 0
    p = database.obj.param
    clauses, params = [], []
    for column, values in (("status", statuses), ("category", keys)):
        if values:
            clauses.append(f"{column} IN ({', '.join([p] * len(values))})")
            params += values
    sql = "SELECT COALESCE(SUM(tickets), 0) FROM ticket_tally"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    return int(database.execute_sql(sql, params).fetchone()[0])


def _counted_total(query: TicketListQuery, role: str, clause: str, params: list) -> int:
    """How many tickets match, counted up to one more than COUNT_LIMIT. A text search with
    no other filter than status and category is counted by SQLite's index alone."""
    limit = COUNT_LIMIT + 1
    scope = _scope(query, role)
    words = query_words(query.q)
    if words and not is_postgres() and _other_filters(query) <= {"q"} and scope[0] != []:
        p = database.obj.param
        sql = f"SELECT rowid FROM ticket_search WHERE ticket_search MATCH {p} LIMIT {limit}"
        _, match = text_match(words, *scope)
        return database.execute_sql(f"SELECT COUNT(*) FROM ({sql}) AS t", [match]).fetchone()[0]
    sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM ticket{clause} LIMIT {limit}) AS t"
    return database.execute_sql(sql, params).fetchone()[0]


def list_page(query: TicketListQuery, role: str) -> tuple[list[dict], int, bool]:
    """One page of tickets, the total matching the filters and whether it is exact.

    Lists filtered by status and category only read their total from the tallies. Other
    filters (text, dates, ...) are counted up to :data:`COUNT_LIMIT`: beyond it the total is
    given as "more than COUNT_LIMIT" (``exact`` False), because counting every one of a
    hundred thousand matches would cost more than finding the page."""
    p = database.obj.param
    clause, params = where(query, role)
    total, exact = _tallied_total(query, role), True
    if total is None:
        total = _counted_total(query, role, clause, params)
        if total > COUNT_LIMIT:
            total, exact = COUNT_LIMIT, False
    offset = (query.page - 1) * query.per_page
    if exact and offset >= total:
        return [], total, exact
    if not exact and query_words(query.q):
        clause, params = where(query, role, walk=True)
    sql = f"{SELECT}{clause}{order_by(query.sort)} LIMIT {p} OFFSET {p}"
    rows = database.execute_sql(sql, params + [query.per_page, offset]).fetchall()
    return [row_dict(row) for row in rows], total, exact


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
