"""Reference chart data for the drift report (histograms over baseline deciles, category counts).

Independent of driftwatch: numpy deciles (default 'linear' method, repeated edges collapsed) as bin edges,
left-closed bins with open-ended outer bins (numpy.searchsorted side='right'), collections.Counter for
categories. Input: the marketplace data-quality fixture (baseline.csv without the target; the headerless
data_quality_drift.csv in the same column order). Empty fields are missing and not counted; a field that is not
a number is not counted in a histogram.

Run: python3 scripts/reference/report-charts.py > test/fixtures/report/marketplace-charts.json
"""
import collections
import csv
import json

import numpy as np

DIR = "test/fixtures/drift-datasets/marketplace-data-quality"
with open(f"{DIR}/baseline.csv", newline="") as fh:
    rows = list(csv.reader(fh))
header = rows[0][1:]  # without the target
baseline = [r[1:] for r in rows[1:]]
with open(f"{DIR}/data_quality_drift.csv", newline="") as fh:
    current = list(csv.reader(fh))


def numbers(table, i):
    out = []
    for r in table:
        try:
            out.append(float(r[i]))
        except ValueError:
            pass
    return np.array(out, dtype=float)


def histogram(i):
    b = numbers(baseline, i)
    c = numbers(current, i)
    edges = []
    for v in np.quantile(b, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]):
        if not edges or v > edges[-1]:
            edges.append(float(v))
    e = np.array(edges)
    count = lambda x: [int(n) for n in np.bincount(np.searchsorted(e, x, side="right"), minlength=len(e) + 1)]
    both = np.concatenate([b, c])
    return {
        "name": header[i],
        "edges": edges,
        "baseline": count(b),
        "current": count(c),
        "range": {"min": float(both.min()), "max": float(both.max())},
    }


def categories(i):
    b = collections.Counter(r[i] for r in baseline if r[i] != "")
    c = collections.Counter(r[i] for r in current if r[i] != "")
    return {"name": header[i], "baseline": dict(b), "current": dict(c), "unseen": sorted(set(c) - set(b))}


print(
    json.dumps(
        {
            "generator": "scripts/reference/report-charts.py",
            "numpy": np.__version__,
            "histograms": [histogram(i) for i in range(len(header))],
            "categories": [categories(header.index(n)) for n in ("gender", "age_range")],
        },
        indent=1,
    )
)
