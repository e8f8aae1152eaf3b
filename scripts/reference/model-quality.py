#!/usr/bin/env python3
"""Reference values for functions/core/quality, computed with scikit-learn, SciPy and NumPy.

Run from the repository root with Debian's Python (python3-sklearn):

    /usr/bin/python3 scripts/reference/model-quality.py

Writes test/fixtures/quality/reference-values.json. The tests read that file and never run Python. Every
expected value comes from scikit-learn / SciPy / NumPy (versions recorded in the file), not from driftwatch;
the inputs (seeded NumPy draws) are stored next to them.

Conventions that are not a library call, stated here so they can be checked by eye:
- au_prc: Spark's BinaryClassificationMetrics.areaUnderPR, the trapezoidal area under sklearn's
  precision_recall_curve points with its final (recall 0, precision 1) point replaced by (recall 0, the
  precision at the highest threshold).
- true_negative_rate and false_negative_rate: 1 - false_positive_rate and 1 - recall (as Model Monitor writes
  them); both are checked against sklearn's tn / (tn + fp) and fn / (fn + tp) to 1e-12.
- best constant classifier: binary, sklearn metrics of always predicting 1; multiclass, sklearn metrics of
  DummyClassifier(strategy="most_frequent").
- xoshiro128** with splitmix32 seeding: a direct transcription of the published algorithms (Blackman and Vigna;
  splitmix32 constants from the PRNG literature) in Python integers.
- sample sizes: the normal-approximation formulas written out with scipy.stats.norm.ppf.
"""

import csv
import json
import math
import pathlib
import sys

import numpy as np
import scipy
import sklearn
from scipy import stats
from sklearn.dummy import DummyClassifier
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import (accuracy_score, auc, confusion_matrix, fbeta_score, mean_absolute_error,
                             mean_squared_error, precision_recall_curve, precision_score, r2_score,
                             recall_score, roc_auc_score, roc_curve)

OUT = pathlib.Path("test/fixtures/quality/reference-values.json")
CHURN = pathlib.Path("test/fixtures/model-monitor-outputs/churn-model-quality/validation_with_predictions.csv")
GENERATOR = "scripts/reference/model-quality.py"
VERSIONS = {"python": ".".join(map(str, sys.version_info[:3])), "sklearn": sklearn.__version__,
            "scipy": scipy.__version__, "numpy": np.__version__}


def f(x):
    x = float(x)
    return x if math.isfinite(x) else None


def fl(xs):
    return [f(x) for x in xs]


def binary_case(name, labels, predicted, scores, threshold, weights=None):
    y = np.asarray(labels)
    p = np.asarray(predicted)
    s = np.asarray(scores, dtype=float)
    w = None if weights is None else np.asarray(weights, dtype=float)
    kw = {} if w is None else {"sample_weight": w}
    tn, fp, fn, tp = confusion_matrix(y, p, labels=[0, 1], **kw).ravel()
    precision = precision_score(y, p, zero_division=0, **kw)
    recall = recall_score(y, p, zero_division=0, **kw)
    fpr = fp / (fp + tn) if fp + tn > 0 else 0.0
    ones = np.ones_like(y)
    const = {
        "precision": precision_score(y, ones, zero_division=0, **kw),
        "recall": recall_score(y, ones, zero_division=0, **kw),
        "accuracy": accuracy_score(y, ones, **kw),
        "f0_5": fbeta_score(y, ones, beta=0.5, zero_division=0, **kw),
        "f1": fbeta_score(y, ones, beta=1, zero_division=0, **kw),
        "f2": fbeta_score(y, ones, beta=2, zero_division=0, **kw),
    }
    expected = {
        "confusion": {"tn": f(tn), "fp": f(fp), "fn": f(fn), "tp": f(tp)},
        "accuracy": accuracy_score(y, p, **kw),
        "precision": precision,
        "recall": recall,
        "f0_5": fbeta_score(y, p, beta=0.5, zero_division=0, **kw),
        "f1": fbeta_score(y, p, beta=1, zero_division=0, **kw),
        "f2": fbeta_score(y, p, beta=2, zero_division=0, **kw),
        "false_positive_rate": fpr,
        "true_negative_rate_sklearn": tn / (tn + fp) if tn + fp > 0 else None,
        "false_negative_rate_sklearn": fn / (fn + tp) if fn + tp > 0 else None,
        "best_constant": const,
    }
    if 0 < y.sum() < len(y):
        expected["auc"] = roc_auc_score(y, s, **kw)
        rf, rt, _ = roc_curve(y, s, drop_intermediate=False, **kw)
        expected["roc"] = {"false_positive_rates": fl(rf), "true_positive_rates": fl(rt)}
    if y.sum() > 0:
        pr, rc, _ = precision_recall_curve(y, s, **kw)
        # sklearn's last point is (recall 0, precision 1); Spark starts at (0, precision at the top threshold).
        pr = pr.copy()
        pr[-1] = pr[-2]
        expected["au_prc"] = auc(rc, pr)
    case = {"name": name, "labels": [int(v) for v in y], "predicted": [int(v) for v in p],
            "scores": fl(s), "threshold": threshold, "expected": {k: (f(v) if isinstance(v, (float, np.floating, int, np.integer)) else v) for k, v in expected.items()}}
    if w is not None:
        case["weights"] = [int(v) for v in w]
    return case


