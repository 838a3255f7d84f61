"""Answers of the three analytics services, shaped as the real ones, for the dashboard's tests."""

from __future__ import annotations

from tests.unit.dash_fakes import FakeResponse

HOSTS = {
    "unclosed": "unclosed.test",
    "resolution": "resolution.test",
    "by-category": "by-category.test",
}
MARCH = {"opened_after": "2026-03-01T00:00:00+01:00", "opened_before": "2026-04-01T00:00:00+02:00"}
APRIL = {"opened_after": "2026-04-01T00:00:00+02:00", "opened_before": "2026-05-01T00:00:00+02:00"}


def _window(start: str, end: str) -> dict:
    return {"status": "open,active", "opened_after": start, "opened_before": end}


UNCLOSED = {
    "count": 23,
    "from": "2026-10-31T10:00:00+00:00",
    "to": "2026-11-30T10:00:00+00:00",
    "last": 30,
    "unit": "days",
    "tickets": _window("2026-10-31T10:00:00+00:00", "2026-11-30T10:00:01+00:00"),
    "previous": {
        "count": 18,
        "from": "2026-10-01T10:00:00+00:00",
        "to": "2026-10-31T10:00:00+00:00",
        "tickets": _window("2026-10-01T10:00:00+00:00", "2026-10-31T10:00:00+00:00"),
    },
}
BACKLOG = {
    "time_zone": "Europe/Rome",
    "from": "2026-11-01",
    "to": "2026-11-03",
    "days": [
        {
            "day": f"2026-11-0{n}",
            "opened": 5,
            "closed": 4,
            "backlog": backlog,
            "tickets": {
                "backlog": {"open_at": f"2026-11-0{n + 1}T00:00:00+01:00", "category": "it"},
                "opened": {
                    "opened_after": f"2026-11-0{n}T00:00:00+01:00",
                    "opened_before": f"2026-11-0{n + 1}T00:00:00+01:00",
                },
                "closed": {
                    "closed_after": f"2026-11-0{n}T00:00:00+01:00",
                    "closed_before": f"2026-11-0{n + 1}T00:00:00+01:00",
                },
            },
        }
        for n, backlog in ((1, 40), (2, 41), (3, 44))
    ],
}
BACKLOG_AGE = {
    "time_zone": "Europe/Rome",
    "today": "2026-11-30",
    "buckets": [
        {
            "label": "Opened today",
            "min_age_days": 0,
            "max_age_days": 1,
            "count": 2,
            "tickets": _window("2026-11-30T00:00:00+01:00", "2026-12-01T00:00:00+01:00"),
        },
        {
            "label": "90 days or more",
            "min_age_days": 90,
            "max_age_days": None,
            "count": 30,
            "tickets": {"status": "open,active", "opened_before": "2026-09-02T00:00:00+02:00"},
        },
    ],
}
RESOLUTION = {
    "time_zone": "Europe/Rome",
    "months": [
        {
            "month": "2026-02",
            "average_hours": 12.25,
            "closed_tickets": 1,
            "tickets": {"status": "closed", **MARCH},
        },
        {
            "month": "2026-03",
            "average_hours": 31.43333333,
            "closed_tickets": 212,
            "tickets": {"status": "closed", **MARCH},
        },
    ],
}
FIRST_RESPONSE = {
    "time_zone": "Europe/Rome",
    "months": [
        {
            "month": "2026-04",
            "opened": 78,
            "answered": 30,
            "average_hours": 18.0595,
            "unanswered": 48,
            "still_open": 10,
            "tickets": {
                "opened": APRIL,
                "answered": {**APRIL, "answered": "true"},
                "unanswered": {**APRIL, "answered": "false"},
                "still_open": {**APRIL, "status": "open,active"},
            },
        }
    ],
}
ACTIVE = {
    "categories": [
        {
            "category": key,
            "label": f"Service label {key}",
            "active": n,
            "tickets": {"status": "active", "category": key},
        }
        for key, n in (("facility", 1), ("it", 3), ("services", 6))
    ]
}
WEEKLY = {
    "time_zone": "Europe/Rome",
    "from": "2026-11-16",
    "to": "2026-11-29",
    "weeks": [
        {
            "week": week,
            "opened": opened,
            "closed": closed,
            "tickets": {
                "opened": {"opened_after": f"{week}T00:00:00+01:00", "opened_before": "x"},
                "closed": {"closed_after": f"{week}T00:00:00+01:00", "closed_before": "x"},
            },
        }
        for week, opened, closed in (("2026-11-16", 7, 9), ("2026-11-23", 3, 2))
    ],
}
CATEGORY_MONTHS = {
    "time_zone": "Europe/Rome",
    "categories": [
        {"key": "facility", "label": "Facility"},
        {"key": "it", "label": "IT"},
        {"key": "services", "label": "Services"},
    ],
    "months": [
        {
            "month": "2026-03",
            "counts": {"facility": 20, "services": 38},
            "tickets": {
                "facility": {"category": "facility", **MARCH},
                "services": {"category": "services", **MARCH},
            },
        }
    ],
}
OPENING_HOURS = {
    "time_zone": "Europe/Rome",
    "from": "2026-09-08",
    "to": "2026-11-30",
    "cells": [
        {
            "weekday": day,
            "hour": hour,
            "opened": 42 if (day, hour) == (2, 10) else (day + hour) % 3,
            "tickets": {
                "opened_after": "2026-09-08T00:00:00+02:00",
                "opened_before": "2026-12-01T00:00:00+01:00",
                "opened_weekday": str(day),
                "opened_hour": str(hour),
            },
        }
        for day in range(1, 8)
        for hour in range(24)
    ],
}

