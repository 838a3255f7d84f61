"""The hot read paths (list, count, one ticket) as plain parameterised SQL: building them with
the ORM on every request cost as much as running them."""

from __future__ import annotations

import orjson

from ticket_api import to_check
from ticket_api.db import database, is_postgres
from ticket_api.models import CONTACT_FIELDS, STATUSES, VISIBLE_STATUSES
from ticket_api.rollups import campus_day, campus_hour
from ticket_api.schemas import SORT_KEYS, TicketListQuery
from ticket_api.search import estimated_share, query_words, search_index, text_match, word_scan
from ticket_api.serialize import KEPT_COLUMNS, TICKET_FIELDS
from ticket_api.timefields import epoch_iso, to_epoch

SELECT = f"SELECT {', '.join(TICKET_FIELDS + KEPT_COLUMNS)} FROM ticket"
STATUS = TICKET_FIELDS.index("status")
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


def where(
    query: TicketListQuery,
    role: str,
    walk: bool = False,
    scan: bool = False,
    ids: list[int] | None = None,
    narrow: bool = True,
) -> tuple[str, list]:
    """The WHERE clause of the list filters as the role may see them, with its parameters.
    ``walk``: many tickets match the text; let SQLite walk the sort's index and keep the
    matches, instead of reading every match and sorting them (a unary plus keeps its planner
    from looking the matches up by id first). ``scan``: so many match that the page is found
    within a few rows of the sort's index, each ticket's words read as it goes (no index).
    ``ids`` (SQLite): every ticket the text matches, already read from the search index.
    ``narrow`` False (SQLite): the search index gives the tickets of the categories having
    the words, and the statuses are kept from those (see :func:`text_match`)."""
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
    if words and ids is not None:
        clauses.append(f"id IN (SELECT value FROM json_each({p}))")
        params.append(orjson.dumps(ids).decode())
    elif words and scan:
        clause, found = word_scan(words)
        clauses.append(clause)
        params += found
    elif words:
        clause, match = text_match(words, statuses, keys, narrow)
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
    answered or not, rated or not and with how many stars, weekday and hour of opening in
    campus time (as rollups.py counts); and the helpdesk's category to be checked."""
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
    # EXISTS, looked up by the rating's key for each ticket read: "id IN (SELECT ticket_id
    # FROM rating)" read every rating first (335 ms on SQLite at a million tickets), and its
    # NOT IN took PostgreSQL 30 s once the ratings outgrew its memory for hashing them.
    rating = "SELECT 1 FROM rating WHERE rating.ticket_id = ticket.id"
    if query.rated is not None:
        clauses.append(f"{'' if query.rated else 'NOT '}EXISTS ({rating})")
    if query.stars:
        stars = sorted({int(n) for n in query.stars.split(",")})
        clauses.append(f"EXISTS ({rating} AND rating.stars IN ({', '.join([p] * len(stars))}))")
        params += stars
    if query.opened_weekday is not None:
        day = campus_day("opened_at")
        clauses.append(f"({day} + 3 - ({day} + 3) / 7 * 7) = {p}")
        params.append(query.opened_weekday - 1)
    if query.opened_hour is not None:
        clauses.append(f"{campus_hour('opened_at')} = {p}")
        params.append(query.opened_hour)
    if query.to_check is not None:
        condition, values = to_check.clause(query.to_check, p)
        clauses.append(condition)
        params += values


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
    """A ticket row (the columns of TICKET_FIELDS and KEPT_COLUMNS) as the API shows it.
    Spelt out: the list makes one per ticket, and a loop over the fields cost a fifth more."""
    (
        id_,
        title,
        description,
        location,
        reporter_name,
        status,
        category,
        category_confidence,
        category_source,
        opened_at,
        modified_at,
        closed_at,
        version,
        first_response_at,
        followers,
        merged_into,
        photos,
    ) = row
    return {
        "id": id_,
        "title": title,
        "description": description,
        "location": location,
        "reporter_name": reporter_name,
        "status": status,
        "category": category,
        "category_confidence": category_confidence,
        "category_source": category_source,
        "opened_at": epoch_iso(opened_at),
        "modified_at": epoch_iso(modified_at),
        "closed_at": epoch_iso(closed_at),
        "version": version,
        "first_response_at": epoch_iso(first_response_at),
        "reported_by": 1 + followers,
        "merged_into": merged_into,
        "photos": photos,
    }