def spark_pr_curve(y, s):
    """Spark's pr(): (0, p_first), then (recall, precision) at each distinct score, highest first."""
    order = np.argsort(-s, kind="stable")
    ys, ss = y[order], s[order]
    distinct = np.r_[np.where(np.diff(ss))[0], len(ss) - 1]
    tps = np.cumsum(ys)[distinct]
    fps = (distinct + 1) - tps
    precision = tps / (tps + fps)
    recall = tps / ys.sum()
    return {"precisions": fl(np.r_[precision[0], precision]), "recalls": fl(np.r_[0.0, recall])}


def binary_cases():
    rng = np.random.default_rng(20261126)
    cases = []
    # Model Monitor's documented binary example: TN 1, FP 2, FN 0, TP 1.
    cases.append(binary_case("model-monitor-doc-example", [0, 0, 0, 1], [0, 1, 1, 1], [0.1, 0.6, 0.7, 0.9], 0.5))
    n = 500
    truth = rng.random(n)
    labels = (rng.random(n) < truth).astype(int)
    scores = np.round(np.clip(truth + rng.normal(0, 0.15, n), 0, 1), 2)
    cases.append(binary_case("random-500-ties", labels, (scores >= 0.5).astype(int), scores, 0.5))
    cases[-1]["expected"]["pr_curve"] = spark_pr_curve(labels, scores)
    cases.append(binary_case("random-500-threshold-0.8", labels, (scores >= 0.8).astype(int), scores, 0.8))
    m = 60
    labels_w = (rng.random(m) < 0.4).astype(int)
    scores_w = np.round(rng.random(m), 1)
    weights = rng.integers(0, 4, m)
    cases.append(binary_case("weighted-60", labels_w, (scores_w >= 0.5).astype(int), scores_w, 0.5, weights))
    labels_l = (rng.random(40) < 0.5).astype(int)
    predicted_l = np.where(rng.random(40) < 0.75, labels_l, 1 - labels_l)
    cases.append(binary_case("labels-only-40", labels_l, predicted_l, predicted_l.astype(float), 0.5))
    return cases


def multiclass_case(name, labels, predicted, weights=None):
    y = np.asarray(labels)
    p = np.asarray(predicted)
    kw = {} if weights is None else {"sample_weight": np.asarray(weights, dtype=float)}
    classes = sorted(set(y) | set(p), key=lambda c: (float(c) if all(is_num(v) for v in set(y) | set(p)) else c))
    cm = confusion_matrix(y, p, labels=classes, **kw)
    dummy = DummyClassifier(strategy="most_frequent").fit(np.zeros((len(y), 1)), y, **kw).predict(np.zeros((len(y), 1)))
    expected = {"classes": [str(c) for c in classes], "confusion": [[f(v) for v in row] for row in cm],
                "accuracy": f(accuracy_score(y, p, **kw))}
    for prefix, pred in (("", p), ("best_constant_", dummy)):
        expected[prefix + "weighted_precision"] = f(precision_score(y, pred, average="weighted", zero_division=0, **kw))
        expected[prefix + "weighted_recall"] = f(recall_score(y, pred, average="weighted", zero_division=0, **kw))
        for beta, key in ((0.5, "f0_5"), (1, "f1"), (2, "f2")):
            expected[prefix + "weighted_" + key] = f(fbeta_score(y, pred, beta=beta, average="weighted", zero_division=0, **kw))
    expected["best_constant_accuracy"] = f(accuracy_score(y, dummy, **kw))
    case = {"name": name, "labels": [str(v) for v in y], "predicted": [str(v) for v in p], "expected": expected}
    if weights is not None:
        case["weights"] = [int(v) for v in weights]
    return case


def is_num(v):
    try:
        float(v)
        return True
    except ValueError:
        return False


