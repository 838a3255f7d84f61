"""The trained model on disk: training a bundle, writing it atomically, reading it back."""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from ticket_api.classifier.categories import KEYS
from ticket_api.classifier.corpus import corpus_hash, load_corpus
from ticket_api.classifier.model import train_pipeline

# Bumped whenever the features or the bundle layout change, so stale caches retrain.
MODEL_FORMAT = 3
MODEL_FILE = "category-classifier.pkl"
# A helpdesk override counts as this many corpus examples: a kind of text corrected a
# few times outweighs the corpus's handful of similar examples, one stray click does not.
CORRECTION_WEIGHT = 3.0


def model_path(model_dir: Path) -> Path:
    """Where the model of a model folder is cached."""
    return Path(model_dir) / MODEL_FILE


def clean_corrections(corrections: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Valid (text, category) overrides; for a text corrected twice the last one counts."""
    latest: dict[str, tuple[str, str]] = {}
    for text, category in corrections:
        text = str(text or "")
        if category in KEYS and text.strip():
            key = " ".join(text.lower().split())
            latest.pop(key, None)
            latest[key] = (text, category)
    return list(latest.values())


def train_bundle(corpus_dir: Path | None, corrections: Iterable[tuple[str, str]] = ()) -> dict:
    """A freshly trained model with everything needed to tell whether it is still current."""
    started = time.perf_counter()
    fingerprint = corpus_hash(corpus_dir)
    examples = load_corpus(corpus_dir)
    fixes = clean_corrections(corrections)
    texts = [e.text for e in examples] + [text for text, _ in fixes]
    labels = [e.category for e in examples] + [category for _, category in fixes]
    weights = [1.0] * len(examples) + [CORRECTION_WEIGHT] * len(fixes)
    pipeline = train_pipeline(texts, labels, weights)
    return {
        "format": MODEL_FORMAT,
        "corpus_hash": fingerprint,
        "pipeline": pipeline,
        "corrections": fixes,
        "examples": len(examples),
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "training_seconds": round(time.perf_counter() - started, 3),
    }


def save_bundle(bundle: dict, model_dir: Path) -> Path:
    """Write the bundle so that readers see either the old file or the new one, never half."""
    target = model_path(model_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".model-", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(bundle, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp creates the file private; the API may run as another user than the CLI.
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return target


def load_bundle(model_dir: Path) -> dict | None:
    """The cached bundle, or None when missing, unreadable or of another format."""
    try:
        with open(model_path(model_dir), "rb") as src:
            bundle = pickle.load(src)
    except (
        OSError,
        pickle.UnpicklingError,
        EOFError,
        AttributeError,
        ImportError,
        ValueError,
        TypeError,
    ):
        return None
    if not isinstance(bundle, dict) or bundle.get("format") != MODEL_FORMAT:
        return None
    return bundle


def file_stamp(model_dir: Path) -> tuple[int, int, int] | None:
    """Identity of the model file's current version (inode, mtime, size), None if missing."""
    try:
        info = os.stat(model_path(model_dir))
    except OSError:
        return None
    return (info.st_ino, info.st_mtime_ns, info.st_size)


@contextlib.contextmanager
def training_lock(model_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock so that parallel workers train a missing model only once."""
    try:
        import fcntl

        Path(model_dir).mkdir(parents=True, exist_ok=True)
        lock = open(Path(model_dir) / ".training.lock", "w")
    except (ImportError, OSError):
        # No lock to be had: parallel trainings still each end in one whole file.
        yield
        return
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
