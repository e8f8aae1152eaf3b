#!/usr/bin/env python3
"""Reference values for functions/core/stats, computed with SciPy/NumPy.

Run from the repository root:

    python3 scripts/reference/drift-stats.py

Writes test/fixtures/drift-reference-values/generated-*.json. The tests read those files and never run
Python. Every value comes from SciPy/NumPy (versions recorded in each file), not from driftwatch.

Two-sample KS inputs are not stored: both sides rebuild them from (n, scale, shift, bins) with the same
IEEE-754 operations, v_i = ((i + 0.5) / n) * scale + shift, then floor(v * bins) / bins when bins > 0
(bins > 0 makes ties).
"""

import json
import math
import pathlib
import warnings

import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial.distance import jensenshannon

OUT = pathlib.Path("test/fixtures/drift-reference-values")
GENERATOR = "scripts/reference/drift-stats.py"
VERSIONS = {"python": ".".join(map(str, __import__("sys").version_info[:3])), "scipy": scipy.__version__,
            "numpy": np.__version__}


def write(name, description, body):
    """One case per line, so a regenerated file diffs line by line."""
    head = {"description": description, "generator": GENERATOR, "versions": VERSIONS}
    lines = ["{"] + [f" {json.dumps(k)}: {json.dumps(v, allow_nan=False)}," for k, v in head.items()]
    groups = list(body.items())
    for gi, (key, cases) in enumerate(groups):
        lines.append(f" {json.dumps(key)}: [")
        lines += [f"  {json.dumps(c, allow_nan=False)}{',' if ci + 1 < len(cases) else ''}"
                  for ci, c in enumerate(cases)]
        lines.append(" ]" + ("," if gi + 1 < len(groups) else ""))
    lines.append("}")
    (OUT / name).write_text("\n".join(lines) + "\n")


def grid(n, scale, shift, bins):
    out = []
    for i in range(n):
        v = ((i + 0.5) / n) * scale + shift
        if bins > 0:
            v = math.floor(v * bins) / bins
        out.append(v)
    return np.array(out)


def ks_cases():
    sizes = [(1, 1), (3, 3), (5, 7), (30, 45), (100, 100), (200, 300), (999, 1001), (1000, 1500),
             (500, 520), (600, 500), (600, 700), (3000, 2000), (5000, 4000), (10000, 9999), (10000, 10000),
             (10001, 50), (20000, 300), (50000, 120), (30000, 25000), (20000, 20000), (1, 20000)]
    cases = []
    for n1, n2 in sizes:
        for shift in [0.0, 0.01, 0.05, 0.2]:
            for bins in [0, 20]:
                for alternative in ["two-sided", "greater", "less"]:
                    a = grid(n1, 1.0, 0.0, bins)
                    b = grid(n2, 1.0, shift, bins)
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        r = stats.ks_2samp(a, b, alternative=alternative, method="auto")
                    cases.append({
                        "id": f"ks_{n1}_{n2}_shift{shift}_bins{bins}_{alternative}",
                        "a": {"n": n1, "scale": 1.0, "shift": 0.0, "bins": bins},
                        "b": {"n": n2, "scale": 1.0, "shift": shift, "bins": bins},
                        "alternative": alternative,
                        "expected": {"statistic": float(r.statistic), "pvalue": float(r.pvalue)},
                        "scipy_mode": "exact" if max(n1, n2) <= 10000 else "asymp",
                    })
    return cases


def distribution_cases():
    kstwo, smirnov = [], []
    for n in [1, 2, 3, 5, 10, 37, 100, 140, 141, 500, 1000, 5000, 10000, 50000, 100000, 100001, 400000,
              1000000, 2000000]:
        r = math.sqrt(n)
        xs = [1e-4, 0.3 / n, 0.75 / n, 1.0 / n, 1.5 / n, 0.5 / r, 0.8 / r, 0.87 / r, 1.0 / r, 1.2 / r, 1.45 / r,
              1.6 / r, 2.0 / r, 3.0 / r, 5.0 / r, 19.0 / r, 0.1, 0.3, 0.49, 0.5, 0.7, 1 - 1.5 / n, 1 - 0.5 / n,
              0.999]
        for x in xs:
            if 0 <= x <= 1:
                kstwo.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n))})
                smirnov.append({"n": n, "x": x, "sf": float(special.smirnov(n, x))})
    kolmogorov = [{"x": x, "sf": float(special.kolmogorov(x)), "cdf": float(stats.kstwobign.cdf(x))}
                  for x in [0.01, 0.04, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 0.82, 0.83, 1.0, 1.36, 2.0, 3.0, 5.0, 7.0, 10.0]]
    return {"kstwo_sf": kstwo, "smirnov_sf": smirnov, "kolmogorov_sf": kolmogorov}


