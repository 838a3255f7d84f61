"""The cached model: rebuilt when the corpus changes, replaced atomically, reloaded live."""

from __future__ import annotations

import json
import threading

import pytest

from ticket_api.classifier import CategoryClassifier, get_classifier, retrain, store, train
from ticket_api.classifier.store import clean_corrections

SMALL_CORPUS = {
    "facility": [
        "the heating is off",
        "water leak in the toilet",
        "broken chair in the room",
        "the lift is stuck",
        "light bulb out in corridor",
        "door lock broken",
    ],
    "it": [
        "wifi is down",
        "forgot my password",
        "printer offline",
        "projector no signal",
        "email not syncing",
        "cannot log in to the portal",
    ],
    "services": [
        "canteen food was cold",
        "rude staff at the desk",
        "long queue at the office",
        "shuttle bus late",
        "library closes too early",
        "vending machine took my coins",
    ],
}


def write_corpus(folder, corpus=SMALL_CORPUS):
    folder.mkdir(parents=True, exist_ok=True)
    for category, texts in corpus.items():
        with open(folder / f"{category}.jsonl", "w", encoding="utf-8") as out:
            for text in texts:
                out.write(json.dumps({"text": text, "category": category, "lang": "en"}) + "\n")
    return folder


@pytest.fixture()
def corpus_dir(tmp_path):
    return write_corpus(tmp_path / "corpus")


@pytest.fixture()
def model_dir(tmp_path):
    return tmp_path / "models"


def test_missing_model_is_trained_and_cached(corpus_dir, model_dir):
    classifier = CategoryClassifier(model_dir, corpus_dir=corpus_dir)
    assert classifier.classify("wifi down in room 3").category == "it"
    assert store.model_path(model_dir).exists()
    assert classifier.info["examples"] == 18


def test_unchanged_corpus_reuses_the_cached_file(corpus_dir, model_dir):
    CategoryClassifier(model_dir, corpus_dir=corpus_dir).load()
    stamp = store.file_stamp(model_dir)
    CategoryClassifier(model_dir, corpus_dir=corpus_dir).load()
    assert store.file_stamp(model_dir) == stamp


def test_changed_corpus_rebuilds_the_cache(corpus_dir, model_dir):
    first = CategoryClassifier(model_dir, corpus_dir=corpus_dir).info
    with open(corpus_dir / "it.jsonl", "a", encoding="utf-8") as out:
        out.write(json.dumps({"text": "scanner not working", "category": "it"}) + "\n")
    second = CategoryClassifier(model_dir, corpus_dir=corpus_dir).info
    assert second["corpus_hash"] != first["corpus_hash"]
    assert second["examples"] == first["examples"] + 1


def test_rebuild_after_corpus_change_keeps_earlier_overrides(corpus_dir, model_dir):
    retrain(model_dir, [("microwave broken", "services")], corpus_dir=corpus_dir)
    with open(corpus_dir / "it.jsonl", "a", encoding="utf-8") as out:
        out.write(json.dumps({"text": "scanner not working", "category": "it"}) + "\n")
    assert CategoryClassifier(model_dir, corpus_dir=corpus_dir).info["corrections"] == 1
    assert train(model_dir, corpus_dir=corpus_dir)["corrections"] == 1


def test_rebuild_asks_the_corrections_source(corpus_dir, model_dir):
    overrides = [("microwave broken", "services"), ("bad label", "nonsense")]
    classifier = CategoryClassifier(model_dir, corrections=lambda: overrides, corpus_dir=corpus_dir)
    assert classifier.info["corrections"] == 1


def test_unreadable_model_file_is_rebuilt(corpus_dir, model_dir):
    model_dir.mkdir()
    store.model_path(model_dir).write_bytes(b"not a model")
    assert CategoryClassifier(model_dir, corpus_dir=corpus_dir).classify("wifi").category == "it"


def test_get_classifier_is_one_instance_per_folder(corpus_dir, model_dir, tmp_path):
    assert get_classifier(model_dir, corpus_dir=corpus_dir) is get_classifier(
        model_dir, corpus_dir=corpus_dir
    )
    assert get_classifier(tmp_path / "other", corpus_dir=corpus_dir) is not get_classifier(
        model_dir, corpus_dir=corpus_dir
    )


def test_rewritten_model_is_picked_up_at_most_once_per_interval(corpus_dir, model_dir, monkeypatch):
    live = CategoryClassifier(model_dir, corpus_dir=corpus_dir)
    live.load()
    monkeypatch.setattr(CategoryClassifier, "reload_interval", 3600.0)
    retrain(model_dir, [("microwave broken", "services")], corpus_dir=corpus_dir)
    live.classify("wifi")
    assert live.info["corrections"] == 0
    monkeypatch.setattr(CategoryClassifier, "reload_interval", 0.0)
    live.classify("wifi")
    assert live.info["corrections"] == 1


def test_retrain_writes_atomically(corpus_dir, model_dir):
    retrain(model_dir, [], corpus_dir=corpus_dir)
    retrain(model_dir, [], corpus_dir=corpus_dir)
    assert [p.name for p in model_dir.iterdir() if not p.name.startswith(".training")] == [
        store.MODEL_FILE
    ]


def test_classify_while_another_process_retrains(corpus_dir, model_dir, monkeypatch):
    monkeypatch.setattr(CategoryClassifier, "reload_interval", 0.0)
    live = CategoryClassifier(model_dir, corpus_dir=corpus_dir)
    live.load()
    failures = []

    def classify_many_times():
        try:
            for _ in range(300):
                assert live.classify("printer offline").category == "it"
        except Exception as exc:  # collected so the main thread can report it
            failures.append(exc)

    threads = [threading.Thread(target=classify_many_times) for _ in range(4)]
    for thread in threads:
        thread.start()
    for n in range(3):
        retrain(model_dir, [(f"microwave broken {n}", "services")], corpus_dir=corpus_dir)
    for thread in threads:
        thread.join()
    assert failures == []


def test_corrections_are_cleaned():
    cleaned = clean_corrections(
        [("Wifi down", "facility"), ("wifi  DOWN", "it"), ("", "it"), ("lamp", "unknown")]
    )
    assert cleaned == [("wifi  DOWN", "it")]


def test_read_only_model_folder_still_classifies(corpus_dir, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    classifier = CategoryClassifier(blocked / "models", corpus_dir=corpus_dir)
    assert classifier.classify("printer offline").category == "it"