def multiclass_cases():
    rng = np.random.default_rng(7)
    cases = []
    # Model Monitor's documented multiclass example, rebuilt from its confusion matrix (actual -> predicted).
    y = [0] * 1180 + [0] * 510 + [1] * 268 + [1] * 138
    p = [0] * 1180 + [1] * 510 + [0] * 268 + [1] * 138
    cases.append(multiclass_case("model-monitor-doc-example", y, p))
    classes = np.array(["bird", "cat", "dog", "eel"])
    n = 300
    labels = rng.choice(classes, n, p=[0.1, 0.45, 0.35, 0.1])
    predicted = np.where(rng.random(n) < 0.6, labels, rng.choice(classes[:3], n))
    cases.append(multiclass_case("animals-300", labels, predicted))
    m = 80
    labels_w = rng.choice(np.array(["1", "2", "10"]), m)
    predicted_w = np.where(rng.random(m) < 0.5, labels_w, rng.choice(np.array(["1", "2", "10"]), m))
    cases.append(multiclass_case("numeric-weighted-80", labels_w, predicted_w, rng.integers(0, 4, m)))
    return cases


def regression_case(name, labels, predicted, weights=None):
    y = np.asarray(labels, dtype=float)
    p = np.asarray(predicted, dtype=float)
    kw = {} if weights is None else {"sample_weight": np.asarray(weights, dtype=float)}
    mse = mean_squared_error(y, p, **kw)
    case = {"name": name, "labels": fl(y), "predicted": fl(p), "expected": {
        "mae": f(mean_absolute_error(y, p, **kw)), "mse": f(mse), "rmse": f(math.sqrt(mse)),
        "r2": f(r2_score(y, p, force_finite=False, **kw))}}
    if weights is not None:
        case["weights"] = [int(v) for v in weights]
    return case


def regression_cases():
    rng = np.random.default_rng(11)
    x = rng.normal(10, 3, 200)
    y = 2 * x + rng.normal(0, 2, 200)
    p = 2 * x + 0.5
    w = rng.integers(0, 4, 200)
    return [regression_case("linear-200", y, p), regression_case("linear-200-weighted", y, p, w),
            regression_case("constant-labels", [3, 3, 3, 3], [2, 3, 4, 3])]


def churn_case():
    rows = list(csv.DictReader(CHURN.open()))
    y = np.array([int(r["label"]) for r in rows])
    s = np.array([float(r["probability"]) for r in rows])
    given = np.array([int(r["prediction"]) for r in rows])
    case = binary_case("churn-validation-threshold-0.8", y, (s >= 0.8).astype(int), s, 0.8)
    case["prediction_column_matches"] = bool((given == (s >= 0.8)).all())
    case["source"] = str(CHURN)
    for key in ("labels", "predicted", "scores"):
        del case[key]
    return case


def sdk_join_case():
    """The SDK's capture.jsonl joined to its actuals.jsonl by eventId (probability output, threshold 0.5)."""
    base = pathlib.Path("test/fixtures/sagemaker-data-capture/sdk-tests")
    captures = {}
    for line in (base / "capture.jsonl").read_text().splitlines():
        if line.strip():
            r = json.loads(line)
            captures[r["eventMetadata"]["eventId"]] = float(r["captureData"]["endpointOutput"]["data"])
    pairs = []
    for line in (base / "actuals.jsonl").read_text().splitlines():
        if line.strip():
            r = json.loads(line)
            pairs.append((captures[r["eventMetadata"]["eventId"]], int(r["groundTruthData"]["data"])))
    s = np.array([p for p, _ in pairs])
    y = np.array([l for _, l in pairs])
    case = binary_case("sdk-capture-joined-to-actuals", y, (s >= 0.5).astype(int), s, 0.5)
    for key in ("labels", "predicted", "scores"):
        del case[key]
    case["pairs"] = len(pairs)
    return case


def mcnemar_cases():
    pairs = [(0, 0), (5, 5), (10, 3), (3, 10), (30, 12), (100, 70), (600, 400), (1, 20), (0, 25), (400, 600)]
    return [{"b": b, "c": c, "pvalue": 1.0 if b + c == 0 else stats.binomtest(min(b, c), b + c, 0.5).pvalue}
            for b, c in pairs]


def two_proportion_cases():
    out = []
    for x1, n1, x2, n2 in [(80, 100, 90, 100), (400, 500, 380, 500), (50, 60, 50, 60), (1200, 1500, 1260, 1480)]:
        chi2, p, _, _ = stats.chi2_contingency([[x1, n1 - x1], [x2, n2 - x2]], correction=False)
        sign = 1 if x2 / n2 >= x1 / n1 else -1
        out.append({"x1": x1, "n1": n1, "x2": x2, "n2": n2, "z": sign * math.sqrt(chi2), "pvalue": p})
    return out


