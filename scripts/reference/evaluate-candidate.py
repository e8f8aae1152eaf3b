#!/usr/bin/env python3
"""Reference metrics for the evaluate-candidate handler test, computed independently of the TypeScript code.

A fixed binary holdout (labels) scored by a champion and a challenger (probabilities). AUC is the Mann-Whitney
U statistic over (n_pos * n_neg) (scipy.stats.mannwhitneyu); accuracy and F1 use the 0.5 threshold (numpy).

Run: python3 scripts/reference/evaluate-candidate.py > test/fixtures/workflows/evaluate-candidate-reference.json
"""
import json

import numpy as np
from scipy.stats import mannwhitneyu

rng = np.random.default_rng(20261126)
n = 60
labels = rng.integers(0, 2, n)
# The champion separates the classes well; the challenger is noisier.
champion = np.clip(0.25 + 0.5 * labels + rng.normal(0, 0.15, n), 0.001, 0.999).round(3)
challenger = np.clip(0.35 + 0.3 * labels + rng.normal(0, 0.25, n), 0.001, 0.999).round(3)


def metrics(p):
    pos = p[labels == 1]
    neg = p[labels == 0]
    u = mannwhitneyu(pos, neg, alternative='two-sided').statistic
    predicted = (p >= 0.5).astype(int)
    tp = int(((predicted == 1) & (labels == 1)).sum())
    fp = int(((predicted == 1) & (labels == 0)).sum())
    fn = int(((predicted == 0) & (labels == 1)).sum())
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    return {
        'auc': float(u / (len(pos) * len(neg))),
        'accuracy': float((predicted == labels).mean()),
        'f1': float(2 * precision * recall / (precision + recall)),
    }


print(json.dumps({
    'generator': 'scripts/reference/evaluate-candidate.py',
    'labels': labels.tolist(),
    'champion': champion.tolist(),
    'challenger': challenger.tolist(),
    'championMetrics': metrics(champion),
    'challengerMetrics': metrics(challenger),
}, indent=2))
