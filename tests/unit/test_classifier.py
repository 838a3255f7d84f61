"""The category classifier: predictions, the rules of CATEGORIES.md, accuracy, retraining."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from ticket_api.classifier import (
    CATEGORIES,
    KEYS,
    CategoryClassifier,
    Prediction,
    evaluation,
    get_classifier,
    load_corpus,
    retrain,
)
from ticket_api.classifier.corpus import CORPUS_DIR
from ticket_api.classifier.model import category_scores, train_pipeline


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory):
    """A frozen copy of the shipped corpus, so every test sees the same one."""
    target = tmp_path_factory.mktemp("corpus")
    for path in CORPUS_DIR.glob("*.jsonl"):
        shutil.copy(path, target / path.name)
    return target


@pytest.fixture(scope="session")
def classifier(corpus_dir, tmp_path_factory):
    """The classifier trained once on the shipped corpus."""
    return CategoryClassifier(tmp_path_factory.mktemp("model"), corpus_dir=corpus_dir)


def test_categories_are_the_three_of_the_labelling_guide():
    assert [c["key"] for c in CATEGORIES] == ["facility", "it", "services"]
    assert [c["label"] for c in CATEGORIES] == [
        "Facility management",
        "Technical IT",
        "Services complaints",
    ]
    assert all(c["description"].endswith(".") for c in CATEGORIES)


def test_prediction_carries_probabilities_of_every_category(classifier):
    prediction = classifier.classify("The projector in room B2.14 shows no image")
    assert isinstance(prediction, Prediction)
    assert list(prediction.scores) == list(KEYS)
    assert sum(prediction.scores.values()) == pytest.approx(1.0)
    assert prediction.confidence == prediction.scores[prediction.category]
    assert prediction.category == max(prediction.scores, key=prediction.scores.get)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "?!",
        "x" * 10_000,
        "wifi " * 2_000,
        "\u0000\u200b\ufeff",
        "\ud800 lone surrogate",
        "🔥🔥🔥 ÇA NE MARCHE PAS",
        "Ｗｉ－Ｆｉ　ｄｏｗｎ",
        "\u202eetirw ot tfel morf",
        "ℌ𝔢𝔩𝔭",
    ],
)
def test_any_text_gets_a_valid_prediction(classifier, text):
    prediction = classifier.classify(text)
    assert prediction.category in KEYS
    assert 0.0 <= prediction.confidence <= 1.0
    assert sum(prediction.scores.values()) == pytest.approx(1.0)


def test_training_is_deterministic(corpus_dir):
    examples = load_corpus(corpus_dir)[::3]
    texts, labels = [e.text for e in examples], [e.category for e in examples]
    probe = ["stampante rotta", "cold soup in the canteen", "radiator leaking", ""]
    first = category_scores(train_pipeline(texts, labels), probe)
    second = category_scores(train_pipeline(texts, labels), probe)
    assert np.array_equal(first, second)


def test_single_text_path_agrees_with_the_pipeline(classifier, corpus_dir):
    texts = [e.text for e in load_corpus(corpus_dir)][:200] + ["", "ünïcödé ✓", "a" * 5000]
    batch = category_scores(classifier.load()["pipeline"], texts)
    single = np.array([list(classifier.classify(t).scores.values()) for t in texts])
    np.testing.assert_allclose(single, batch, atol=1e-5)


ENGLISH_AND_ITALIAN = {
    "facility": [
        "The elevator in building C is stuck between the second and third floor",
        "there's no hot water in the showers of the sports hall changing rooms",
        "il riscaldamento dell'aula 12 è spento, si gela",
        "il bagno del primo piano è allagato",
    ],
    "it": [
        "I can't log in to the e-learning platform, it says my password expired",
        "the printer on the third floor of the library is offline",
        "la stampante al secondo piano non funziona",
        "non riesco ad accedere alla mail dell'università",
    ],
    "services": [
        "The registrar's office has been closed every afternoon this week, nobody answers",
        "the canteen pasta was overcooked and cold today",
        "la navetta delle 8 per il campus non è passata di nuovo",
        "in segreteria c'è una coda di due ore per un certificato",
    ],
}


@pytest.mark.parametrize(
    "category,text",
    [(category, text) for category, texts in ENGLISH_AND_ITALIAN.items() for text in texts],
)
def test_english_and_italian_tickets(classifier, category, text):
    assert classifier.classify(text).category == category


BOUNDARY_CASES = {
    "wifi_in_canteen_is_it": ("The Wi-Fi in the canteen keeps dropping during lunch", "it"),
    "cold_canteen_pasta_is_services": ("the pasta at the canteen was cold again", "services"),
    "leak_from_canteen_ceiling_is_facility": (
        "water is dripping from the ceiling of the canteen onto the tables",
        "facility",
    ),
    "printer_is_it": ("the printer next to the toilets on floor 1 jams on every page", "it"),
    "hand_dryer_is_facility": (
        "the hand dryer in the men's toilets on floor 1 is broken",
        "facility",
    ),
    "projector_is_it": ("the projector in the lecture hall won't turn on", "it"),
    "badge_reader_on_door_is_facility": (
        "the badge reader on the lab door doesn't open the door anymore",
        "facility",
    ),
    "dirty_toilet_is_facility": (
        "the toilets on the ground floor are filthy, no soap, bins overflowing",
        "facility",
    ),
    "rude_cleaner_is_services": (
        "a cleaning lady shouted at me and was really rude this morning",
        "services",
    ),
    "vending_machine_swallows_coins_is_services": (
        "the vending machine in building A swallowed my coins and gave nothing",
        "services",
    ),
    "vending_machine_stale_food_is_services": (
        "the sandwiches in the vending machine are stale and past their date",
        "services",
    ),
    "failing_enrolment_portal_is_it": (
        "the enrolment portal crashes with an error when I click submit",
        "it",
    ),
    "slow_enrolment_office_is_services": (
        "the enrolment office is taking weeks to process my application, nobody replies",
        "services",
    ),
    "wifi_in_canteen_is_it_italian": ("il wifi della mensa non funziona da stamattina", "it"),
    "leak_from_canteen_ceiling_is_facility_italian": (
        "perdita d'acqua dal soffitto della mensa, sopra le casse",
        "facility",
    ),
    "vending_machine_swallows_coins_is_services_italian": (
        "la macchinetta del caffè si è mangiata due euro e non ha dato niente",
        "services",
    ),
    "rude_cleaner_is_services_italian": (
        "l'addetta alle pulizie è stata maleducata con noi",
        "services",
    ),
    "several_problems_first_decides_it": (
        "I can't connect to the Wi-Fi in the study room at all, no network since Monday. "
        "Also the room is a bit cold.",
        "it",
    ),
    "several_problems_first_decides_facility": (
        "The radiator in my office has been leaking water all over the floor since Monday and "
        "the carpet is soaked. Also the wifi is slow.",
        "facility",
    ),
}


@pytest.mark.parametrize("case", BOUNDARY_CASES)
def test_boundary_rules_of_the_labelling_guide(classifier, case):
    text, expected = BOUNDARY_CASES[case]
    assert classifier.classify(text).category == expected


def test_every_category_is_reachable(classifier, corpus_dir):
    texts = [e.text for e in load_corpus(corpus_dir)]
    predicted = {p.category for p in classifier.classify_many(texts)}
    assert predicted == set(KEYS)


def test_held_out_accuracy_floor(corpus_dir):
    train, test = evaluation.held_out_split(load_corpus(corpus_dir))
    assert not {e.text for e in train} & {e.text for e in test}
    report = evaluation.evaluate(evaluation.fit(train), test)
    assert report.accuracy >= 0.85
    assert report.macro_f1 >= 0.85


# The helpdesk decided that microwave ovens in common rooms belong to the canteen service.
MICROWAVE_OVERRIDES = [
    ("the microwave in the common room of building B doesn't heat anything", "services"),
    ("Microwave on the 2nd floor broken again, my lunch is still frozen", "services"),
    ("microonde della sala comune rotto", "services"),
    ("the microwave oven in the student lounge sparks when you turn it on", "services"),
    ("can someone fix the microwave near the study room, it stopped working", "services"),
    ("microwave in the PhD kitchen makes a loud noise and does not warm food", "services"),
]
NEW_MICROWAVE_TICKETS = [
    "microwave broken in the common room of building D",
    "The microwave on floor 3 doesn't work",
    "microonde rotto al secondo piano",
]


def test_retraining_on_overrides_changes_similar_predictions(corpus_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(CategoryClassifier, "reload_interval", 0.0)
    live = get_classifier(tmp_path, corpus_dir=corpus_dir)
    assert all(live.classify(t).category != "services" for t in NEW_MICROWAVE_TICKETS)

    summary = retrain(tmp_path, MICROWAVE_OVERRIDES, corpus_dir=corpus_dir)

    assert summary["corrections"] == len(MICROWAVE_OVERRIDES)
    # The same cached instance sees the file another process would have rewritten.
    assert all(live.classify(t).category == "services" for t in NEW_MICROWAVE_TICKETS)
    assert live.info["corrections"] == len(MICROWAVE_OVERRIDES)
    # Overrides about microwaves do not drag the rest of the common room with them.
    assert live.classify("the heater in the common room is broken").category == "facility"
    assert live.classify("the pasta was cold").category == "services"
    assert live.classify("the projector does not turn on").category == "it"
