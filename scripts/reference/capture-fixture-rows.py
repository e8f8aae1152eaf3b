#!/usr/bin/env python3
"""Expected rows and rejections for the real data-capture fixtures, computed independently of driftwatch.

Usage: python3 scripts/reference/capture-fixture-rows.py > test/fixtures/capture/fixture-rows.json

A deliberately small Python reader for the payload shapes these fixtures use (CSV rows, JSON
{"instances": [scalars]}, JSON Lines {"features": [...]}, outputs as CSV values, {"predictions": [...]}
and {"score": x}); it follows docs/capture-formats.md but shares no code with the TypeScript parser.
Timestamps are validated with datetime.fromisoformat. "capture.jsonl (timestamps)" is the SDK template
with its "{%s}" placeholder on 0-based line i replaced by 2024-05-01T10:00:00Z plus i seconds.
"""

import datetime
import json
import sys

FIXTURES = [
    "sagemaker-data-capture/sdk-tests/captured-data.jsonl",
    "sagemaker-data-capture/sdk-tests/capture.jsonl",
    "sagemaker-data-capture/groundtruth-churn-batch/01d3c1a8-aa99-4149-9d5e-78bea047a788.jsonl",
    "model-monitor-outputs/churn-model-quality/captured-records-with-inferenceId.jsonl",
    "model-monitor-outputs/clarify-bias-endpoint-jsonlines/captured-data.jsonl",
]
BASE = datetime.datetime(2024, 5, 1, 10, 0, 0, tzinfo=datetime.timezone.utc)


def substitute_times(text):
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        stamp = (BASE + datetime.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        out.append(line.replace("{%s}", stamp, 1))
    return "\n".join(out)


def instant(text):
    try:
        value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def positional(values):
    return {f"_c{i}": (None if v == "" else v) for i, v in enumerate(values)}


def json_docs(text):
    try:
        return [json.loads(text)]
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.split("\n") if line.strip()]


def input_rows(side):
    if side["encoding"] == "CSV":
        return [positional(line.split(",")) for line in side["data"].split("\n") if line != ""]
    rows = []
    for doc in json_docs(side["data"]):
        if "instances" in doc:
            rows.extend({"_c0": x} for x in doc["instances"])
        elif "features" in doc:
            rows.append(positional(doc["features"]))
        else:
            raise ValueError(f"shape not covered by this reference: {doc!r}")
    return rows


def output_rows(side, n_input):
    if side["encoding"] == "CSV":
        values = [line for line in side["data"].split("\n") if line != ""]
        return [[v] for v in values] if len(values) == n_input else [values]
    rows = []
    docs = json_docs(side["data"])
    for doc in docs:
        if "predictions" in doc:
            values = doc["predictions"]
            rows.extend([[v] for v in values] if len(values) == n_input else [values])
        elif "score" in doc:
            rows.append([doc["score"]])
        else:
            raise ValueError(f"shape not covered by this reference: {doc!r}")
    return rows


def expected(text):
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    summary = {"lines": 0, "blankLines": 0, "accepted": 0, "rejected": 0, "rows": 0}
    rejections, rows, times = [], [], []
    for number, line in enumerate(lines, start=1):
        if line.strip(" \t\r") == "":
            summary["blankLines"] += 1
            continue
        summary["lines"] += 1
        record = json.loads(line)
        meta = record.get("eventMetadata") or {}
        time = meta.get("inferenceTime")
        if time is not None and instant(time) is None:
            summary["rejected"] += 1
            rejections.append({"line": number, "field": "eventMetadata.inferenceTime"})
            continue
        capture = record.get("captureData")
        if capture is None:
            summary["rejected"] += 1
            rejections.append({"line": number, "field": "captureData"})
            continue
        ins = input_rows(capture["endpointInput"])
        outs = output_rows(capture["endpointOutput"], len(ins))
        assert len(ins) == len(outs)
        summary["accepted"] += 1
        summary["rows"] += len(ins)
        if time is not None:
            times.append((instant(time), time))
        row_meta = {"line": number}
        for key in ("eventId", "inferenceId", "inferenceTime"):
            if key in meta:
                row_meta[key] = meta[key]
        rows.extend({"features": f, "outputs": o, "meta": row_meta} for f, o in zip(ins, outs))
    summary["featureNames"] = list(dict.fromkeys(k for r in rows for k in r["features"]))
    summary["outputNames"] = list(
        dict.fromkeys(
            n
            for r in rows
            for n in (["prediction"] if len(r["outputs"]) == 1 else [f"prediction_{i}" for i in range(len(r["outputs"]))])
        )
    )
    if times:
        summary["firstInferenceTime"] = min(times)[1]
        summary["lastInferenceTime"] = max(times)[1]
    return {"summary": summary, "rejections": rejections, "rows": rows}


def main():
    result = {}
    for name in FIXTURES:
        with open(f"test/fixtures/{name}", encoding="utf-8") as handle:
            text = handle.read()
        result[name] = expected(text)
        if name.endswith("sdk-tests/capture.jsonl"):
            result[f"{name} (timestamps)"] = expected(substitute_times(text))
    json.dump(result, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
