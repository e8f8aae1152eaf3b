"""Reference two-sample KS statistics for test/core/sketch/kll-accuracy.test.ts.

Run from the repository root:
    python3 scripts/reference/kll-ks-2samp.py > test/fixtures/sketch/kll-ks-2samp.json

Samples come from mulberry32 (the test ports the same generator) followed by transforms that use
only + - * / so JavaScript and Python produce bit-identical doubles. The statistic is
scipy.stats.ks_2samp(a, b).statistic, the exact sup |F_a(x) - F_b(x)| of the two empirical CDFs.
"""

import json
import sys

import numpy as np
import scipy
from scipy.stats import ks_2samp

MASK = 0xFFFFFFFF
N = 100_000


def mulberry32(seed):
    a = seed & MASK

    def next_value():
        nonlocal a
        a = (a + 0x6D2B79F5) & MASK
        t = ((a ^ (a >> 15)) * (1 | a)) & MASK
        t = ((t + (((t ^ (t >> 7)) * (61 | t)) & MASK)) & MASK) ^ t
        return ((t ^ (t >> 14)) & MASK) / 4294967296

    return next_value


def sample(spec):
    rnd = mulberry32(spec["seed"])
    out = np.empty(N)
    kind = spec["kind"]
    scale = spec["scale"]
    shift = spec["shift"]
    for i in range(N):
        if kind == "uniform":
            x = rnd()
        elif kind == "irwin-hall":
            # Sum of 12 uniforms minus 6: approximately standard normal, exact in doubles.
            s = 0.0
            for _ in range(12):
                s += rnd()
            x = s - 6
        elif kind == "odds":
            # u / (1 - u): heavy right tail, P(X > x) = 1 / (1 + x).
            u = rnd()
            x = u / (1 - u)
        elif kind == "digits":
            # Ten repeated values 0..9.
            x = float(int(rnd() * 10))
        else:
            raise ValueError(kind)
        out[i] = x * scale + shift
    return out


CASES = [
    ("uniform vs shifted uniform", {"kind": "uniform", "seed": 1, "scale": 1.0, "shift": 0.0},
     {"kind": "uniform", "seed": 2, "scale": 1.0, "shift": 0.02}),
    ("normal vs same normal", {"kind": "irwin-hall", "seed": 3, "scale": 1.0, "shift": 0.0},
     {"kind": "irwin-hall", "seed": 4, "scale": 1.0, "shift": 0.0}),
    ("normal vs scaled shifted normal", {"kind": "irwin-hall", "seed": 5, "scale": 1.0, "shift": 0.0},
     {"kind": "irwin-hall", "seed": 6, "scale": 1.1, "shift": 0.1}),
    ("heavy tail vs scaled heavy tail", {"kind": "odds", "seed": 7, "scale": 1.0, "shift": 0.0},
     {"kind": "odds", "seed": 8, "scale": 1.25, "shift": 0.0}),
    ("repeated digits vs shifted digits", {"kind": "digits", "seed": 9, "scale": 1.0, "shift": 0.0},
     {"kind": "digits", "seed": 10, "scale": 1.0, "shift": 0.5}),
]


def sequential_sum(values):
    # Left-to-right float addition, which the test repeats to prove it regenerated the same sample.
    total = 0.0
    for v in values.tolist():
        total += v
    return total


def main():
    cases = []
    for name, spec_a, spec_b in CASES:
        a = sample(spec_a)
        b = sample(spec_b)
        result = ks_2samp(a, b)
        cases.append({
            "name": name,
            "n": N,
            "a": {**spec_a, "first": a[:3].tolist(), "sum": sequential_sum(a)},
            "b": {**spec_b, "first": b[:3].tolist(), "sum": sequential_sum(b)},
            "statistic": float(result.statistic),
        })
    json.dump({
        "generator": "python3 scripts/reference/kll-ks-2samp.py > test/fixtures/sketch/kll-ks-2samp.json",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "cases": cases,
    }, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