# row_dict names the fields in the order of TICKET_FIELDS, which SELECT reads.
assert tuple(row_dict(tuple(range(17)))) == (
    *TICKET_FIELDS,
    "reported_by",
    "merged_into",
    "photos",
), "row_dict and TICKET_FIELDS differ"


def _other_filters(query: TicketListQuery) -> set[str]:
    """The filters in use that the per-status-and-category totals cannot answer."""
    return {name for name in UNTALLIED if getattr(query, name) not in (None, "")}


#: A list none of whose statuses the role may see: no tickets, and nothing to ask.
NOTHING = ("", [])


def _tally(query: TicketListQuery, role: str) -> tuple[str, list] | None:
    """The query, and its parameters, of the total of a list filtered by status and category
    only, read from the totals that every write keeps (ticket_tally) instead of counting up to
    a million rows; NOTHING when the role may see none of the statuses asked for; None when
    other filters apply."""
    if _other_filters(query):
        return None
    statuses, keys = _scope(query, role)
    if statuses == []:
        return NOTHING
    return _tally_sql(statuses, keys)


def _tally_sql(statuses: list[str] | None, keys: list[str]) -> tuple[str, list]:
    """The query, and its parameters, of how many tickets have one of the statuses and
    categories (None, []: any), from the totals every write keeps."""
    p = database.obj.param
    clauses, params = [], []
    for column, values in (("status", statuses), ("category", keys)):
        if values:
            clauses.append(f"{column} IN ({', '.join([p] * len(values))})")
            params += values
    sql = "SELECT COALESCE(SUM(tickets), 0) FROM ticket_tally"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    return sql, params


def _counted_total(query: TicketListQuery, role: str, clause: str, params: list) -> int:
    """How many tickets match, counted up to one more than COUNT_LIMIT. A text search with
    no other filter than status and category is counted by SQLite's index alone."""
    limit = COUNT_LIMIT + 1
    scope = _scope(query, role)
    words = query_words(query.q)
    if words and not is_postgres() and _other_filters(query) <= {"q"} and scope[0] != []:
        p = database.obj.param
        index = search_index(scope[0])
        sql = f"SELECT rowid FROM {index} WHERE {index} MATCH {p} LIMIT {limit}"
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
    offset = (query.page - 1) * query.per_page
    tally = _tally(query, role)
    if tally is NOTHING:
        return [], 0, True
    if tally is not None:
        return _tallied_page(query, clause, params, offset, tally)
    if _other_filters(query) == {"q"} and query_words(query.q):
        return _searched_page(query, role, offset)
    total, exact = _counted_total(query, role, clause, params), True
    if total > COUNT_LIMIT:
        total, exact = COUNT_LIMIT, False
    if exact and offset >= total:
        return [], total, exact
    if not exact and query_words(query.q):
        clause, params = where(query, role, walk=True)
    sql = f"{SELECT}{clause}{order_by(query.sort)} LIMIT {p} OFFSET {p}"
    rows = database.execute_sql(sql, params + [query.per_page, offset]).fetchall()
    return [row_dict(row) for row in rows], total, exact


def _tallied_page(
    query: TicketListQuery, clause: str, params: list, offset: int, tally: tuple[str, list]
) -> tuple[list[dict], int, bool]:
    """A page and its total read from the tallies.

    On PostgreSQL in one query, one round trip to the server instead of two: every row
    carries the total, and a page past the total is not looked for (the condition on it is
    decided once, before any row is read); when no row comes back, the total is asked alone.
    SQLite, which has no round trip to save, would walk the whole index for a page past the
    total that way, and limiting such a page to no rows instead (``LIMIT CASE ...``) changes
    its plans, so there the total is asked first, as it is anyway on PostgreSQL for a page
    that comes back empty."""
    p = database.obj.param
    count, count_params = tally
    page = f"{order_by(query.sort)} LIMIT {p} OFFSET {p}"
    if is_postgres():
        guard = f"{' AND' if clause else ' WHERE'} {p} < ({count})"
        sql = f"SELECT ({count}), {SELECT.removeprefix('SELECT ')}{clause}{guard}{page}"
        rows = database.execute_sql(
            sql, [*count_params, *params, offset, *count_params, query.per_page, offset]
        ).fetchall()
        if rows:
            return [row_dict(row[1:]) for row in rows], int(rows[0][0]), True
    total = int(database.execute_sql(count, count_params).fetchone()[0])
    if offset >= total:
        return [], total, True
    rows = database.execute_sql(f"{SELECT}{clause}{page}", [*params, query.per_page, offset])
    return [row_dict(row) for row in rows.fetchall()], total, True


