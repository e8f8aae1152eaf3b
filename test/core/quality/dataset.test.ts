import { describe, expect, it } from 'vitest';
import { buildEvaluationSet } from '../../../functions/core/quality/dataset.js';
import { QualityInputError } from '../../../functions/core/quality/errors.js';
import { binaryValue, classValue, numberValue, sortClasses } from '../../../functions/core/quality/values.js';

describe('buildEvaluationSet', () => {
  it('computes binary labels from probabilities at the threshold (>=) and rejects unreadable pairs', () => {
    // Given
    const pairs = [
      { prediction: null, probability: '0.8', label: '1' },
      { prediction: null, probability: 0.79, label: 'false' },
      { prediction: null, probability: 1.5, label: '1' },
      { prediction: null, probability: 0.9, label: 'maybe' },
    ];
    // When
    const built = buildEvaluationSet(pairs, {
      problemType: 'BinaryClassification',
      probabilityThreshold: 0.8,
    });
    // Then
    expect(built.set).toMatchObject({ n: 2, hasProbability: true, threshold: 0.8 });
    if (built.set.problemType !== 'BinaryClassification') throw new Error('binary expected');
    expect(Array.from(built.set.predicted)).toEqual([1, 0]);
    expect(Array.from(built.set.labels)).toEqual([1, 0]);
    expect(built.rejected).toBe(2);
    expect(built.rejections).toEqual([
      { index: 2, reason: 'probability 1.5 is not a number in [0, 1]' },
      { index: 3, reason: 'label "maybe" is not a binary label (0/1, true/false)' },
    ]);
  });

  it('computes rejections for a probability given as the inference attribute', () => {
    const built = buildEvaluationSet(
      [
        { prediction: '0.43', label: '1' },
        { prediction: '1', label: '1' },
      ],
      { problemType: 'BinaryClassification' },
    );
    expect(built.rejections[0]?.reason).toMatch(
      /not a binary label \(0\/1\); a probability needs probabilityAttribute/,
    );
  });

  it('computes multiclass classes from labels and predictions, numerically ordered', () => {
    const built = buildEvaluationSet(
      [
        { prediction: '10', label: '2' },
        { prediction: 1, label: '1.0' },
        { prediction: null, label: '1' },
      ],
      { problemType: 'MulticlassClassification' },
    );
    if (built.set.problemType !== 'MulticlassClassification') throw new Error('multiclass expected');
    expect(built.set.classes).toEqual(['1', '2', '10']);
    expect(Array.from(built.set.labels)).toEqual([1, 0]);
    expect(built.rejections).toEqual([{ index: 2, reason: 'prediction null is not a class label' }]);
  });

  it('computes regression pairs of finite numbers', () => {
    const built = buildEvaluationSet(
      [
        { prediction: '1.5', label: 2 },
        { prediction: 'NaN', label: 1 },
      ],
      { problemType: 'Regression' },
    );
    expect(built.set.n).toBe(1);
    expect(built.rejections[0]?.reason).toBe('prediction "NaN" is not a finite number');
  });

  it('throws when no pair is usable, naming the first reason', () => {
    expect(() =>
      buildEvaluationSet([{ prediction: 'x', label: 'y' }], { problemType: 'Regression' }),
    ).toThrow(
      /no usable \(prediction, label\) pairs for Regression: 1 rejected, the first \(#1\) because label "y" is not a finite number/,
    );
  });

  it('throws when the threshold is outside [0, 1]', () => {
    expect(() =>
      buildEvaluationSet([], { problemType: 'BinaryClassification', probabilityThreshold: 1.2 }),
    ).toThrow(QualityInputError);
  });

  it('throws when binary pairs mix probabilities and bare labels', () => {
    expect(() =>
      buildEvaluationSet(
        [
          { prediction: null, probability: 0.2, label: 0 },
          { prediction: 1, label: 1 },
        ],
        { problemType: 'BinaryClassification' },
      ),
    ).toThrow(/mix probabilities/);
  });
});

describe('values', () => {
  it('computes binary, class and number values', () => {
    expect([1, '1.0', true, ' TRUE ', 0, '0', false].map(binaryValue)).toEqual([1, 1, 1, 1, 0, 0, 0]);
    expect([2, '0.5', 'yes', null].map(binaryValue)).toEqual([undefined, undefined, undefined, undefined]);
    expect([1, '1.0', ' cat ', true, '', null].map(classValue)).toEqual([
      '1',
      '1',
      'cat',
      'true',
      undefined,
      undefined,
    ]);
    expect([' 2.5 ', '', 'x', Number.POSITIVE_INFINITY].map(numberValue)).toEqual([
      2.5,
      undefined,
      undefined,
      undefined,
    ]);
    expect(sortClasses(['b', 'a', 'b'])).toEqual(['a', 'b']);
  });
});
