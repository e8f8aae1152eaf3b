import { describe, expect, it } from 'vitest';
import { classifyValue } from '../../../functions/core/profile/value.js';

describe('classifyValue', () => {
  // Expected classes follow Deequ's StatefulDataType patterns (see value.ts), with the documented differences.
  it.each([
    [null, 'missing', Number.NaN],
    ['', 'missing', Number.NaN],
    ['   ', 'missing', Number.NaN],
    ['3', 'integral', 3],
    ['-3', 'integral', -3],
    ['+3', 'integral', 3],
    ['- 3', 'integral', -3],
    ['3.0', 'fractional', 3],
    ['-0.25', 'fractional', -0.25],
    ['.5', 'fractional', 0.5],
    ['5.', 'fractional', 5],
    ['1e-5', 'fractional', 1e-5],
    ['2.5E3', 'fractional', 2500],
    ['1e999', 'string', Number.NaN],
    ['.', 'string', Number.NaN],
    ['-', 'string', Number.NaN],
    ['NaN', 'string', Number.NaN],
    ['Infinity', 'string', Number.NaN],
    ['0x10', 'string', Number.NaN],
    ['abc', 'string', Number.NaN],
    [' 42 ', 'integral', 42],
    [7, 'integral', 7],
    [7.5, 'fractional', 7.5],
    [-0, 'integral', -0],
    [Number.NaN, 'string', Number.NaN],
    [Number.POSITIVE_INFINITY, 'string', Number.NaN],
    [true, 'string', Number.NaN],
  ] as const)('classifies %j as %s', (input, cls, num) => {
    // When
    const v = classifyValue(input);
    // Then
    expect(v.cls).toBe(cls);
    if (Number.isNaN(num)) expect(v.num).toBeNaN();
    else expect(v.num).toBe(num);
  });

  it('keeps the trimmed text for category counting', () => {
    expect(classifyValue('  red ').text).toBe('red');
    expect(classifyValue(false).text).toBe('false');
  });
});
