"""The labelled corpus: reading JSONL example files and fingerprinting them."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Iterable, NamedTuple

from ticket_api.classifier.categories import KEYS

PACKAGE_DIR = Path(__file__).resolve().parent
CORPUS_DIR = PACKAGE_DIR / "corpus"
EVALUATION_DIR = PACKAGE_DIR / "evaluation"
INDEPENDENT_SET = EVALUATION_DIR / "independent.jsonl"

log = logging.getLogger(__name__)


class Example(NamedTuple):
    """One labelled text."""

    text: str
    category: str
    lang: str = "en"
    source: str = ""  # the name of the file it was read from


def corpus_files(corpus_dir: Path | None = None) -> list[Path]:
    """The corpus's JSONL files, in a stable order."""
    return sorted(Path(corpus_dir or CORPUS_DIR).glob("*.jsonl"))


def corpus_hash(corpus_dir: Path | None = None) -> str:
    """A fingerprint of the corpus files' names and contents."""
    digest = hashlib.sha256()
    for path in corpus_files(corpus_dir):
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def read_examples(path: Path) -> list[Example]:
    """The valid examples of one JSONL file; malformed lines are logged and skipped."""
    examples = []
    path = Path(path)
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                example = Example(
                    str(row["text"]), str(row["category"]), str(row.get("lang", "en")), path.name
                )
            except (ValueError, KeyError, TypeError):
                log.warning("%s:%d: not a JSON example, skipped", path, number)
                continue
            if example.category not in KEYS or not example.text.strip():
                log.warning("%s:%d: unknown category or empty text, skipped", path, number)
                continue
            examples.append(example)
    return examples


def unique(examples: Iterable[Example]) -> list[Example]:
    """The examples without repeats of the same text (first one kept)."""
    seen: set[str] = set()
    kept = []
    for example in examples:
        key = " ".join(example.text.lower().split())
        if key not in seen:
            seen.add(key)
            kept.append(example)
    return kept


def load_corpus(corpus_dir: Path | None = None) -> list[Example]:
    """Every distinct example of the training corpus."""
    examples: list[Example] = []
    for path in corpus_files(corpus_dir):
        examples.extend(read_examples(path))
    return unique(examples)


def load_independent_set(path: Path | None = None) -> list[Example] | None:
    """The independent evaluation set, or None when it does not exist."""
    path = Path(path or INDEPENDENT_SET)
    return read_examples(path) if path.exists() else None


def load_evaluation_sets(evaluation_dir: Path | None = None) -> dict[str, list[Example]]:
    """Every evaluation set of a folder, by file name without ".jsonl", in name order."""
    folder = Path(evaluation_dir or EVALUATION_DIR)
    return {path.stem: read_examples(path) for path in sorted(folder.glob("*.jsonl"))}
