import { describe, expect, it } from 'vitest';
import { formatJavaDouble } from '../../../functions/core/model-monitor/format.js';

describe('formatJavaDouble', () => {
  // Expected strings follow java.lang.Double#toString's specification (plain decimal with at least one
  // fractional digit for 1e-3 <= |x| < 1e7, else "computerized scientific notation" d.dddE±n), and the
  // numbers Model Monitor printed in real violation files ("100.0%", "99.71751412429379%", "0.0").
  it.each([
    [100, '100.0'],
    [0, '0.0'],
    [-0, '-0.0'],
    [0.1, '0.1'],
    [-2.5, '-2.5'],
    [99.71751412429379, '99.71751412429379'],
    [0.4994994994994995, '0.4994994994994995'],
    [0.001, '0.001'],
    [0.0005, '5.0E-4'],
    [1.25e-5, '1.25E-5'],
    [9999999, '9999999.0'],
    [1e7, '1.0E7'],
    [12345678.9, '1.23456789E7'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
  ])('computes %s as %s', (x, expected) => {
    // Given a double / When formatted / Then it reads as Java prints it
    expect(formatJavaDouble(x)).toBe(expected);
  });
});
