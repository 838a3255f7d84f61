"""The ticket category classifier: word and character n-grams into a calibrated linear model."""

from ticket_api.classifier.categories import CATEGORIES, KEYS, LABELS
from ticket_api.classifier.corpus import Example, load_corpus, load_independent_set
from ticket_api.classifier.evaluation import cross_validate, evaluate, held_out_split
from ticket_api.classifier.service import (
    CategoryClassifier,
    Prediction,
    get_classifier,
    retrain,
    train,
)

__all__ = [
    "CATEGORIES",
    "KEYS",
    "LABELS",
    "Example",
    "load_corpus",
    "load_independent_set",
    "evaluate",
    "held_out_split",
    "cross_validate",
    "CategoryClassifier",
    "Prediction",
    "get_classifier",
    "retrain",
    "train",
]
