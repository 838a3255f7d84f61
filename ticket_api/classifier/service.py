"""The classifier the API uses: one cached, self-refreshing instance per model folder."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ticket_api.classifier import store
from ticket_api.classifier.categories import KEYS
from ticket_api.classifier.corpus import corpus_hash, load_corpus
from ticket_api.classifier.fast import CompiledPipeline

Corrections = Callable[[], Iterable[tuple[str, str]]]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prediction:
    """A category with its probability and the probability of every category."""

    category: str
    confidence: float
    scores: dict[str, float]


def _prediction(row) -> Prediction:
    row = row / row.sum()
    scores = {key: float(value) for key, value in zip(KEYS, row)}
    category = max(scores, key=scores.get)
    return Prediction(category, scores[category], scores)


def _compiled(bundle: dict) -> dict:
    return bundle | {"compiled": CompiledPipeline(bundle["pipeline"])}


class CategoryClassifier:
    """Classifies ticket texts with the model cached in a folder, reloading it when it changes."""

    # How often, at most, classify() looks whether another process rewrote the model file.
    reload_interval = 1.0

    def __init__(
        self,
        model_dir: Path,
        corrections: Corrections | None = None,
        corpus_dir: Path | None = None,
    ) -> None:
        self.model_dir = Path(model_dir)
        self.corpus_dir = corpus_dir
        self.corrections = corrections
        self._lock = threading.Lock()
        self._bundle: dict | None = None
        self._stamp = None
        self._checked = 0.0

    def classify(self, text: str) -> Prediction:
        """The category of one ticket text; any text, even empty or huge, gets one."""
        return self.classify_many([text])[0]

    def classify_many(self, texts: Iterable[str]) -> list[Prediction]:
        """The categories of several texts, in order."""
        compiled = self._current()["compiled"]
        return [_prediction(compiled.scores("" if t is None else str(t))) for t in texts]

    @property
    def ready(self) -> bool:
        """Whether a model is loaded."""
        return self._bundle is not None

    @property
    def info(self) -> dict:
        """What the loaded model was trained on, and when."""
        bundle = self._current()
        return {
            key: bundle[key]
            for key in ("corpus_hash", "examples", "trained_at", "training_seconds")
        } | {"corrections": len(bundle["corrections"])}

    def _current(self) -> dict:
        bundle = self._bundle
        if bundle is None:
            return self.load()
        now = time.monotonic()
        if now - self._checked >= self.reload_interval:
            self._checked = now
            if store.file_stamp(self.model_dir) not in (None, self._stamp):
                return self._reload()
        return bundle

    def _reload(self) -> dict:
        with self._lock:
            stamp = store.file_stamp(self.model_dir)
            bundle = store.load_bundle(self.model_dir)
            # A file that cannot be read is not retried until it changes again.
            self._stamp = stamp
            if bundle is not None:
                self._bundle = _compiled(bundle)
            return self._bundle

    def load(self) -> dict:
        """Load the cached model, training it first when missing or made from another corpus."""
        bundle = self._bundle
        if bundle is not None:
            return bundle
        with self._lock:
            if self._bundle is None:
                self._bundle = _compiled(self._load_or_train())
                self._checked = time.monotonic()
            return self._bundle

    def _load_or_train(self) -> dict:
        wanted = corpus_hash(self.corpus_dir)
        stamp = store.file_stamp(self.model_dir)
        bundle = store.load_bundle(self.model_dir)
        if bundle is not None and bundle["corpus_hash"] == wanted:
            self._stamp = stamp
            return bundle
        with store.training_lock(self.model_dir):
            # Another process may have trained while this one waited for the lock.
            fresh = store.load_bundle(self.model_dir)
            if fresh is not None and fresh["corpus_hash"] == wanted:
                self._stamp = store.file_stamp(self.model_dir)
                return fresh
            if self.corrections is not None:
                fixes = list(self.corrections())
            else:
                fixes = (fresh or bundle or {}).get("corrections", [])
            trained = store.train_bundle(self.corpus_dir, fixes)
            try:
                store.save_bundle(trained, self.model_dir)
            except OSError as exc:  # a read-only folder must not stop tickets being classified
                log.warning(
                    "cannot cache the classifier in %s (%s); keeping it in memory",
                    self.model_dir,
                    exc,
                )
            self._stamp = store.file_stamp(self.model_dir)
            return trained


_instances: dict[tuple, CategoryClassifier] = {}
_instances_lock = threading.Lock()


def get_classifier(
    model_dir: Path, corrections: Corrections | None = None, corpus_dir: Path | None = None
) -> CategoryClassifier:
    """The process-wide classifier of a model folder, loaded (or trained) on first use."""
    # The API asks on every request: the key as given is found without touching the disk.
    classifier = _instances.get((model_dir, corpus_dir))
    if classifier is None:
        key = (Path(model_dir).resolve(), Path(corpus_dir).resolve() if corpus_dir else None)
        with _instances_lock:
            classifier = _instances.get(key)
            if classifier is None:
                classifier = CategoryClassifier(model_dir, corrections, corpus_dir)
                _instances[key] = classifier
            _instances[(model_dir, corpus_dir)] = classifier
    if corrections is not None and classifier.corrections is None:
        classifier.corrections = corrections
    classifier.load()
    return classifier


def retrain(
    model_dir: Path, corrections: Iterable[tuple[str, str]], corpus_dir: Path | None = None
) -> dict:
    """Train on the corpus plus helpdesk overrides and replace the cached model."""
    with store.training_lock(model_dir):
        bundle = store.train_bundle(corpus_dir, corrections)
        path = store.save_bundle(bundle, model_dir)
    return {
        "path": str(path),
        "examples": bundle["examples"],
        "corrections": len(bundle["corrections"]),
        "training_seconds": bundle["training_seconds"],
        "corpus_hash": bundle["corpus_hash"],
    }


def train(model_dir: Path, corpus_dir: Path | None = None) -> dict:
    """Rebuild the cached model from the corpus, keeping the overrides it was trained with."""
    previous = store.load_bundle(model_dir) or {}
    return retrain(model_dir, previous.get("corrections", []), corpus_dir)


__all__ = ["CategoryClassifier", "Prediction", "get_classifier", "retrain", "train", "load_corpus"]
