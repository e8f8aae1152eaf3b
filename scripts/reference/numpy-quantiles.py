"""Reference deciles for driftwatch's baseline bin edges (numpy.quantile, default method 'linear').

Run: python3 scripts/reference/numpy-quantiles.py > test/fixtures/reference/numpy-quantiles.json
"""
import json

import numpy as np

rng = np.random.default_rng(20261126)
cases = {
    "small_integers": [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5],
    "two_values": [0.0, 1.0],
    "single": [42.5],
    "ties": [0, 0, 0, 0, 0, 0, 0, 1, 1, 2],
    "normal_1000": [float(x) for x in rng.normal(10.0, 2.0, 1000)],
    "exponential_257": [float(x) for x in rng.exponential(3.0, 257)],
}
qs = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
out = {
    "generator": "scripts/reference/numpy-quantiles.py",
    "numpy": np.__version__,
    "quantiles": qs,
    "cases": [
        {"id": k, "values": v, "expected": [float(x) for x in np.quantile(np.array(v, dtype=float), qs)]}
        for k, v in cases.items()
    ],
}
print(json.dumps(out, indent=1))