#: The duplicates merged into the ticket ``ticket``, as a JSON array of [id, title] pairs.
#: SQLite is told the index: its statistics find the column empty in almost every ticket,
#: which makes a lookup by a value not known in advance look as costly as reading them all.
MERGED = {
    "sqlite": "SELECT json_group_array(json_array(m.id, m.title)) "
    "FROM ticket AS m INDEXED BY ticket_merged_into WHERE m.merged_into = ticket.id",
    "postgres": "SELECT COALESCE(json_agg(json_build_array(m.id, m.title)), '[]') FROM ticket m "
    "WHERE m.merged_into = ticket.id",
}
#: The address the reporter of the ticket ``ticket`` left, if any.
REPORTER_EMAIL = (
    "SELECT email FROM subscriber WHERE ticket_id = ticket.id AND kind = 'reporter' "
    "ORDER BY id LIMIT 1"
)


def _merged_sql() -> str:
    """MERGED for the database in use."""
    return MERGED["postgres" if is_postgres() else "sqlite"]


def merged_list(pairs) -> list[dict]:
    """The duplicates merged into a ticket, oldest first, from MERGED's pairs (JSON text on
    SQLite, decoded by the driver on PostgreSQL)."""
    if isinstance(pairs, str):
        pairs = orjson.loads(pairs)
    return [{"id": id_, "title": title} for id_, title in sorted(pairs)]


def merged_tickets(ticket_id: int) -> list[dict]:
    """The duplicates merged into a ticket, oldest first: their numbers and titles."""
    p = database.obj.param
    sql = f"SELECT ({_merged_sql()}) FROM ticket WHERE id = {p}"
    row = database.execute_sql(sql, [ticket_id]).fetchone()
    return merged_list(row[0]) if row else []


def detail_sql(email: bool) -> str:
    """The statement of :func:`detail`: the ticket of the id given, then MERGED, then (with
    ``email``) REPORTER_EMAIL."""
    extra = f", ({_merged_sql()})"
    extra += f", ({REPORTER_EMAIL})" if email else ""
    columns = SELECT.replace(" FROM ticket", f"{extra} FROM ticket")
    return f"{columns} WHERE id = {database.obj.param}"


def detail(ticket_id: int, role: str) -> dict | None:
    """One ticket as its page shows it to the role, or None when unknown or hidden from it:
    with the duplicates merged into it (``merged``) and the contact fields the role sees
    (CONTACT_FIELDS), in one statement (one round trip to PostgreSQL instead of three)."""
    if not 0 < ticket_id <= 2**63 - 1:
        return None
    email = "reporter_email" in CONTACT_FIELDS[role]
    row = database.execute_sql(detail_sql(email), [ticket_id]).fetchone()
    if row is None or row[STATUS] not in VISIBLE_STATUSES[role]:
        return None
    width = len(TICKET_FIELDS + KEPT_COLUMNS)
    ticket = row_dict(row[:width]) | {"merged": merged_list(row[width])}
    if email:
        ticket["reporter_email"] = row[width + 1]
    return ticket


# ---- text searches ---------------------------------------------------------------------
#: SQLite expects this many matches or more: a page is found by walking the sort's index and
#: reading each ticket's words, which meets the first page within 20 x 1,000,000 / 20,000 =
#: 1,000 tickets (docs/performance.md).
SQLITE_SCAN_FROM = 20_000
#: SQLite expects fewer matches than this (but more than COUNT_LIMIT): it reads them all and
#: sorts them, rather than walking the sort's index through some thousands of tickets.
SQLITE_SORT_UNTIL = 3_000
#: Sorts by newest first, by a column that grows with the id (opened_at) or mostly does
#: (modified_at): a search's page is found among its newest matches.
NEWEST_FIRST = frozenset({"-modified_at", "-opened_at", "-id"})
#: How many of the newest matches are read for such a page (and the deepest page so read),
#: and how many older tickets changed since may have their words read.
NEWEST_BATCH = 200
NEWEST_WALK = 2_000
#: PostgreSQL walks the sort's index the same way when its statistics expect this many
#: matches; below, it reads the matches from its index and sorts them. Around the boundary
#: either way reads a few thousand rows.
POSTGRES_SCAN_FROM = 3_000


