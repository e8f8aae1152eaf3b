import { describe, expect, it } from 'vitest';
import type { RawValue } from '../../../functions/core/capture/types.js';
import { inferType } from '../../../functions/core/model-monitor/infer-type.js';
import { profileOf } from './support.js';

describe('inferType', () => {
  // Expected types follow Deequ's DataTypeHistogram.determineType (all unknown -> Unknown; any string ->
  // String; any fractional -> Fractional; else Integral) over Deequ's value patterns.
  it.each<[string, (RawValue | undefined)[], string]>([
    ['integers', ['1', '-2', '+3', 4], 'Integral'],
    ['"3.0" (fractional text, as in Model Monitor statistics)', ['3.0', '1.0'], 'Fractional'],
    ['integers and one fraction', ['1', '2', '2.5'], 'Fractional'],
    ['numbers and one string', ['1', '2.5', 'x'], 'String'],
    ['booleans mixed with numbers', [true, 1], 'String'],
    ['strings', ['a', 'b'], 'String'],
    ['missing values and integers', ['', null, '7'], 'Integral'],
    ['only missing values', ['', null, undefined], 'Unknown'],
  ])('computes the type of %s', (_label, values, expected) => {
    // Given a feature profiled from the values
    const f = profileOf({ x: values }).features[0];
    // When its type is inferred / Then it is Deequ's
    expect(f && inferType(f)).toBe(expected);
  });

  it('computes Unknown for a feature that saw no value at all', () => {
    // Given an empty profile of one feature
    const f = profileOf({ x: [] }).features[0];
    // When / Then
    expect(f && inferType(f)).toBe('Unknown');
  });
});
