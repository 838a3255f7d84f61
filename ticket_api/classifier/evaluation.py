"""Measuring the classifier: held-out split, cross-validation, reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score
from sklearn.model_selection import StratifiedKFold, train_test_split

from ticket_api.classifier.categories import KEYS
from ticket_api.classifier.corpus import Example
from ticket_api.classifier.model import SEED, category_scores, train_pipeline

HELD_OUT_FRACTION = 0.2


@dataclass
class Report:
    """How well a model labelled a set of examples."""

    examples: int
    accuracy: float
    macro_f1: float
    confusion: list[list[int]]
    by_language: dict[str, tuple[float, int]] = field(default_factory=dict)
    worst: list[tuple[float, str, str, str]] = field(default_factory=list)


def held_out_split(
    examples: Sequence[Example], fraction: float = HELD_OUT_FRACTION, seed: int = SEED
) -> tuple[list[Example], list[Example]]:
    """A stratified (train, test) split of the examples, the same for the same corpus."""
    labels = [e.category for e in examples]
    train, test = train_test_split(
        list(examples), test_size=fraction, random_state=seed, stratify=labels
    )
    return train, test


def fit(examples: Sequence[Example]):
    """A pipeline trained on the given examples only."""
    return train_pipeline([e.text for e in examples], [e.category for e in examples])


def evaluate(pipeline, examples: Sequence[Example], worst: int = 10) -> Report:
    """Accuracy, macro-F1, confusion matrix and the most confidently wrong examples."""
    scores = category_scores(pipeline, [e.text for e in examples])
    truth = [e.category for e in examples]
    predicted = [KEYS[i] for i in scores.argmax(axis=1)]
    true_prob = scores[np.arange(len(examples)), [KEYS.index(t) for t in truth]]
    errors = [
        (float(true_prob[i]), truth[i], predicted[i], examples[i].text)
        for i in np.argsort(true_prob, kind="stable")
        if truth[i] != predicted[i]
    ]
    by_language = {}
    for lang in sorted({e.lang for e in examples}):
        picked = [i for i, e in enumerate(examples) if e.lang == lang]
        by_language[lang] = (
            float(accuracy_score([truth[i] for i in picked], [predicted[i] for i in picked])),
            len(picked),
        )
    return Report(
        examples=len(examples),
        accuracy=float(accuracy_score(truth, predicted)),
        macro_f1=float(
            f1_score(truth, predicted, labels=list(KEYS), average="macro", zero_division=0)
        ),
        confusion=confusion_matrix(truth, predicted, labels=list(KEYS)).tolist(),
        by_language=by_language,
        worst=errors[:worst],
    )


def cross_validate(examples: Sequence[Example], folds: int = 5, seed: int = SEED) -> dict:
    """Mean and spread of accuracy and macro-F1 over stratified folds."""
    labels = np.array([e.category for e in examples])
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    accuracy, macro_f1 = [], []
    for train_index, test_index in splitter.split(np.zeros(len(labels)), labels):
        report = evaluate(
            fit([examples[i] for i in train_index]), [examples[i] for i in test_index], worst=0
        )
        accuracy.append(report.accuracy)
        macro_f1.append(report.macro_f1)
    return {
        "folds": folds,
        "accuracy": float(np.mean(accuracy)),
        "accuracy_std": float(np.std(accuracy)),
        "macro_f1": float(np.mean(macro_f1)),
        "macro_f1_std": float(np.std(macro_f1)),
    }


def format_report(title: str, report: Report) -> str:
    """The report as text for a terminal."""
    width = max(len(k) for k in KEYS)
    lines = [
        f"{title}: {report.examples} examples",
        f"  accuracy {report.accuracy:.3f}   macro-F1 {report.macro_f1:.3f}   "
        + "   ".join(f"{lang} {acc:.3f} of {n}" for lang, (acc, n) in report.by_language.items()),
        "  confusion (rows: true, columns: predicted)",
        "    " + " " * width + "".join(f"{k:>10}" for k in KEYS),
    ]
    for key, row in zip(KEYS, report.confusion):
        lines.append(f"    {key:<{width}}" + "".join(f"{n:>10}" for n in row))
    if report.worst:
        lines.append("  worst errors (probability of the true category, true -> predicted)")
    for prob, truth, predicted, text in report.worst:
        short = " ".join(text.split())
        short = short if len(short) <= 90 else short[:87] + "..."
        lines.append(f"    {prob:.2f} {truth} -> {predicted}: {short}")
    return "\n".join(lines)