def _searched_page(query: TicketListQuery, role: str, offset: int) -> tuple[list[dict], int, bool]:
    """A page of a text search filtered at most by status and category, by the plan that
    reads the fewest rows for how many tickets match: few, read them all from the search
    index and sort them; many, walk the sort's index and keep the matches as they come.
    Every plan gives the same tickets in the same order (tests/api/test_search_parity.py)."""
    if is_postgres():
        return _searched_page_postgres(query, role, offset)
    p = database.obj.param
    words = query_words(query.q)
    statuses, keys = _scope(query, role)
    _, match = text_match(words, statuses, keys)
    index = search_index(statuses)
    _, words_only = text_match(words, statuses, keys, narrow=False)
    if match != words_only:
        # The statuses narrow the index's lists, which costs as much as reading the lists of
        # all the tickets having them (categories cost nothing: each has its own column).
        # Few tickets having the words: read those and keep the ones of the statuses asked
        # for. The index counts them first (not handing them over costs a third of reading
        # them), and they are read again within the page's own query.
        few = f"SELECT rowid FROM {index} WHERE {index} MATCH {p} LIMIT {SQLITE_SORT_UNTIL + 1}"
        found = database.execute_sql(f"SELECT COUNT(*) FROM ({few}) AS t", [words_only])
        if found.fetchone()[0] <= SQLITE_SORT_UNTIL:
            return _sorted_page(query, *where(query, role, narrow=False), offset)
    # The index gives matches in the order of their ids: how far into the ids the first
    # COUNT_LIMIT + 1 of them reach says how many there are in all, for the cost of those.
    first = f"SELECT rowid FROM {index} WHERE {index} MATCH {p} LIMIT {COUNT_LIMIT + 1}"
    ids = [row[0] for row in database.execute_sql(first, [match])]
    found = len(ids)
    if found <= COUNT_LIMIT:
        # every match is known: the page is read by id, without asking the index again
        return _sorted_page(query, *where(query, role, ids=ids), offset)
    ends = "SELECT (SELECT MIN(id) FROM ticket), (SELECT MAX(id) FROM ticket)"
    low, last = database.execute_sql(ends).fetchone()
    share = found / (ids[-1] - low + 1)  # of the ids, the matches
    page = _newest_matches_page(query, role, offset, (index, match), last, share)
    if page is not None:
        return page, COUNT_LIMIT, False
    expected = share * (last - low + 1)
    if expected < SQLITE_SORT_UNTIL:
        clause, params = where(query, role)
    else:
        many = expected >= SQLITE_SCAN_FROM
        clause, params = where(query, role, walk=not many, scan=many)
    sql = f"{SELECT}{clause}{order_by(query.sort)} LIMIT {p} OFFSET {p}"
    rows = database.execute_sql(sql, params + [query.per_page, offset]).fetchall()
    return [row_dict(row) for row in rows], COUNT_LIMIT, False


def _newest_matches_page(
    query: TicketListQuery,
    role: str,
    offset: int,
    searched: tuple[str, str],
    last: int,
    share: float,
) -> list[dict] | None:
    """A page of a text search sorted newest first (by last change, opening or id), for a
    search index and its query (``searched``) that match about ``share`` of the ids up to
    ``last``;
    None where this plan does not apply (another sort, a deep page, or too many older
    tickets changed since).

    Tickets get their ids in the order they are opened, and change mostly while they are
    new, so the page is mostly among the newest matches: about NEWEST_BATCH of them are
    read, every match above an id. Exactly: the page's last ticket among those, T, bounds
    the rest. A match of lower id comes before T only if it changed (or opened) at T's time
    or after, so the sort's index is walked from its newest end down to T's time for
    tickets of lower id, and only those have their words read. If more than NEWEST_WALK
    such tickets changed since T (the index alone counts them), another plan costs less."""
    wanted = offset + query.per_page
    if query.sort not in NEWEST_FIRST or wanted > NEWEST_BATCH:
        return None
    p = database.obj.param
    above = max(0, last - int(NEWEST_BATCH / share))
    index, match = searched
    newest = f"SELECT rowid FROM {index} WHERE {index} MATCH {p} AND rowid > {p}"
    newest += f" LIMIT {4 * NEWEST_BATCH}"
    found = [row[0] for row in database.execute_sql(newest, [match, above])]
    if len(found) == 4 * NEWEST_BATCH:  # far more than expected: the sort's index is better
        return None
    clause, params = where(query, role, ids=found)
    page = f"{order_by(query.sort)} LIMIT {wanted}"
    rows = database.execute_sql(f"{SELECT}{clause}{page}", params).fetchall()
    if len(rows) < wanted:  # the page reaches below the newest matches
        return None
    column = query.sort.lstrip("-")
    position = TICKET_FIELDS.index(column)
    if column != "id":
        since = [rows[-1][position], above]
        # the unary plus keeps SQLite from reading the ids below the newest in id order
        bound = f"{column} >= {p} AND +id <= {p}"
        older = database.execute_sql(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM ticket WHERE {bound} LIMIT {NEWEST_WALK + 1})",
            since,
        ).fetchone()[0]
        if older > NEWEST_WALK:
            return None
        clause, params = where(query, role, scan=True)
        later = database.execute_sql(f"{SELECT}{clause} AND {bound}{page}", [*params, *since])
        rows = sorted(rows + later.fetchall(), key=lambda row: (row[position], row[0]))[::-1]
    return [row_dict(row) for row in rows[offset:wanted]]


