"""``campusdesk classifier {evaluate,retrain,train}``: measure and rebuild the category model."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ticket_api.classifier.categories import CHECK_BELOW, CHECK_TARGET
from ticket_api.classifier.corpus import (
    EVALUATION_DIR,
    load_corpus,
    load_evaluation_sets,
    read_examples,
)


def add_classifier_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``classifier`` command and its subcommands to a CLI's subparsers."""
    parser = subparsers.add_parser("classifier", help="evaluate or rebuild the category classifier")
    commands = parser.add_subparsers(dest="classifier_command", required=True, metavar="ACTION")

    evaluate = commands.add_parser(
        "evaluate",
        help="accuracy on a held-out split, cross-validation and every evaluation set",
    )
    evaluate.add_argument(
        "--corpus", type=Path, default=None, help="corpus folder (default: the shipped one)"
    )
    evaluate.add_argument(
        "--evaluation",
        "--independent",
        type=Path,
        default=None,
        help="a folder of evaluation sets (JSONL), or one set (default: the shipped folder)",
    )
    evaluate.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    evaluate.add_argument("--worst", type=int, default=10, help="how many worst errors to list")
    evaluate.set_defaults(func=run_evaluate)

    retrain = commands.add_parser(
        "retrain",
        help="train on the corpus plus every helpdesk "
        "override in the database; the API picks the model up",
    )
    retrain.set_defaults(func=run_retrain)

    train = commands.add_parser(
        "train",
        help="rebuild the cached model from the corpus, keeping the overrides it was trained with",
    )
    train.add_argument(
        "--without-overrides",
        action="store_true",
        help="drop the helpdesk overrides: train on the corpus alone",
    )
    train.set_defaults(func=run_train)
    return parser


def run_evaluate(args: argparse.Namespace, settings=None) -> int:
    """Print held-out and cross-validated figures, the check threshold and every evaluation set."""
    from ticket_api.classifier import evaluation

    examples = load_corpus(args.corpus)
    train, test = evaluation.held_out_split(examples)
    started = time.perf_counter()
    held_out_model = evaluation.fit(train)
    seconds = time.perf_counter() - started
    print(f"corpus: {len(examples)} examples; trained on {len(train)} in {seconds:.1f} s")
    print(
        evaluation.format_report(
            "held-out split (20%, stratified, never trained on)",
            evaluation.evaluate(held_out_model, test, args.worst),
        )
    )
    if args.folds > 1:
        print(format_cross_validation(evaluation.cross_validate(examples, folds=args.folds)))
    sets = evaluation_sets(args.evaluation)
    if not sets:
        print(f"evaluation sets: none found in {args.evaluation or EVALUATION_DIR}")
        return 0
    model = evaluation.fit(examples)
    for name, labelled in sets.items():
        report = evaluation.evaluate(model, labelled, args.worst)
        print(
            evaluation.format_report(
                f"evaluation set {name} (model trained on the whole corpus)", report
            )
        )
    return 0


def evaluation_sets(path: Path | None) -> dict:
    """The evaluation sets of a folder by name, or the one set of a file (empty when missing)."""
    path = Path(path or EVALUATION_DIR)
    if path.is_file():
        return {path.stem: read_examples(path)}
    return load_evaluation_sets(path) if path.is_dir() else {}


def format_cross_validation(cv: dict) -> str:
    """Cross-validated accuracy, per corpus file, and how the check threshold fares."""
    from ticket_api.classifier import evaluation

    right, flagged = evaluation.above_threshold(cv["confidence"], cv["correct"], CHECK_BELOW)
    suggested = evaluation.calibrate_threshold(cv["confidence"], cv["correct"])
    return "\n".join(
        [
            f"{cv['folds']}-fold cross-validation: accuracy {cv['accuracy']:.3f} "
            f"± {cv['accuracy_std']:.3f}   "
            f"macro-F1 {cv['macro_f1']:.3f} ± {cv['macro_f1_std']:.3f}",
            "  accuracy per corpus file: "
            + "   ".join(f"{name} {acc:.3f} of {n}" for name, (acc, n) in cv["by_source"].items()),
            f"  category to be checked under {CHECK_BELOW:.2f}: {flagged:.1%} of the texts; "
            f"{right:.1%} right at or above it (target {CHECK_TARGET:.0%}: lowest threshold "
            f"reaching it {suggested:.2f})",
        ]
    )


def helpdesk_overrides(settings) -> list[tuple[str, str]]:
    """Every category override the helpdesk made, oldest first, as (text, category)."""
    from ticket_api.db import open_database
    from ticket_api.models import ClassifierExample

    db = open_database(settings)
    try:
        if not ClassifierExample.table_exists():  # a database that was never initialised
            return []
        rows = ClassifierExample.select().order_by(ClassifierExample.id)
        return [(row.text, row.category) for row in rows]
    finally:
        db.close()


def run_retrain(args: argparse.Namespace, settings) -> int:
    """Fold the helpdesk's overrides into the model and replace the cached file."""
    from ticket_api.classifier import service

    summary = service.retrain(settings.model_dir, helpdesk_overrides(settings))
    print(
        f"retrained on {summary['examples']} corpus examples and {summary['corrections']} "
        f"helpdesk overrides in {summary['training_seconds']:.1f} s -> {summary['path']}"
    )
    return 0


def run_train(args: argparse.Namespace, settings) -> int:
    """Rebuild the cached model from the corpus."""
    from ticket_api.classifier import service

    if args.without_overrides:
        summary = service.retrain(settings.model_dir, [])
    else:
        summary = service.train(settings.model_dir)
    print(
        f"trained on {summary['examples']} corpus examples and {summary['corrections']} "
        f"earlier overrides in {summary['training_seconds']:.1f} s -> {summary['path']}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the classifier commands without the rest of the ``campusdesk`` CLI."""
    from kit.settings import Settings

    parser = argparse.ArgumentParser(prog="python -m ticket_api.classifier.cli")
    add_classifier_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["classifier", *(sys.argv[1:] if argv is None else argv)])
    return args.func(args, Settings.from_env())


if __name__ == "__main__":
    sys.exit(main())
