"""``campusdesk classifier evaluate|retrain|train``."""

from __future__ import annotations

import argparse
import json
import random

import pytest

from kit.settings import Settings
from ticket_api.classifier import cli, corpus, store


@pytest.fixture()
def corpus_dir(tmp_path, monkeypatch):
    """A small generated corpus, installed as the default corpus."""
    words = {
        "facility": ["heating", "leak", "lift", "door", "lamp", "toilet"],
        "it": ["wifi", "password", "printer", "projector", "email", "portal"],
        "services": ["canteen", "queue", "staff", "shuttle", "fees", "library"],
    }
    rng = random.Random(7)
    folder = tmp_path / "corpus"
    folder.mkdir()
    for category, vocabulary in words.items():
        with open(folder / f"{category}.jsonl", "w") as out:
            for n in range(20):
                text = f"{rng.choice(vocabulary)} {rng.choice(vocabulary)} problem {n}"
                out.write(json.dumps({"text": text, "category": category}) + "\n")
    monkeypatch.setattr(corpus, "CORPUS_DIR", folder)
    return folder


OVERRIDES = [("microwave broken", "services")]


def parse(*argv):
    parser = argparse.ArgumentParser()
    cli.add_classifier_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["classifier", *argv])


def test_evaluate_prints_held_out_cross_validated_and_every_evaluation_set(
    corpus_dir, tmp_path, capsys
):
    sets = tmp_path / "evaluation"
    sets.mkdir()
    (sets / "independent.jsonl").write_text(
        json.dumps({"text": "wifi broken", "category": "it"}) + "\n"
    )
    (sets / "short.jsonl").write_text(
        json.dumps({"text": "heating leak", "category": "facility"})
        + "\n"
        + json.dumps({"text": "shuttle queue", "category": "services"})
        + "\n"
    )
    args = parse("evaluate", "--corpus", str(corpus_dir), "--evaluation", str(sets), "--folds", "3")
    assert args.func(args, None) == 0
    out = capsys.readouterr().out
    assert "held-out split" in out and "accuracy" in out and "macro-F1" in out
    assert "3-fold cross-validation" in out
    assert "accuracy per corpus file: facility.jsonl" in out
    assert "category to be checked under 0.60" in out
    assert "evaluation set independent (model trained on the whole corpus): 1 examples" in out
    assert "evaluation set short (model trained on the whole corpus): 2 examples" in out
    assert "precision / recall: facility" in out


def test_evaluate_one_set_given_as_a_file(corpus_dir, tmp_path, capsys):
    independent = tmp_path / "mine.jsonl"
    independent.write_text(json.dumps({"text": "wifi broken", "category": "it"}) + "\n")
    args = parse(
        "evaluate", "--corpus", str(corpus_dir), "--independent", str(independent), "--folds", "0"
    )
    assert args.func(args, None) == 0
    assert "evaluation set mine (model trained on the whole corpus): 1 examples" in (
        capsys.readouterr().out
    )


def test_evaluate_without_evaluation_sets(corpus_dir, tmp_path, capsys):
    args = parse(
        "evaluate",
        "--corpus",
        str(corpus_dir),
        "--evaluation",
        str(tmp_path / "missing"),
        "--folds",
        "0",
    )
    assert args.func(args, None) == 0
    assert "evaluation sets: none found in" in capsys.readouterr().out


def test_retrain_folds_in_the_helpdesk_overrides(corpus_dir, tmp_path, monkeypatch, capsys):
    settings = Settings(data_dir=tmp_path / "data")
    monkeypatch.setattr(cli, "helpdesk_overrides", lambda s: OVERRIDES)
    args = parse("retrain")
    assert args.func(args, settings) == 0
    assert "1 helpdesk overrides" in capsys.readouterr().out
    assert store.load_bundle(settings.model_dir)["corrections"] == OVERRIDES

    args = parse("train")
    assert args.func(args, settings) == 0
    assert store.load_bundle(settings.model_dir)["corrections"] == OVERRIDES


def test_train_without_overrides_drops_them(corpus_dir, tmp_path, monkeypatch):
    settings = Settings(data_dir=tmp_path / "data")
    monkeypatch.setattr(cli, "helpdesk_overrides", lambda s: OVERRIDES)
    args = parse("retrain")
    args.func(args, settings)
    args = parse("train", "--without-overrides")
    assert args.func(args, settings) == 0
    assert store.load_bundle(settings.model_dir)["corrections"] == []


def test_overrides_are_read_from_the_database_oldest_first(tmp_path):
    from ticket_api.db import open_database
    from ticket_api.migrations import migrate
    from ticket_api.models import ClassifierExample
    from ticket_api.timefields import utcnow

    settings = Settings(data_dir=tmp_path / "data")
    assert cli.helpdesk_overrides(settings) == []  # never initialised: nothing to fold in
    db = open_database(settings)
    migrate(db)
    for text, category in [("microwave broken", "services"), ("lamp out", "facility")]:
        ClassifierExample.create(text=text, category=category, created_at=utcnow())
    db.close()
    assert cli.helpdesk_overrides(settings) == [
        ("microwave broken", "services"),
        ("lamp out", "facility"),
    ]


def test_main_cli_runs_the_classifier_commands(corpus_dir, tmp_path, monkeypatch, capsys):
    from campusdesk.cli import main

    monkeypatch.setenv("CAMPUSDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CAMPUSDESK_DATABASE_URL", raising=False)
    assert main(["classifier", "retrain"]) == 0
    assert "0 helpdesk overrides" in capsys.readouterr().out
    assert store.model_path(tmp_path / "data" / "models").exists()
