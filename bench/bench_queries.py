"""How each read route of the API costs on SQLite and on PostgreSQL, measured in-process.

Reuses the seeded databases it is given (--data-dir for SQLite, --database-url for
PostgreSQL) or seeds N tickets into each one missing, then prints per route the median time
on each backend, its ratio to GET /api/health on the same backend in the same run, and
whether that ratio is within the route's budget (hot reads 5x, text searches 10x). The
answers the API keeps until the data changes are off (CAMPUSDESK_READ_CACHE_ENTRIES=0): every
request reads the database.

    python bench/bench_queries.py --data-dir DIR --database-url postgresql://HOST/DB
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime, timedelta, timezone

from common import HELPDESK, seeded_backends

from ticket_api.schemas import SORT_KEYS

HOT_READS = (
    "/api/tickets",
    "/api/tickets?per_page=50&status=open,active",
    *(f"/api/tickets?sort={sign}{key}" for key in SORT_KEYS for sign in ("", "-")),
    "/api/tickets?category=it&sort=-opened_at",
    "/api/stats/status-counts",
)
SEARCHES = (
    # from no match to words in most tickets: each size of match set takes its own plan
    "/api/tickets?q=zqxwv",
    "/api/tickets?q=elevator",
    "/api/tickets?q=heating",
    "/api/tickets?q=broken",
    "/api/tickets?q=aula",
    "/api/tickets?q=the",
    "/api/tickets?q=projector",
    "/api/tickets?q=proj&status=open,active",
    "/api/tickets?q=wifi",
    "/api/tickets?q=perche",
    "/api/tickets?q=ascensore%20bloccato",
    "/api/tickets?q=elevator&category=facility&sort=title",
)
SIMILAR = (
    # what a person types into the report form, from a rare problem to the commonest words
    "/api/tickets/similar?title=Elevator%20stuck&description=between%20floors%20in%20building%20C",
    "/api/tickets/similar?title=Wi-Fi%20down&description=the%20wifi%20drops%20in%20the%20library",
    "/api/tickets/similar?title=Projector%20broken&description=the%20projector%20in%20aula%204",
    "/api/tickets/similar?description=ascensore%20bloccato%20al%20secondo%20piano",
    "/api/tickets/similar?description=zqxwv%20plonk%20frobnicate",
)
OTHERS = (
    "/api/tickets?page=20000",
    "/api/tickets/{id}",
    "/api/tickets/{id}/messages",
    "/api/tickets/{id}/history",
    "/api/tickets/{id}/notes",
    "/api/tickets?rated=true",
    "/api/tickets?stars=1,2",
    "/api/tickets?rated=false&status=closed",
    "/api/tickets?closed_after={month_ago}&closed_before={day_ago}",
    "/api/tickets?closed_after={month_ago}&closed_before={day_ago}&sort=-closed_at",
    "/api/tickets?stars=1&closed_after={month_ago}&closed_before={day_ago}&sort=-closed_at",
    "/api/stats/unclosed?since={day_ago}",
    "/api/stats/unclosed?since={year_ago}",
    "/api/stats/resolution-time",
    "/api/stats/active-by-category",
)
#: Every route with its budget, times GET /api/health on the same backend (None: no budget).
ROUTES = (
    [(r, 5) for r in HOT_READS]
    + [(r, 10) for r in SEARCHES]
    + [(r, None) for r in SIMILAR + OTHERS]
)


def times_ms(client, url: str, repeat: int) -> list[float]:
    """``repeat`` timings of ``url`` after one warm-up request."""
    client.get(url, headers=HELPDESK)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, headers=HELPDESK)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def measure(settings, repeat: int) -> tuple[int, float, dict[str, float]]:
    """Tickets, GET /api/health (before and after the routes) and each route's median, ms."""
    from ticket_api import create_app

    client = create_app(settings).test_client()
    total = client.get("/api/tickets?per_page=1", headers=HELPDESK).json["total"]
    now = datetime.now(timezone.utc)
    values = {
        "id": total // 2,
        "day_ago": (now - timedelta(days=1)).isoformat(),
        "month_ago": (now - timedelta(days=30)).isoformat(),
        "year_ago": (now - timedelta(days=365)).isoformat(),
    }
    health = times_ms(client, "/api/health", repeat)
    medians = {}
    for route, _ in ROUTES:
        url = route.format(**values).replace("+", "%2B")
        medians[route] = statistics.median(times_ms(client, url, repeat))
    health += times_ms(client, "/api/health", repeat)
    return total, statistics.median(health), medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000, help="to seed (default 100000)")
    parser.add_argument("--data-dir", help="a seeded SQLite data folder (default: seed one)")
    parser.add_argument("--database-url", help="a seeded PostgreSQL database (default: seed one)")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()

    from kit.settings import Settings

    with seeded_backends(args.tickets, args.data_dir, args.database_url) as (data, urls):
        results = {
            name: measure(
                Settings(data_dir=data, database_url=url, access_log=False, read_cache_entries=0),
                args.repeat,
            )
            for name, url in urls.items()
        }
    for name, (total, base, _) in results.items():
        print(f"{name}: {total} tickets; baseline GET /api/health {base:.2f} ms")
    header = "".join(f" | {name + ' ms':>13} {'x health':>8}     " for name in results)
    print(f"\n{'route':<46} {'budget':>6}{header}")
    over = dict.fromkeys(results, 0)
    for route, budget in ROUTES:
        row = f"{route:<46} {f'{budget}x' if budget else '':>6}"
        for name, (_, base, medians) in results.items():
            ratio = medians[route] / base
            mark = "" if not budget else "ok" if ratio <= budget else "OVER"
            over[name] += mark == "OVER"
            row += f" | {medians[route]:>13.2f} {ratio:>8.1f} {mark:<4}"
        print(row)
    print("\nover budget: " + ", ".join(f"{name} {n} routes" for name, n in over.items()))


if __name__ == "__main__":
    main()
