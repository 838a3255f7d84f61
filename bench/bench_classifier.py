"""Benchmark of the category classifier: training, model load and per-ticket classify time.

Run: python bench/bench_classifier.py [--repeat N]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ticket_api.classifier import load_corpus, service, store  # noqa: E402

BUDGET_CLASSIFY_MS = 2.0
BUDGET_LOAD_MS = 1000.0


def percentile(values: list[float], fraction: float) -> float:
    """The value below which the given fraction of the sorted values lies."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def time_training(model_dir: Path) -> float:
    """Seconds to train on the whole corpus and write the model file."""
    started = time.perf_counter()
    service.retrain(model_dir, [])
    return time.perf_counter() - started


def time_load(model_dir: Path, repeat: int) -> float:
    """Median milliseconds to read the cached model into a fresh classifier."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        classifier = service.CategoryClassifier(model_dir)
        classifier.load()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def time_classify(model_dir: Path, texts: list[str]) -> list[float]:
    """Milliseconds per single-ticket classify call, one per text."""
    classifier = service.CategoryClassifier(model_dir)
    classifier.load()
    for text in texts[:50]:  # warm caches before timing
        classifier.classify(text)
    times = []
    for text in texts:
        started = time.perf_counter()
        classifier.classify(text)
        times.append((time.perf_counter() - started) * 1000)
    return times


def time_pipeline(model_dir: Path, texts: list[str]) -> list[float]:
    """Milliseconds per text through scikit-learn's own predict_proba, for comparison."""
    pipeline = store.load_bundle(model_dir)["pipeline"]
    times = []
    for text in texts:
        started = time.perf_counter()
        pipeline.predict_proba([text])
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> int:
    """Print the timings and how they compare with the budgets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="model loads to time (default 5)")
    args = parser.parse_args()
    texts = [e.text for e in load_corpus()]
    with tempfile.TemporaryDirectory() as folder:
        model_dir = Path(folder)
        training = time_training(model_dir)
        size_kb = store.model_path(model_dir).stat().st_size / 1024
        load_ms = time_load(model_dir, args.repeat)
        times = time_classify(model_dir, texts)
        plain = statistics.median(time_pipeline(model_dir, texts[:300]))
    median, p99 = statistics.median(times), percentile(times, 0.99)
    print(f"python {platform.python_version()} on {platform.machine()}, {len(texts)} corpus texts")
    print(f"training (whole corpus, incl. write): {training:.2f} s; model file {size_kb:.0f} KiB")
    print(
        f"model load: {load_ms:.1f} ms (median of {args.repeat}); "
        f"budget {BUDGET_LOAD_MS:.0f} ms, ratio {load_ms / BUDGET_LOAD_MS:.3f}"
    )
    print(
        f"classify one ticket: median {median:.3f} ms, p99 {p99:.3f} ms, "
        f"max {max(times):.3f} ms; "
        f"budget {BUDGET_CLASSIFY_MS:.1f} ms, ratio median {median / BUDGET_CLASSIFY_MS:.2f}, "
        f"p99 {p99 / BUDGET_CLASSIFY_MS:.2f}"
    )
    print(
        f"same texts through scikit-learn's predict_proba: median {plain:.3f} ms "
        f"({plain / median:.1f}x the compiled path)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
