"""Measuring the classifier: held-out split, cross-validation, reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score
from sklearn.model_selection import StratifiedKFold, train_test_split

from ticket_api.classifier.categories import CHECK_BELOW, CHECK_TARGET, KEYS
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
    by_source: dict[str, tuple[float, int]] = field(default_factory=dict)
    worst: list[tuple[float, str, str, str]] = field(default_factory=list)
    by_category: dict[str, tuple[float, float]] = field(default_factory=dict)
    # (share right at or above CHECK_BELOW, share of texts under it: "to be checked")
    checked: tuple[float, float] = (1.0, 0.0)


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
    right = np.array(truth) == np.array(predicted)
    by_language, by_source = {}, {}
    for lang in sorted({e.lang for e in examples}):
        picked = [i for i, e in enumerate(examples) if e.lang == lang]
        by_language[lang] = (float(right[picked].mean()), len(picked))
    for source in sorted({e.source for e in examples}):
        picked = [i for i, e in enumerate(examples) if e.source == source]
        by_source[source] = (float(right[picked].mean()), len(picked))
    confusion = confusion_matrix(truth, predicted, labels=list(KEYS))
    by_category = {
        key: (
            float(confusion[i, i] / max(confusion[:, i].sum(), 1)),
            float(confusion[i, i] / max(confusion[i].sum(), 1)),
        )
        for i, key in enumerate(KEYS)
    }
    return Report(
        examples=len(examples),
        accuracy=float(accuracy_score(truth, predicted)),
        macro_f1=float(
            f1_score(truth, predicted, labels=list(KEYS), average="macro", zero_division=0)
        ),
        confusion=confusion.tolist(),
        by_language=by_language,
        by_source=by_source,
        worst=errors[:worst],
        by_category=by_category,
        checked=above_threshold(scores.max(axis=1), right, CHECK_BELOW),
    )


def cross_validated_scores(
    examples: Sequence[Example], folds: int = 5, seed: int = SEED
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Each example's scores from the model of the fold that left it out, and the folds' indices."""
    labels = np.array([e.category for e in examples])
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    scores = np.zeros((len(examples), len(KEYS)))
    tests = []
    for train_index, test_index in splitter.split(np.zeros(len(labels)), labels):
        model = fit([examples[i] for i in train_index])
        scores[test_index] = category_scores(model, [examples[i].text for i in test_index])
        tests.append(test_index)
    return scores, tests


def cross_validate(examples: Sequence[Example], folds: int = 5, seed: int = SEED) -> dict:
    """Mean and spread of accuracy and macro-F1 over stratified folds, accuracy per corpus file,
    and the cross-validated winning probabilities with whether each was right."""
    scores, tests = cross_validated_scores(examples, folds, seed)
    labels = np.array([e.category for e in examples])
    predicted = np.array(KEYS)[scores.argmax(axis=1)]
    accuracy, macro_f1 = [], []
    for test_index in tests:
        truth, guess = labels[test_index], predicted[test_index]
        accuracy.append(float(accuracy_score(truth, guess)))
        macro_f1.append(
            float(f1_score(truth, guess, labels=list(KEYS), average="macro", zero_division=0))
        )
    correct = predicted == labels
    sources = np.array([e.source for e in examples])
    return {
        "folds": folds,
        "accuracy": float(np.mean(accuracy)),
        "accuracy_std": float(np.std(accuracy)),
        "macro_f1": float(np.mean(macro_f1)),
        "macro_f1_std": float(np.std(macro_f1)),
        "by_source": {
            name: (float(correct[sources == name].mean()), int((sources == name).sum()))
            for name in sorted(set(sources))
        },
        "confidence": scores.max(axis=1),
        "correct": correct,
    }


def above_threshold(confidence, correct, threshold: float) -> tuple[float, float]:
    """(share right among the predictions at or above the threshold, share under it)."""
    confidence, correct = np.asarray(confidence), np.asarray(correct, bool)
    kept = confidence >= threshold
    right = float(correct[kept].mean()) if kept.any() else 1.0
    return right, float(1 - kept.mean()) if len(kept) else 0.0


def calibrate_threshold(confidence, correct, target: float = CHECK_TARGET) -> float:
    """The lowest multiple of 0.05 from 0.5 up above which at least `target` of the predictions
    are right: under it a category is worth a look by the helpdesk."""
    for threshold in np.round(np.arange(0.5, 1.0, 0.05), 2):
        if above_threshold(confidence, correct, threshold)[0] >= target:
            return float(threshold)
    return 1.0


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
    if len(report.by_source) > 1:
        lines.insert(
            2,
            "  accuracy per corpus file: "
            + "   ".join(f"{name} {acc:.3f} of {n}" for name, (acc, n) in report.by_source.items()),
        )
    for key, row in zip(KEYS, report.confusion):
        lines.append(f"    {key:<{width}}" + "".join(f"{n:>10}" for n in row))
    lines.append(
        "  precision / recall: "
        + "   ".join(f"{k} {p:.3f} / {r:.3f}" for k, (p, r) in report.by_category.items())
    )
    right, flagged = report.checked
    lines.append(
        f"  category to be checked (under {CHECK_BELOW:.2f}): {flagged:.1%} of the texts; "
        f"{right:.1%} right at or above it"
    )
    if report.worst:
        lines.append("  worst errors (probability of the true category, true -> predicted)")
    for prob, truth, predicted, text in report.worst:
        short = " ".join(text.split())
        short = short if len(short) <= 90 else short[:87] + "..."
        lines.append(f"    {prob:.2f} {truth} -> {predicted}: {short}")
    return "\n".join(lines)