def linf_robust_cases():
    rng = np.random.default_rng(20261126)
    cases = []
    for n, m, shift in [(100, 100, 0.0), (100, 80, 0.5), (1000, 50, 0.3), (40, 2000, 1.0), (500, 500, 0.05)]:
        a = np.round(rng.normal(0, 1, n), 4)
        b = np.round(rng.normal(shift, 1, m), 4)
        d = float(stats.ks_2samp(a, b).statistic)
        robust = [{"c": c, "value": max(0.0, d - c * math.sqrt((n + m) / (n * m)))} for c in [1.8, 1.36]]
        cases.append({"id": f"linf_robust_{n}_{m}_{shift}", "a": a.tolist(), "b": b.tolist(),
                      "expected": {"d": d, "robust": robust}})
    return cases


def chi2_contingency_cases():
    tables = [
        ("2x2_yates", [12, 5], [7, 9]),
        ("2x2_small_gap", [10, 10], [10, 11]),
        ("2x2_zero_cell", [0, 8], [5, 3]),
        ("2x3", [20, 15, 25], [30, 14, 10]),
        ("2x5_large", [1200, 800, 450, 300, 250], [1100, 900, 500, 250, 300]),
        ("2x4_zero_column", [10, 0, 5, 7], [12, 0, 9, 2]),
        ("2x3_two_zero_columns_dof1", [0, 4, 0, 9], [0, 8, 0, 3]),
        ("2x6_unequal_totals", [50, 40, 30, 20, 10, 5], [5, 10, 20, 30, 40, 50]),
        ("2x3_identical_proportions", [10, 20, 30], [20, 40, 60]),
        ("2x3_fractional_counts", [10.5, 20.25, 3.0], [8.0, 22.0, 5.5]),
    ]
    cases = []
    for case_id, a, b in tables:
        keep = [i for i in range(len(a)) if a[i] + b[i] > 0]
        table = np.array([[a[i] for i in keep], [b[i] for i in keep]], dtype=float)
        r = stats.chi2_contingency(table)
        cases.append({"id": case_id, "a": a, "b": b,
                      "expected": {"statistic": float(r.statistic), "pvalue": float(r.pvalue), "dof": int(r.dof)}})
    cases.append({"id": "2x3_one_nonzero_column", "a": [0, 7, 0], "b": [0, 3, 0],
                  "expected": {"statistic": 0.0, "pvalue": 1.0, "dof": 0},
                  "note": "scipy.stats.chi2_contingency([[7],[3]]) gives (0.0, 1.0, dof 0) for the degenerate table"})
    assert stats.chi2_contingency(np.array([[7.0], [3.0]])).pvalue == 1.0
    return cases


def chisquare_cases():
    rows = [
        ("ddof1", [16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8], 1),
        ("ddof0_six", [16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8], 0),
        ("strong_drift", [90, 5, 5], [33.4, 33.3, 33.3], 0),
        ("fractional", [10.5, 20.5, 30.0], [20.0, 20.0, 21.0], 0),
        ("two_categories", [30, 70], [50, 50], 0),
    ]
    cases = []
    for case_id, obs, exp, ddof in rows:
        r = stats.chisquare(obs, exp, ddof=ddof)
        cases.append({"id": case_id, "observed": obs, "expected_counts": exp, "ddof": ddof,
                      "expected": {"statistic": float(r.statistic), "pvalue": float(r.pvalue),
                                   "dof": len(obs) - 1 - ddof}})
    return cases


def psi_cases():
    rows = [
        ("no_zeros", [10, 20, 30, 40], [12, 18, 33, 37], 1e-4),
        ("zero_in_actual", [10, 20, 30, 40], [0, 25, 35, 40], 1e-4),
        ("zero_in_expected", [0, 50, 50], [10, 45, 45], 1e-4),
        ("zeros_both_sides_same_bin", [0, 5, 5], [0, 4, 6], 1e-4),
        ("tiny_nonzero_below_epsilon", [1, 99999, 100000], [50, 99950, 100000], 1e-4),
        ("custom_epsilon", [0, 10, 90], [5, 10, 85], 1e-3),
        ("identical_proportions_scaled", [1, 2, 3], [10, 20, 30], 1e-4),
        ("ten_bins", [5, 8, 12, 20, 25, 15, 8, 4, 2, 1], [2, 4, 9, 15, 22, 20, 13, 8, 5, 2], 1e-4),
    ]
    cases = []
    for case_id, e, a, eps in rows:
        ep = np.clip(np.array(e, dtype=float) / np.sum(e), eps, None)
        ap = np.clip(np.array(a, dtype=float) / np.sum(a), eps, None)
        value = float(np.sum((ap - ep) * np.log(ap / ep)))
        cases.append({"id": case_id, "expected_counts": e, "actual_counts": a, "epsilon": eps, "value": value})
    return cases


