#!/usr/bin/env python3
"""Example prediction files for `driftwatch gate` (tests and docs/gate.md).

Run from the repository root:

    python3 scripts/reference/quality-gate-fixtures.py

Writes test/fixtures/quality/gate/{champion,challenger-better,challenger-close,challenger-worse}.csv: the same
1000 rows (columns id, probability, prediction, label; prediction = probability >= 0.5), labels Bernoulli(0.3),
and each model's probability a logistic function of the label plus shared and own seeded Gaussian noise: the
better challenger separates the classes more, the close one as much as the champion, the worse one less.
"""

import csv
import pathlib

import numpy as np

OUT = pathlib.Path("test/fixtures/quality/gate")
rng = np.random.default_rng(20261126)
n = 1000
labels = (rng.random(n) < 0.3).astype(int)
noise = rng.normal(0, 1, n)


def model(separation, own_noise, seed):
    r = np.random.default_rng(seed)
    z = separation * (labels - 0.5) * 2 + noise + own_noise * r.normal(0, 1, n) - 0.8
    return np.round(1 / (1 + np.exp(-z)), 6)


models = {
    "champion": model(1.0, 0.5, 1),
    "challenger-better": model(1.5, 0.5, 2),
    "challenger-close": model(1.02, 0.5, 3),
    "challenger-worse": model(0.6, 0.5, 4),
}
OUT.mkdir(parents=True, exist_ok=True)
for name, p in models.items():
    with (OUT / f"{name}.csv").open("w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "probability", "prediction", "label"])
        for i in range(n):
            w.writerow([f"r{i:04d}", f"{p[i]:.6f}", int(p[i] >= 0.5), labels[i]])
    print(f"wrote {OUT / (name + '.csv')}")
