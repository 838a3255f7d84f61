"""``campusdesk classifier evaluate|retrain|train``."""

from __future__ import annotations

import argparse
import json
import random

import pytest

from campusdesk.settings import Settings
from ticket_api.classifier import cli, corpus, store


@pytest.fixture()
def corpus_dir(tmp_path, monkeypatch):
    """A small generated corpus, installed as the default corpus."""
    words = {"facility": ["heating", "leak", "lift", "door", "lamp", "toilet"],
             "it": ["wifi", "password", "printer", "projector", "email", "portal"],
             "services": ["canteen", "queue", "staff", "shuttle", "fees", "library"]}
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


def parse(*argv):
    parser = argparse.ArgumentParser()
    cli.add_classifier_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["classifier", *argv])


def test_evaluate_prints_held_out_cross_validated_and_independent_figures(corpus_dir, tmp_path,
                                                                          capsys):
    independent = tmp_path / "independent.jsonl"
    independent.write_text(json.dumps({"text": "wifi broken", "category": "it"}) + "\n")
    args = parse("evaluate", "--corpus", str(corpus_dir), "--independent", str(independent),
                 "--folds", "3")
    assert args.func(args, None) == 0
    out = capsys.readouterr().out
    assert "held-out split" in out and "accuracy" in out and "macro-F1" in out
    assert "3-fold cross-validation" in out
    assert "independent set (model trained on the whole corpus): 1 examples" in out


def test_evaluate_without_independent_set(corpus_dir, tmp_path, capsys):
    args = parse("evaluate", "--corpus", str(corpus_dir), "--independent",
                 str(tmp_path / "missing.jsonl"), "--folds", "0")
    assert args.func(args, None) == 0
    assert "independent set: not found" in capsys.readouterr().out


def test_retrain_folds_in_the_helpdesk_overrides(corpus_dir, tmp_path, monkeypatch, capsys):
    settings = Settings(data_dir=tmp_path / "data")
    monkeypatch.setattr(cli, "helpdesk_overrides", lambda s: [("microwave broken", "services")])
    args = parse("retrain")
    assert args.func(args, settings) == 0
    assert "1 helpdesk overrides" in capsys.readouterr().out
    assert store.load_bundle(settings.model_dir)["corrections"] == [("microwave broken", "services")]

    args = parse("train")
    assert args.func(args, settings) == 0
    assert store.load_bundle(settings.model_dir)["corrections"] == [("microwave broken", "services")]