def jensenshannon_cases():
    rows = [
        ("counts", [10, 20, 30], [30, 20, 10]),
        ("with_zero", [0, 5, 5], [5, 5, 0]),
        ("disjoint", [3, 0], [0, 7]),
        ("near_identical", [1000, 1001, 999], [1000, 1000, 1000]),
        ("ten_bins", [5, 8, 12, 20, 25, 15, 8, 4, 2, 1], [2, 4, 9, 15, 22, 20, 13, 8, 5, 2]),
        ("fractional", [0.1, 0.2, 0.7], [0.25, 0.25, 0.5]),
    ]
    cases = []
    for case_id, p, q in rows:
        for base in [2.0, math.e, 10.0]:
            cases.append({"id": f"{case_id}_base{round(base, 3)}", "p": p, "q": q, "base": base,
                          "value": float(jensenshannon(np.array(p, dtype=float), np.array(q, dtype=float),
                                                       base=base))})
    return cases


def linf_categorical_cases():
    rows = [
        ("counts", [10, 20, 30], [30, 20, 10]),
        ("absent_category", [5, 5, 0], [3, 3, 4]),
        ("fractional", [0.1, 0.2, 0.7], [0.25, 0.25, 0.5]),
        ("identical_scaled", [1, 2, 3], [100, 200, 300]),
    ]
    cases = []
    for case_id, p, q in rows:
        pn = np.array(p, dtype=float) / np.sum(p)
        qn = np.array(q, dtype=float) / np.sum(q)
        cases.append({"id": case_id, "p": p, "q": q, "value": float(np.max(np.abs(pn - qn)))})
    return cases


def wasserstein_cases():
    rng = np.random.default_rng(7)
    cases = []
    for case_id, a, b, wa, wb in [
        ("normal_shift", np.round(rng.normal(0, 1, 60), 3), np.round(rng.normal(0.4, 1.2, 45), 3), None, None),
        ("ties", np.round(rng.integers(0, 5, 40).astype(float), 0), np.round(rng.integers(1, 6, 30).astype(float), 0),
         None, None),
        ("weighted", np.round(rng.uniform(-2, 2, 20), 3), np.round(rng.uniform(-1, 3, 15), 3),
         np.round(rng.uniform(0, 2, 20), 3), np.round(rng.uniform(0.1, 1, 15), 3)),
        ("weighted_with_zero_weight", np.array([1.0, 2.0, 3.0, 4.0]), np.array([2.5, 3.5]),
         np.array([0.0, 1.0, 1.0, 2.0]), np.array([1.0, 1.0])),
    ]:
        value = float(stats.wasserstein_distance(a, b, wa, wb))
        case = {"id": case_id, "a": a.tolist(), "b": b.tolist(), "value": value}
        if wa is not None:
            case["a_weights"] = wa.tolist()
            case["b_weights"] = wb.tolist()
        else:
            std = float(np.std(a))
            case["a_std"] = std
            case["normed"] = value / max(std, 0.001)
        cases.append(case)
    constant = np.array([2.0, 2.0, 2.0])
    shifted = np.array([2.0, 2.5, 3.0])
    value = float(stats.wasserstein_distance(constant, shifted))
    cases.append({"id": "normed_constant_baseline", "a": constant.tolist(), "b": shifted.tolist(), "value": value,
                  "a_std": float(np.std(constant)), "normed": value / max(float(np.std(constant)), 0.001)})
    return cases


def main():
    write("generated-ks.json",
          "scipy.stats.ks_2samp(method='auto') on grid samples (rebuild rule in the generator docstring), "
          "scipy.stats.kstwo.sf(x, n), scipy.special.smirnov(n, x), scipy.special.kolmogorov(x) and "
          "scipy.stats.kstwobign.cdf(x) over grids chosen to reach every branch of scipy's kstwo dispatcher; "
          "Model Monitor robust L-infinity max(0, d - c sqrt((n+m)/(nm))) with d from ks_2samp.",
          {"two_sample": ks_cases(), **distribution_cases(), "linf_robust": linf_robust_cases()})
    write("generated-chi-square.json",
          "scipy.stats.chi2_contingency(2 x k table with all-zero columns removed, default Yates correction) "
          "and scipy.stats.chisquare(observed, expected, ddof).",
          {"contingency": chi2_contingency_cases(), "goodness_of_fit": chisquare_cases()})
    write("generated-binned.json",
          "PSI = sum (a - e) ln(a / e) over proportions clipped below at epsilon (numpy), "
          "scipy.spatial.distance.jensenshannon(p, q, base) and the categorical L-infinity distance "
          "max |p / sum(p) - q / sum(q)| (numpy).",
          {"psi": psi_cases(), "jensenshannon": jensenshannon_cases(), "linf_categorical": linf_categorical_cases()})
    write("generated-wasserstein.json",
          "scipy.stats.wasserstein_distance(a, b, a_weights, b_weights); normed = value / max(np.std(a), 0.001) "
          "(Evidently's wasserstein stattest).",
          {"cases": wasserstein_cases()})


if __name__ == "__main__":
    main()
