#!/usr/bin/env python3
"""Ground truth for the churn model-quality captures, made the way AWS's notebook makes it.

Run from the repository root:

    python3 scripts/reference/quality-churn-ground-truth.py

The churn model-quality notebook (aws/amazon-sagemaker-examples,
sagemaker_model_monitor/model_quality/model_quality_churn_sdk.ipynb, "Generate synthetic ground truth") labels
inference i with `random.seed(i); "1" if random.random() < 0.7 else "0"` and eventId str(i), the capture's
inferenceId, and uploads the records under <prefix>/yyyy/mm/dd/hh/<MMSS>.jsonl of the upload hour. This script
does the same for inference ids 0..59 with upload hour 2021-02-05 05:00 UTC (the captures are from 04:14-04:15),
writing test/fixtures/quality/churn-ground-truth/2021/02/05/05/0000.jsonl.
"""

import json
import pathlib
import random

OUT = pathlib.Path("test/fixtures/quality/churn-ground-truth/2021/02/05/05/0000.jsonl")


def ground_truth_with_id(inference_id):
    random.seed(inference_id)
    rand = random.random()
    return {
        "groundTruthData": {"data": "1" if rand < 0.7 else "0", "encoding": "CSV"},
        "eventMetadata": {"eventId": str(inference_id)},
        "eventVersion": "0",
    }


OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text("\n".join(json.dumps(ground_truth_with_id(i)) for i in range(60)) + "\n")
print(f"wrote {OUT}")