def welch_cases():
    rng = np.random.default_rng(5)
    out = []
    for na, nb, shift in [(30, 45, 0.3), (200, 150, 0.0), (12, 9, 1.5)]:
        a = np.round(np.abs(rng.normal(1, 1, na)), 3)
        b = np.round(np.abs(rng.normal(1 + shift, 1.4, nb)), 3)
        r = stats.ttest_ind(b, a, equal_var=False)
        out.append({"a": fl(a), "b": fl(b), "statistic": f(r.statistic), "pvalue": f(r.pvalue)})
    return out


def sample_size_cases():
    out = []
    for p1, delta, alpha, power in [(0.2, 0.05, 0.05, 0.8), (0.8, 0.02, 0.05, 0.8), (0.9, 0.05, 0.01, 0.9), (0.99, 0.02, 0.05, 0.8)]:
        p2 = p1 + delta if p1 + delta <= 1 else p1 - delta
        pbar = (p1 + p2) / 2
        za, zb = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
        n = (za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / delta ** 2
        out.append({"kind": "proportions", "p1": p1, "delta": delta, "alpha": alpha, "power": power, "n": math.ceil(n)})
    for sigma, delta, alpha, power in [(1.0, 0.1, 0.05, 0.8), (2.5, 0.3, 0.05, 0.9)]:
        z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
        out.append({"kind": "means", "sigma": sigma, "delta": delta, "alpha": alpha, "power": power,
                    "n": math.ceil(2 * z * z * sigma * sigma / delta ** 2)})
    return out


def isotonic_cases():
    rng = np.random.default_rng(3)
    out = []
    x = np.round(rng.random(300), 2)
    y = (rng.random(300) < x ** 2).astype(float)
    grid = np.round(np.linspace(-0.1, 1.1, 49), 3)
    out.append({"x": fl(x), "y": fl(y), "grid": fl(grid),
                "predicted": fl(IsotonicRegression(out_of_bounds="clip").fit(x, y).predict(grid))})
    x2 = np.array([1.0, 2, 2, 3, 4, 5, 5, 6])
    y2 = np.array([1.0, 3, 2, 2, 5, 1, 7, 6])
    w2 = np.array([1.0, 2, 1, 1, 3, 1, 1, 2])
    grid2 = np.array([0.0, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 7])
    out.append({"x": fl(x2), "y": fl(y2), "weights": fl(w2), "grid": fl(grid2),
                "predicted": fl(IsotonicRegression(out_of_bounds="clip").fit(x2, y2, sample_weight=w2).predict(grid2))})
    return out


MASK = 0xFFFFFFFF


def splitmix32(state):
    state = (state + 0x9E3779B9) & MASK
    z = state ^ (state >> 16)
    z = (z * 0x21F0AAAD) & MASK
    z ^= z >> 15
    z = (z * 0x735A2D97) & MASK
    z ^= z >> 15
    return state, z


def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & MASK


def xoshiro128ss(seed, count):
    s, state = [], seed
    for _ in range(4):
        state, out = splitmix32(state)
        s.append(out)
    result = []
    for _ in range(count):
        result.append((rotl((s[1] * 5) & MASK, 7) * 9) & MASK)
        t = (s[1] << 9) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 11)
    return result


def quantile_cases():
    rng = np.random.default_rng(9)
    x = np.round(rng.normal(0, 1, 37), 4)
    qs = [0, 0.025, 0.05, 0.5, 0.95, 0.975, 1]
    return [{"values": fl(x), "q": q, "quantile": f(np.quantile(x, q))} for q in qs]


def main():
    body = {
        "description": "scikit-learn / SciPy / NumPy reference values for the model-quality metrics, tests and "
                       "generator (see the generator's docstring for the conventions).",
        "generator": GENERATOR,
        "command": "/usr/bin/python3 scripts/reference/model-quality.py",
        "versions": VERSIONS,
        "binary": binary_cases(),
        "churn": churn_case(),
        "sdkJoin": sdk_join_case(),
        "multiclass": multiclass_cases(),
        "regression": regression_cases(),
        "mcnemar": mcnemar_cases(),
        "twoProportion": two_proportion_cases(),
        "welch": welch_cases(),
        "sampleSize": sample_size_cases(),
        "isotonic": isotonic_cases(),
        "xoshiro128ss": [{"seed": seed, "outputs": xoshiro128ss(seed, 8)} for seed in (0, 42, 4294967295)],
        "quantile": quantile_cases(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(body, allow_nan=False) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
