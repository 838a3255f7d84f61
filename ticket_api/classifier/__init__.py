"""The ticket category classifier: word and character n-grams into a calibrated linear model.

The categories and the corpus are light; the model code (scikit-learn) loads on first use,
so that tools which only name the categories or parse a command line start quickly."""

from importlib import import_module

from ticket_api.classifier.categories import CATEGORIES, KEYS, LABELS
from ticket_api.classifier.corpus import (
    Example,
    load_corpus,
    load_evaluation_sets,
    load_independent_set,
)

_LAZY = {
    "cross_validate": "evaluation",
    "evaluate": "evaluation",
    "held_out_split": "evaluation",
    "CategoryClassifier": "service",
    "Prediction": "service",
    "get_classifier": "service",
    "retrain": "service",
    "train": "service",
}

__all__ = [
    "CATEGORIES",
    "KEYS",
    "LABELS",
    "Example",
    "load_corpus",
    "load_evaluation_sets",
    "load_independent_set",
    *_LAZY,
]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f"ticket_api.classifier.{_LAZY[name]}"), name)
    if name in ("evaluation", "service", "store"):
        return import_module(f"ticket_api.classifier.{name}")
    raise AttributeError(f"module 'ticket_api.classifier' has no attribute {name!r}")
