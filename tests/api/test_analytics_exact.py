"""Every statistic equals a brute-force count over random ticket histories: months, days,
weeks and hours in several campus time zones, daylight-saving changes included, on SQLite
and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from kit.campus_time import local_date, utc_offsets
from tests.api import brute
from tests.api.helpers import HELPDESK

ZONES = (
    "Europe/Rome",
    "America/New_York",
    "Australia/Lord_Howe",  # daylight saving of half an hour
    "Asia/Kathmandu",  # UTC+5:45
    "America/Santiago",  # clocks change at midnight
    "UTC",
)
START = int(datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp())
NOW = int(datetime.now(timezone.utc).timestamp()) - 60
FIRST_DAY = date(2023, 12, 25)


def _transitions(zone: str) -> list[int]:
    return [t for t, _ in utc_offsets(ZoneInfo(zone)) if START < t < NOW] or [NOW - 86400]


def instants(zone: str):
    """Any instant, and many close to a change of offset or to a local midnight."""
    near_change = st.sampled_from(_transitions(zone)).flatmap(
        lambda t: st.integers(max(START, t - 7200), min(NOW, t + 7200))
    )
    days = st.integers(0, (NOW - START) // 86400)
    near_midnight = st.tuples(days, st.integers(-90, 90)).map(
        lambda d: min(NOW, max(START, _midnight(zone, d[0]) + d[1]))
    )
    return st.one_of(st.integers(START, NOW), near_change, near_midnight)


def _midnight(zone: str, offset_days: int) -> int:
    day = date(2024, 1, 1) + timedelta(days=offset_days)
    return int(datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone)).timestamp())


def histories(zone: str):
    later = st.one_of(st.none(), st.integers(0, 40 * 86400))
    stars = st.one_of(st.none(), st.integers(1, 5))
    row = st.tuples(
        st.sampled_from(brute.CATEGORIES), instants(zone), later, later, st.booleans(), stars
    ).map(
        lambda t: brute.Row(
            category=t[0],
            opened=t[1],
            closed=None if t[2] is None else min(NOW, t[1] + t[2]),
            answered=None if t[3] is None else min(NOW, t[1] + t[3]),
            active=t[4],
            stars=None if t[2] is None else t[5],
        )
    )
    return st.lists(row, max_size=40)


def store(rows: list[brute.Row]) -> list[int]:
    """Replace every ticket with these rows (the triggers keep the totals); their ids."""
    from ticket_api.db import database, write_transaction

    p = database.obj.param
    ids = []
    with write_transaction():
        database.execute_sql("DELETE FROM ticket")
        for r in rows:
            cursor = database.execute_sql(
                "INSERT INTO ticket (title, description, status, category, category_source, "
                "opened_at, modified_at, closed_at, version, first_response_at) "
                f"VALUES ('Placed', 'placed', {p}, {p}, 'auto', {p}, {p}, {p}, 1, {p})",
                [r.status, r.category, r.opened, r.opened, r.closed, r.answered],
            )
            ids.append(cursor.lastrowid)
        if database.obj.param == "%s":  # psycopg2 has no lastrowid for these inserts
            ids = [row[0] for row in database.execute_sql("SELECT id FROM ticket ORDER BY id")]
        for r, ticket_id in zip(rows, ids):
            if r.stars is not None:
                database.execute_sql(
                    f"INSERT INTO rating (ticket_id, stars, rated_at) VALUES ({p}, {p}, {p})",
                    [ticket_id, r.stars, r.closed],
                )
    return ids


@pytest.fixture(params=ZONES)
def zoned_client(request, settings):
    from tests.apps import make_api
    from ticket_api.db import database

    app = make_api(settings.with_changes(time_zone=request.param), testing=True)
    database.connect(reuse_if_open=True)
    yield app.test_client(), ZoneInfo(request.param)
    database.obj.close_all()


def get(client, path: str, **query) -> dict:
    response = client.get(path, query_string=query, headers=HELPDESK)
    assert response.status_code == 200, response.get_data(True)
    return response.json


def check_windows(client, rows, zone):
    for since, until in ((START, None), (NOW - 3 * 86400, NOW - 86400), (NOW - 7200, None)):
        query = {"since": datetime.fromtimestamp(since, timezone.utc).isoformat()}
        if until:
            query["until"] = datetime.fromtimestamp(until, timezone.utc).isoformat()
        assert get(client, "/api/stats/unclosed", **query)["count"] == brute.unclosed(
            rows, since, until
        )
    counts = get(client, "/api/stats/status-counts")
    for status in ("open", "active", "closed"):
        assert counts[status] == sum(1 for r in rows if r.status == status)
    active = get(client, "/api/stats/active-by-category")["categories"]
    for item in active:
        expected = sum(1 for r in rows if r.status == "active" and r.category == item["category"])
        assert item["active"] == expected


def check_months(client, rows, zone):
    body = get(client, "/api/stats/resolution-time")
    got = {m["month"]: (m["closed_tickets"], m["average_hours"]) for m in body["months"]}
    want = brute.resolution(rows, zone)
    assert got.keys() == want.keys()
    for key, (count, hours) in want.items():
        assert got[key][0] == count and got[key][1] == pytest.approx(hours, rel=1e-12)
    last = local_date(NOW, zone).strftime("%Y-%m")
    body = get(client, "/api/stats/months", from_month="2023-12", to_month=last)
    expected = brute.month_totals(rows, zone)
    for item in body["months"]:
        totals = expected.get((item["month"], item["category"]), {})
        for name in brute.Counter(totals) | {"opened": 0}:
            assert item[name] == totals.get(name, 0), (item, totals)
    assert sum(m["opened"] for m in body["months"]) == len(rows)
    body = get(client, "/api/stats/satisfaction", from_month="2023-12", to_month=last)
    expected = brute.satisfaction(rows, zone)
    for item in body["months"]:
        closed, *stars = expected.get((item["month"], item["category"]), [0] * 6)
        assert (item["closed"], item["rated"], item["stars"]) == (closed, sum(stars), stars)
    assert sum(m["rated"] for m in body["months"]) == sum(1 for r in rows if r.stars)


def check_days(client, rows, zone):
    today = local_date(NOW, zone)
    for category in (None, "it"):
        query = {"from": FIRST_DAY.isoformat(), "to": today.isoformat()}
        if category:
            query["category"] = category
        body = get(client, "/api/stats/days", **query)
        before, per_day = brute.days(rows, zone, FIRST_DAY, today, category)
        assert body["backlog_before"] == before
        got = {date.fromisoformat(d["day"]): (d["opened"], d["closed"]) for d in body["days"]}
        assert {d: v for d, v in got.items() if v != (0, 0)} == per_day
    edges = [1, 3, 7, 30, 90]
    body = get(client, "/api/stats/unclosed-by-age", edges="1,3,7,30,90")
    day = date.fromisoformat(body["today"])
    assert [b["unclosed"] for b in body["buckets"]] == brute.ages(rows, zone, day, edges)
    body = get(client, "/api/stats/opening-hours", **{"from": "2023-12-25", "to": str(today)})
    cells = brute.opening_hours(rows, zone, FIRST_DAY, today)
    assert {(c["weekday"], c["hour"]): c["opened"] for c in body["cells"] if c["opened"]} == cells


def check_list_filters(client, rows, ids, zone, instant):
    def listed(**query):
        body = get(client, "/api/tickets", per_page=200, **query)
        return sorted(item["id"] for item in body["items"])

    iso = datetime.fromtimestamp(instant, timezone.utc).isoformat()
    assert listed(open_at=iso) == sorted(ids[i] for i in brute.open_at(rows, instant))
    assert listed(closed_before=iso) == sorted(
        ids[i] for i, r in enumerate(rows) if r.closed is not None and r.closed < instant
    )
    assert listed(answered="true") == sorted(
        ids[i] for i, r in enumerate(rows) if r.answered is not None
    )
    assert listed(rated="true") == sorted(ids[i] for i, r in enumerate(rows) if r.stars)
    assert listed(rated="false") == sorted(ids[i] for i, r in enumerate(rows) if not r.stars)
    assert listed(stars="1,5") == sorted(ids[i] for i, r in enumerate(rows) if r.stars in (1, 5))
    moment = brute.local(instant, zone)
    assert listed(opened_weekday=moment.isoweekday(), opened_hour=moment.hour) == sorted(
        ids[i]
        for i, r in enumerate(rows)
        if (brute.local(r.opened, zone).isoweekday(), brute.local(r.opened, zone).hour)
        == (moment.isoweekday(), moment.hour)
    )


def test_every_statistic_equals_brute_force(zoned_client):
    client, zone = zoned_client

    @hyp_settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(rows=histories(zone.key), pick=st.integers(0, 10**6))
    def run(rows, pick):
        ids = store(rows)
        check_windows(client, rows, zone)
        check_months(client, rows, zone)
        check_days(client, rows, zone)
        instants = [r.opened for r in rows] + [r.closed for r in rows if r.closed] or [NOW]
        check_list_filters(client, rows, ids, zone, instants[pick % len(instants)])

    run()
