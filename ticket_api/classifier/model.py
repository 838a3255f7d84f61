"""The text features and the linear model that turn a ticket into category scores."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Sequence

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from ticket_api.classifier.categories import KEYS
from ticket_api.classifier.lexicon import cue_tokens

# The first problem a ticket names decides its category (CATEGORIES.md rule 6), so the
# tail of a very long text adds cost without adding signal.
MAX_CHARS = 2000
SEED = 20261124
# The writer's first problem decides (rule 6): cues in the opening count again on their own.
OPENING_CHARS = 120
# Chosen by 5-fold cross-validation on the corpus (docs/classifier.md has the figures). A small
# weight keeps the lexicon a hint that n-gram evidence overrules, not a keyword rule.
C = 1.0
CUE_WEIGHT = 0.1
# Words count more than their letters: short, telegraphic tickets ("mag lock stuck", "accounts
# never answer") are decided by one or two words that the character view dilutes.
WORD_WEIGHT = 1.5
CALIBRATION_FOLDS = 5

_ROOM_CODE = re.compile(r"\b[a-z]{1,2}\d{0,2}[.\-]\d{1,3}\b")
_URL = re.compile(r"\b(?:https?://|www\.)\S+")
_EMAIL = re.compile(r"\b\S+@\S+\.\w+\b")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower-case, Unicode-normalised text with room codes, links and addresses as tokens."""
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).lower()
    text = _URL.sub(" weblink ", text)
    text = _EMAIL.sub(" mailaddress ", text)
    text = _ROOM_CODE.sub(" roomcode ", text)
    return _SPACES.sub(" ", text).strip()


def strip_accents(text: str) -> str:
    """The normalised text without diacritics, so "perché" and "perche" meet."""
    decomposed = unicodedata.normalize("NFKD", normalise(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def cues(text: str) -> list[str]:
    """The lexicon's category cues of the text, those of its opening marked apart."""
    plain = strip_accents(text)
    return cue_tokens(plain) + ["first_" + cue for cue in cue_tokens(plain[:OPENING_CHARS])]


def build_pipeline(
    c: float = C,
    cue_weight: float = CUE_WEIGHT,
    word_weight: float = WORD_WEIGHT,
    calibration_folds: int = CALIBRATION_FOLDS,
) -> Pipeline:
    """The untrained pipeline: n-grams and cues into a linear SVM with calibrated probabilities."""
    features = FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    preprocessor=strip_accents,
                    ngram_range=(1, 2),
                    token_pattern=r"(?u)\b\w+\b",
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    preprocessor=normalise,
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    min_df=2,
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
            ),
            (
                "cues",
                TfidfVectorizer(analyzer=cues, use_idf=False, sublinear_tf=True, dtype=np.float32),
            ),
        ],
        transformer_weights={"words": word_weight, "cues": cue_weight},
    )
    # ensemble=False: one SVM trained on every example, its scores mapped to probabilities by
    # sigmoids fitted on cross-validated scores; one model to store and to evaluate per ticket.
    model = CalibratedClassifierCV(
        LinearSVC(C=c, max_iter=10_000, random_state=SEED),
        method="sigmoid",
        cv=calibration_folds,
        ensemble=False,
    )
    return Pipeline([("features", features), ("model", model)])


def train_pipeline(
    texts: Sequence[str], labels: Sequence[str], weights: Sequence[float] | None = None, **params
) -> Pipeline:
    """A pipeline fitted on the texts; weights count some examples more than others."""
    smallest = min(Counter(labels).values(), default=0)
    if smallest < 2 or len(set(labels)) < 2:
        raise ValueError("training needs at least two categories with two examples each")
    params.setdefault("calibration_folds", min(CALIBRATION_FOLDS, smallest))
    pipeline = build_pipeline(**params)
    fit_params = {} if weights is None else {"model__sample_weight": np.asarray(weights, float)}
    pipeline.fit(list(texts), list(labels), **fit_params)
    _shrink(pipeline)
    return pipeline


def _shrink(pipeline: Pipeline) -> None:
    # stop_words_ only lists the n-grams min_df dropped; it is not needed to predict and
    # would make the cached file several times larger.
    for _, vectorizer in pipeline.named_steps["features"].transformer_list:
        if hasattr(vectorizer, "stop_words_"):
            delattr(vectorizer, "stop_words_")


def category_scores(pipeline: Pipeline, texts: Sequence[str]) -> np.ndarray:
    """Probabilities per text, columns in the order of KEYS."""
    proba = pipeline.predict_proba([str(t) for t in texts])
    order = [list(pipeline.classes_).index(k) if k in pipeline.classes_ else -1 for k in KEYS]
    scores = np.zeros((len(texts), len(KEYS)))
    for column, index in enumerate(order):
        if index >= 0:
            scores[:, column] = proba[:, index]
    return scores
