"""A trained pipeline compiled for one text at a time, without scikit-learn's per-call checks.

scikit-learn validates its input on every call, which costs about a millisecond for a single
short text; the arithmetic itself takes a few microseconds. This module redoes exactly the
same tf-idf and softmax arithmetic directly, and is tested to agree with the pipeline.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from ticket_api.classifier.categories import KEYS


class CompiledPipeline:
    """The arithmetic of a fitted FeatureUnion of tf-idf views and a linear classifier."""

    def __init__(self, pipeline: Pipeline) -> None:
        union, final = pipeline.named_steps["features"], pipeline.steps[-1][1]
        weights = union.transformer_weights or {}
        self.views, offset = [], 0
        for name, vectorizer in union.transformer_list:
            idf = vectorizer.idf_ if vectorizer.use_idf else None
            self.views.append(
                (
                    vectorizer.build_analyzer(),
                    vectorizer.vocabulary_,
                    idf,
                    vectorizer.sublinear_tf,
                    vectorizer.norm,
                    offset,
                    weights.get(name, 1.0),
                )
            )
            offset += len(vectorizer.vocabulary_)
        self.n_features = offset
        classes = list(final.classes_)
        self.order = [classes.index(k) if k in classes else None for k in KEYS]
        self.final = final
        linear = _linear_parts(final)
        self.coef = None if linear is None else np.ascontiguousarray(linear[0].T)
        self.intercept, self.link = (None, None) if linear is None else linear[1:]

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and tf-idf values of the text's non-zero features."""
        indices, values = [], []
        for analyzer, vocabulary, idf, sublinear, norm, offset, weight in self.views:
            counts = Counter(vocabulary[g] for g in analyzer(text) if g in vocabulary)
            if not counts:
                continue
            index = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            value = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            if sublinear:
                value = np.log(value) + 1.0
            if idf is not None:
                value = value * idf[index]
            if norm == "l2":
                value = value / np.sqrt(np.dot(value, value))
            elif norm == "l1":
                value = value / np.abs(value).sum()
            indices.append(index + offset)
            values.append(value * weight)
        if not indices:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(indices), np.concatenate(values)

    def scores(self, text: str) -> np.ndarray:
        """Probability of each category, in the order of KEYS."""
        index, value = self.features(text)
        if self.coef is not None:
            proba = self.link(value @ self.coef[index] + self.intercept)
        else:
            row = sparse.csr_matrix((value, index, [0, len(index)]), shape=(1, self.n_features))
            proba = self.final.predict_proba(row)[0]
        return np.array([proba[i] if i is not None else 0.0 for i in self.order])


def _softmax(logits: np.ndarray) -> np.ndarray:
    exp = np.exp(logits - logits.max())
    return exp / exp.sum()


def _one_vs_rest_sigmoids(a: np.ndarray, b: np.ndarray):
    def link(decision: np.ndarray) -> np.ndarray:
        proba = expit(-(a * decision + b))
        total = proba.sum()
        return proba / total if total > 0 else np.full_like(proba, 1 / len(proba))

    return link


def _linear_parts(final) -> tuple[np.ndarray, np.ndarray, object] | None:
    """(coefficients, intercepts, link to probabilities) of a compilable classifier, else None."""
    n_classes = len(final.classes_)
    if isinstance(final, LogisticRegression) and final.coef_.shape[0] == n_classes > 2:
        return final.coef_, final.intercept_, _softmax
    if not isinstance(final, CalibratedClassifierCV) or len(final.calibrated_classifiers_) != 1:
        return None
    calibrated = final.calibrated_classifiers_[0]
    estimator = calibrated.estimator
    if (
        calibrated.method != "sigmoid"
        or not hasattr(estimator, "coef_")
        or n_classes < 3
        or list(estimator.classes_) != list(final.classes_)
    ):
        return None
    a = np.array([c.a_ for c in calibrated.calibrators], dtype=float)
    b = np.array([c.b_ for c in calibrated.calibrators], dtype=float)
    return estimator.coef_, estimator.intercept_, _one_vs_rest_sigmoids(a, b)