def scope_total(statuses: list[str] | None, keys: list[str]) -> int:
    """How many tickets have one of the statuses and categories (None, []: any)."""
    return int(database.execute_sql(*_tally_sql(statuses, keys)).fetchone()[0])


def _searched_page_postgres(
    query: TicketListQuery, role: str, offset: int
) -> tuple[list[dict], int, bool]:
    """PostgreSQL's plans of :func:`_searched_page`. Its search index answers with every
    match at once (a bitmap), so counting a common word's matches costs as much as reading
    all of them: how many there are is taken from the statistics ANALYZE keeps of the
    index's words. Expected many: "more than COUNT_LIMIT", and the page walks the sort's
    index. Else the matches are read once, for the count and for the page together."""
    p = database.obj.param
    words = query_words(query.q)
    statuses, keys = _scope(query, role)
    if statuses == []:
        return [], 0, True
    share = estimated_share(words)
    if share is not None and share * scope_total(statuses, keys) >= POSTGRES_SCAN_FROM:
        clause, params = where(query, role, scan=True)
        sql = f"{SELECT}{clause}{order_by(query.sort)} LIMIT {p} OFFSET {p}"
        rows = database.execute_sql(sql, params + [query.per_page, offset]).fetchall()
        return [row_dict(row) for row in rows], COUNT_LIMIT, False
    clause, params = where(query, role)
    return _sorted_page(query, clause, params, offset)


def _sorted_page(
    query: TicketListQuery, clause: str, params: list, offset: int
) -> tuple[list[dict], int, bool]:
    """A page of the tickets matching a WHERE clause that few tickets match, and how many
    match (up to COUNT_LIMIT), reading them once: only their ids (and on PostgreSQL their
    sort keys) are sorted, and the page's tickets are read afterwards."""
    p = database.obj.param
    if not is_postgres():  # its window functions cost more than handing back the ids
        ids = [
            row[0]
            for row in database.execute_sql(
                f"SELECT id FROM ticket{clause}{order_by(query.sort)}", params
            )
        ]
        exact = len(ids) <= COUNT_LIMIT
        page = ids[offset : offset + query.per_page]
        rows = {}
        if page:
            sql = f"{SELECT} WHERE id IN (SELECT value FROM json_each({p}))"
            rows = {row[0]: row for row in database.execute_sql(sql, [orjson.dumps(page).decode()])}
        listed = [row_dict(rows[i]) for i in page if i in rows]
        return listed, len(ids) if exact else COUNT_LIMIT, exact
    column = query.sort.lstrip("-")
    key = "title_key" if column == "title" else column
    fields = ", ".join(f"ticket.{name}" for name in TICKET_FIELDS + KEPT_COLUMNS)
    order = order_by(query.sort)
    # MATERIALIZED: on PostgreSQL the matches come from the search index, not from a walk
    # of the sort's index testing every ticket (which the planner may pick for a LIMIT).
    sql = (
        f"WITH found AS MATERIALIZED (SELECT id{'' if key == 'id' else f', {key}'} "
        f"FROM ticket{clause}), "
        f"page AS (SELECT id AS found_id, COUNT(*) OVER () AS total, "
        f"ROW_NUMBER() OVER ({order.strip()}) AS place FROM found{order} "
        f"LIMIT {p} OFFSET {p}) "
        f"SELECT page.total, {fields} FROM page JOIN ticket ON ticket.id = page.found_id "
        f"ORDER BY page.place"
    )
    rows = database.execute_sql(sql, params + [query.per_page, offset]).fetchall()
    if rows:
        total = int(rows[0][0])
    else:
        counted = f"SELECT COUNT(*) FROM ticket{clause}"
        total = int(database.execute_sql(counted, params).fetchone()[0])
    exact = total <= COUNT_LIMIT
    return [row_dict(row[1:]) for row in rows], total if exact else COUNT_LIMIT, exact