NOVEMBER = {
    "status": "closed",
    "closed_after": "2026-11-01T00:00:00+01:00",
    "closed_before": "2026-12-01T00:00:00+01:00",
}
SATISFACTION = {
    "time_zone": "Europe/Rome",
    "categories": [
        {"key": "facility", "label": "Facility"},
        {"key": "it", "label": "IT"},
        {"key": "services", "label": "Services"},
    ],
    "months": [
        {
            "month": "2026-11",
            "closed": 40,
            "rated": 12,
            "average_stars": 3.9166666666666665,
            "stars": [
                {"stars": n, "count": count, "tickets": {**NOVEMBER, "stars": str(n)}}
                for n, count in ((1, 1), (2, 1), (3, 1), (4, 4), (5, 5))
            ],
            "categories": [
                {
                    "category": "it",
                    "closed": 30,
                    "rated": 12,
                    "average_stars": 3.9166666666666665,
                    "tickets": {
                        "closed": {**NOVEMBER, "category": "it"},
                        "rated": {**NOVEMBER, "category": "it", "rated": "true"},
                    },
                },
                {
                    "category": "services",
                    "closed": 10,
                    "rated": 0,
                    "average_stars": None,
                    "tickets": {
                        "closed": {**NOVEMBER, "category": "services"},
                        "rated": {**NOVEMBER, "category": "services", "rated": "true"},
                    },
                },
            ],
            "tickets": {"closed": NOVEMBER, "rated": {**NOVEMBER, "rated": "true"}},
        }
    ],
}

#: key -> (service, answer)
ANSWERS = {
    "unclosed": ("unclosed", UNCLOSED),
    "backlog": ("unclosed", BACKLOG),
    "backlog-age": ("unclosed", BACKLOG_AGE),
    "resolution-time": ("resolution", RESOLUTION),
    "first-response": ("resolution", FIRST_RESPONSE),
    "satisfaction": ("resolution", SATISFACTION),
    "active-by-category": ("by-category", ACTIVE),
    "weekly": ("by-category", WEEKLY),
    "category-months": ("by-category", CATEGORY_MONTHS),
    "opening-hours": ("by-category", OPENING_HOURS),
}


def catalogue(service: str) -> dict:
    """What GET /analyses of a service answers."""
    return {
        "service": service,
        "title": f"{service} service",
        "analyses": [
            {
                "key": key,
                "path": f"/{key}",
                "title": f"Title of {key}",
                "definition": f"What {key} counts; `previous` is the window before.",
                "parameters": [],
            }
            for key, (owner, _answer) in ANSWERS.items()
            if owner == service
        ],
    }


def service_routes(overrides: dict | None = None) -> dict:
    """FakeSession routes of every service: its catalogue and every analysis's answer.

    overrides: analysis key ("backlog-age") -> a FakeResponse answering instead.
    """
    overrides = overrides or {}
    routes = {
        ("GET", f"{host}/analyses"): FakeResponse(200, catalogue(s)) for s, host in HOSTS.items()
    }
    for key, (service, answer) in ANSWERS.items():
        routes[("GET", f"{HOSTS[service]}/{key}")] = overrides.get(key) or FakeResponse(200, answer)
    return routes
