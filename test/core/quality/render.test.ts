import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { compareVariants } from '../../../functions/core/quality/ab-test.js';
import { calibrateCbpe, estimatePerformance } from '../../../functions/core/quality/cbpe.js';
import { evaluateModelQuality } from '../../../functions/core/quality/evaluate.js';
import { evaluateGate } from '../../../functions/core/quality/gate.js';
import {
  renderAbText,
  renderEstimateText,
  renderGateJunit,
  renderGateMarkdown,
  renderGateText,
  renderQualityText,
} from '../../../functions/core/quality/render.js';
import { binarySet } from './support.js';

const champion = binarySet([0, 1, 1, 0, 1, 0, 1, 0], [0.1, 0.8, 0.4, 0.3, 0.9, 0.6, 0.7, 0.2]);
const challenger = binarySet([0, 1, 1, 0, 1, 0, 1, 0], [0.1, 0.8, 0.6, 0.3, 0.9, 0.4, 0.7, 0.2]);
const gate = evaluateGate(
  { kind: 'predictions', set: champion },
  { kind: 'predictions', set: challenger },
  { floors: { auc: 0.5 }, minImprovement: { accuracy: 0.5 }, bootstrap: { samples: 100 } },
);

describe('renderGateText', () => {
  it('computes the verdict line, the comparison table and the checks', () => {
    const text = renderGateText(gate);
    expect(text.split('\n')[0]).toMatch(/^REJECT: accuracy does not improve enough/);
    expect(text).toContain('metric    champion  challenger  improvement  interval');
    expect(text).toContain('pass  floor');
    expect(text).toContain('paired bootstrap over 8 rows (100 resamples, seed 42, 95% intervals)');
  });
});

describe('renderGateMarkdown', () => {
  it('computes a heading with the verdict and escaped tables', () => {
    const md = renderGateMarkdown(gate);
    expect(md.startsWith('## ❌ Quality gate: REJECT\n')).toBe(true);
    expect(md).toContain('| metric | champion | challenger | improvement | interval |');
    expect(md).toContain('| FAIL | min_improvement | accuracy |');
  });
});

// The Apache Ant JUnit XML schema (windyroad/JUnit-Schema), as the drift report's JUnit test uses it.
const XSD = await readFile('test/fixtures/junit/JUnit.xsd', 'utf8');
const validate = async (xml: string) =>
  (await validateXML({ xml: [{ fileName: 'gate.xml', contents: xml }], schema: [XSD] })).valid;

describe('renderGateJunit', () => {
  it('computes one test case per check with failures for non-passing checks, valid under the Ant schema', async () => {
    const xml = renderGateJunit(gate, { timestamp: new Date('2026-11-26T10:20:30Z'), hostname: 'ci' });
    expect(xml).toContain(
      '<testsuite name="quality_gate" package="driftwatch" id="0" timestamp="2026-11-26T10:20:30" hostname="ci" tests="3" failures="1"',
    );
    expect(xml).toContain('<testcase name="floor auc" classname="driftwatch.gate.floor" time="0"/>');
    expect(xml).toMatch(/<failure type="fail" message="accuracy does not improve enough: [^"<>]*">/);
    expect(await validate(xml)).toBe(true);
  });

  it('computes a schema failure when a required attribute is missing (the check can fail)', async () => {
    const xml = renderGateJunit(gate).replace(/ hostname="[^"]*"/, '');
    expect(await validate(xml)).toBe(false);
  });
});

describe('renderQualityText', () => {
  it('computes the verdict, join line and metric table', () => {
    const result = evaluateModelQuality(
      [{ key: 'a', prediction: 1, line: 1 }],
      [{ eventId: 'a', label: 1, line: 1 }],
      { problemType: 'BinaryClassification' },
    );
    const text = renderQualityText(result);
    expect(text.split('\n')[0]).toBe('NOT CHECKED: no constraints given');
    expect(text).toContain('join: 1 of 1 captures matched (100%)');
    expect(text).toMatch(/accuracy +1 +NaN/);
  });
});

describe('renderAbText and renderEstimateText', () => {
  it('computes readable A/B and estimate reports', () => {
    const ab = compareVariants(
      { name: 'A', set: champion },
      { name: 'B', set: challenger },
      { bootstrap: { samples: 50 } },
    );
    expect(renderAbText(ab).split('\n')[0]).toMatch(/^NO SIGNIFICANT DIFFERENCE in accuracy/);
    const estimate = estimatePerformance(calibrateCbpe(champion), [0.2, 0.9]);
    const text = renderEstimateText([{ name: 'hour-10', estimate }]);
    expect(text.split('\n')[0]).toBe('ESTIMATE (CBPE, isotonic calibration; no labels used)');
    expect(text).toContain('warning: hour-10: only 2 rows');
  });
});
