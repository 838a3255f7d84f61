"""Similar tickets while a person types a report: open and active tickets sharing key words
with the text, the most shared first, then the category the classifier gives the text, then
the newest; the same answer on both databases."""

from __future__ import annotations

from tests.api.helpers import HELPDESK, USER, advance, assert_problem, create
from ticket_api import similar


def suggested(client, headers=USER, **params) -> list[int]:
    response = client.get("/api/tickets/similar", query_string=params, headers=headers)
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


def test_tickets_sharing_more_key_words_come_first(client):
    lift = create(client, title="Lift stuck on floor 2", description="The lift in C is stuck.")
    printer = create(client, title="Printer jammed", description="The printer on floor 2 jams.")
    wifi = create(client, title="Wi-Fi drops", description="The Wi-Fi drops in the library.")
    create(client, title="Library too cold", description="No heating in the library.")
    assert suggested(client, title="The lift is stuck", description="Stuck between floors") == [
        lift["id"]
    ]
    found = client.get(
        "/api/tickets/similar", query_string={"title": "wifi drops in the library"}
    ).json["items"]
    assert [item["id"] for item in found] == [wifi["id"]]
    assert found[0]["shared_words"] == 3 and found[0]["reported_by"] == 1
    # "Wi-Fi" and "wifi" meet, both ways
    other = create(client, title="wifi slow", description="The wifi is slow in the library.")
    typed = {"title": "Wi-Fi slow", "description": "library"}
    assert suggested(client, **typed) == [other["id"], wifi["id"]]  # the library: one word
    # words are folded as search folds them: accents and case do not count
    assert suggested(client, title="STAMPANTE", description="printer JÄMMED") == [printer["id"]]


def test_one_key_word_finds_tickets_having_it_newest_first(client):
    older = create(client, title="Projector broken", description="Room 4.")
    newer = create(client, title="Projector flickers", description="Room 5.")
    assert suggested(client, title="projector") == [newer["id"], older["id"]]
    assert suggested(client, title="projector", limit=1) == [newer["id"]]


def test_the_classifiers_category_wins_ties(client):
    it = create(client, title="Keyboard broken", description="The keyboard in the lab is broken.")
    facility = create(client, title="Window broken", description="The window in the lab is broken.")
    assert it["category"] != facility["category"]
    # each text shares two key words with both tickets: its category decides
    for ticket, description in (
        (it, "the computer screen stays black"),
        (facility, "the ceiling drips water on the desks"),
    ):
        typed = {"title": "Broken in the lab", "description": description}
        text = f"{typed['title']}\n{description}"
        guessed = client.post("/api/classify", json={"text": text}).json["category"]
        assert guessed == ticket["category"]
        found = client.get("/api/tickets/similar", query_string=typed).json["items"]
        assert [item["shared_words"] for item in found] == [2, 2]
        assert found[0]["id"] == ticket["id"]


def test_words_are_compared_whole(client):
    create(client, title="Printers jammed", description="Both printers.")
    assert suggested(client, title="printer jam") == []


def test_only_open_and_active_tickets_and_at_most_three(client):
    tickets = [create(client, title=f"Heating off in hall {n}") for n in range(5)]
    advance(client, tickets[4], "active", "closed")
    advance(client, tickets[3], "active")
    ids = [t["id"] for t in tickets]
    for headers in (USER, HELPDESK):
        assert suggested(client, headers=headers, title="heating off") == [ids[3], ids[2], ids[1]]


def test_texts_without_key_words_find_nothing(client):
    create(client, title="The lift is stuck", description="It is.")
    for params in ({}, {"title": ""}, {"title": "it is the"}, {"description": "a b c"}):
        assert suggested(client, **params) == []


def test_bad_input_is_refused(client):
    for params in (
        {"title": "x" * 201},
        {"description": "x" * 10_001},
        {"limit": 0},
        {"limit": 11},
        {"title": "a\x00b"},
        {"other": "x"},
    ):
        assert_problem(client.get("/api/tickets/similar", query_string=params), 400)


def test_the_longest_key_words_are_looked_up():
    typed = "The elevator in building C is stuck: ascensore bloccato, nobody answers the bell"
    assert similar.looked_up_words(typed) == [
        "ascensore",
        "bloccato",
        "building",
        "elevator",
        "answers",
        "nobody",
        "stuck",
        "bell",
    ]


def test_the_route_is_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json["paths"]
    params = {p["name"] for p in paths["/api/tickets/similar"]["get"]["parameters"]}
    assert {"title", "description", "limit"} <= params
    followers = paths["/api/tickets/{ticket_id}/followers"]["post"]["responses"]["201"]
    assert followers["content"]["application/json"]["schema"]["$ref"].endswith("/FollowerCreated")
    merge = paths["/api/tickets/{ticket_id}/merge"]["post"]
    assert {"403", "404", "409", "422"} <= set(merge["responses"])
