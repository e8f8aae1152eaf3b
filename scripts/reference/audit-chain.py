#!/usr/bin/env python3
"""Reference values for driftwatch's audit trail, computed independently of the TypeScript code.

RFC 8785 (JSON Canonicalization Scheme) is implemented here from the RFC's rules: object members sorted by
their UTF-16 code units, ECMAScript Number-to-String for numbers (built from Python's shortest round-trip repr),
minimal string escaping. Hashes are hashlib SHA-256.

Run: python3 scripts/reference/audit-chain.py > test/fixtures/audit/audit-reference.json
"""
import hashlib
import json
import math
from decimal import Decimal

SHORT_ESCAPES = {'"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t'}


def es_number(x):
    """ECMAScript Number::toString (ECMA-262 6.1.6.1.20) for a finite double."""
    if isinstance(x, bool) or not math.isfinite(x):
        raise ValueError(x)
    if x == 0:
        return '0'
    sign = '-' if x < 0 else ''
    t = Decimal(repr(abs(float(x)))).as_tuple()
    digits, exp = list(t.digits), t.exponent
    while len(digits) > 1 and digits[-1] == 0:
        digits.pop()
        exp += 1
    s = ''.join(map(str, digits))
    k = len(s)
    n = exp + k
    if k <= n <= 21:
        body = s + '0' * (n - k)
    elif 0 < n <= 21:
        body = s[:n] + '.' + s[n:]
    elif -6 < n <= 0:
        body = '0.' + '0' * (-n) + s
    else:
        e = n - 1
        mantissa = s if k == 1 else s[0] + '.' + s[1:]
        body = mantissa + 'e' + ('+' if e >= 0 else '-') + str(abs(e))
    return sign + body


def es_string(text):
    out = ['"']
    for ch in text:
        if ch in SHORT_ESCAPES:
            out.append(SHORT_ESCAPES[ch])
        elif ord(ch) < 0x20:
            out.append('\\u%04x' % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return ''.join(out)


def jcs(value):
    if value is None:
        return 'null'
    if value is True:
        return 'true'
    if value is False:
        return 'false'
    if isinstance(value, (int, float)):
        return es_number(value)
    if isinstance(value, str):
        return es_string(value)
    if isinstance(value, list):
        return '[' + ','.join(jcs(v) for v in value) + ']'
    if isinstance(value, dict):
        keys = sorted(value.keys(), key=lambda k: k.encode('utf-16-be'))
        return '{' + ','.join(es_string(k) + ':' + jcs(value[k]) for k in keys) + '}'
    raise TypeError(type(value))


def sha256(text):
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


# Inputs as JSON text, so both languages parse the same doubles and strings.
CANONICAL_CASES = [
    ('rfc8785-primitives',
     '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
     ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}'),
    ('rfc8785-property-order',
     '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh",'
     ' "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control",'
     ' "\\u00f6": "Latin Small Letter O With Diaeresis"}'),
    ('number-forms',
     '[0, -0.0, 1, -1, 0.1, 1e21, 1e20, 123456789012345680000, 1e-7, 0.000001, 5e-324, 1.7976931348623157e308,'
     ' 9007199254740993, 0.30000000000000004]'),
    ('nested', '{"b": {"z": [], "a": {}}, "a": [{"y": 1, "x": 2}], "c": "tab\\there"}'),
]

GENESIS = '0' * 64


def seal(endpoint, previous, draft, recorded_at):
    record = {
        'format': 'driftwatch.audit',
        'version': 1,
        'endpoint': endpoint,
        'sequence': 0 if previous is None else previous['sequence'] + 1,
        'recordedAt': recorded_at,
        'workflow': draft['workflow'],
        'kind': draft['kind'],
        'runId': draft['runId'],
        'final': draft.get('final', False),
        'detail': draft.get('detail', {}),
        'inputs': draft.get('inputs', []),
        'previousHash': GENESIS if previous is None else previous['hash'],
    }
    record['hash'] = sha256(jcs(record))
    return record


RUN = 'arn:aws:states:us-east-1:111111111111:execution:Retrain:run-1'
EVENT = {'source': 'aws.cloudwatch', 'detail-type': 'CloudWatch Alarm State Change',
         'detail': {'alarmName': 'churn-retrain', 'state': {'value': 'ALARM'}}}
DRAFTS = [
    ('2026-11-26T10:00:00.000Z', {
        'workflow': 'retraining', 'kind': 'trigger', 'runId': RUN,
        'detail': {'source': 'alarm', 'reason': 'Threshold Crossed', 'alarmName': 'churn-retrain'},
        'inputs': [{'name': 'event', 'sha256': sha256(jcs(EVENT))}]}),
    ('2026-11-26T10:45:12.500Z', {
        'workflow': 'retraining', 'kind': 'training-result', 'runId': RUN,
        'detail': {'status': 'Completed', 'trainingJobName': 'churn-endpoint-20261126100000-ab12',
                   'billableSeconds': 2712}}),
    ('2026-11-26T11:02:03.000Z', {
        'workflow': 'retraining', 'kind': 'gate-verdict', 'runId': RUN,
        'detail': {'verdict': 'pass', 'reasons': ['auc 0.912 >= floor 0.75', 'f1 regression -0.004 <= 0.02'],
                   'metrics': {'auc': {'champion': 0.9, 'challenger': 0.912}}}}),
    ('2026-11-26T11:02:04.250Z', {
        'workflow': 'retraining', 'kind': 'registration', 'runId': RUN, 'final': True,
        'detail': {'modelPackageArn': 'arn:aws:sagemaker:us-east-1:111111111111:model-package/churn-endpoint/7',
                   'approvalStatus': 'PendingManualApproval'}}),
]


def main():
    canonical = []
    for name, text in CANONICAL_CASES:
        value = json.loads(text)
        out = jcs(value)
        canonical.append({'name': name, 'json': text, 'canonical': out, 'sha256': sha256(out)})
    chain = []
    previous = None
    for recorded_at, draft in DRAFTS:
        previous = seal('churn-endpoint', previous, draft, recorded_at)
        chain.append({'recordedAt': recorded_at, 'draft': draft, 'record': previous})
    print(json.dumps({
        'generator': 'scripts/reference/audit-chain.py',
        'canonical': canonical,
        'event': EVENT,
        'eventSha256': sha256(jcs(EVENT)),
        'chain': chain,
    }, indent=2, ensure_ascii=False))


if __name__ == '__main__':
    main()
