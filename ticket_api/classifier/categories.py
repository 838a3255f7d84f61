"""The three ticket categories, as CATEGORIES.md defines them."""

from __future__ import annotations

CATEGORIES: tuple[dict[str, str], ...] = (
    {
        "key": "facility",
        "label": "Facility management",
        "description": "The physical campus: buildings, rooms, lifts, doors, heating, plumbing, "
        "electricity, furniture, cleaning of spaces, grounds and parking.",
    },
    {
        "key": "it",
        "label": "Technical IT",
        "description": "Anything digital: Wi-Fi, accounts and passwords, e-mail, university web "
        "sites and apps, software, computers, printers, projectors and phones.",
    },
    {
        "key": "services",
        "label": "Services complaints",
        "description": "How a service run by people treats its users: canteen food, vending "
        "machines, staff, offices, queues, opening hours, library, transport "
        "and sport.",
    },
)

KEYS: tuple[str, ...] = tuple(c["key"] for c in CATEGORIES)
LABELS: dict[str, str] = {c["key"]: c["label"] for c in CATEGORIES}

# An automatic category whose winning probability is under this is shown to the helpdesk as
# "Category to be checked". Chosen on the 5-fold cross-validated predictions of the corpus as
# the lowest multiple of 0.05 above which at least CHECK_TARGET of the categories are right;
# `campusdesk classifier evaluate` prints those figures again (docs/classifier.md).
CHECK_BELOW = 0.6
CHECK_TARGET = 0.98
