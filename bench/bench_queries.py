"""How each read route of the API costs as the database grows, measured in-process.

Seeds N tickets (or reuses --data-dir), then prints the median time of each route and its
ratio to GET /api/health measured in the same run.

    python bench/bench_queries.py --tickets 1000000
"""

from __future__ import annotations

import argparse
import statistics
import time

from common import seeded_data_dir

ROUTES = (
    "/api/tickets",
    "/api/tickets?per_page=50&status=open,active",
    "/api/tickets?sort=title",
    "/api/tickets?sort=-closed_at",
    "/api/tickets?sort=category_confidence",
    "/api/tickets?category=it&sort=-opened_at",
    "/api/tickets?page=20000",
    "/api/tickets?q=projector",
    "/api/tickets?q=proj&status=open,active",
    "/api/tickets/{id}",
    "/api/tickets/{id}/messages",
    "/api/tickets/{id}/history",
    "/api/stats/status-counts",
    "/api/stats/unclosed?since={day_ago}",
    "/api/stats/unclosed?since={year_ago}",
    "/api/stats/resolution-time",
    "/api/stats/active-by-category",
)


def median_ms(client, url: str, repeat: int) -> float:
    headers = {"X-Role": "helpdesk"}
    client.get(url, headers=headers)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--data-dir", help="reuse a seeded data folder instead of seeding")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument(
        "--database-url", default="", help="a seeded PostgreSQL database instead of SQLite"
    )
    args = parser.parse_args()
    data = seeded_data_dir(args.tickets, args.data_dir, database_url=args.database_url)

    from datetime import datetime, timedelta, timezone

    from kit.settings import Settings
    from ticket_api import create_app

    settings = Settings(data_dir=data, database_url=args.database_url)
    client = create_app(settings).test_client()
    total = client.get("/api/tickets?per_page=1", headers={"X-Role": "helpdesk"}).json["total"]
    now = datetime.now(timezone.utc)
    values = {
        "id": total // 2,
        "day_ago": (now - timedelta(days=1)).isoformat(),
        "year_ago": (now - timedelta(days=365)).isoformat(),
    }
    base = median_ms(client, "/api/health", args.repeat)
    print(f"{total} tickets; baseline GET /api/health {base:.2f} ms\n")
    print(f"{'route':<48} {'median ms':>10} {'x health':>9}")
    for route in ROUTES:
        url = route.format(**values).replace("+", "%2B")
        ms = median_ms(client, url, args.repeat)
        print(f"{route:<48} {ms:>10.2f} {ms / base:>9.1f}")


if __name__ == "__main__":
    main()
