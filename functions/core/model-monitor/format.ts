/**
 * Formats a number as Java's `Double.toString` does, which is how Model Monitor's Scala container prints the
 * numbers in violation descriptions ("100.0%", "0.0", "5.0E-4").
 * Definition: NaN -> "NaN", ±Infinity -> "Infinity"/"-Infinity"; 0 -> "0.0" (-0 -> "-0.0"); for
 * 1e-3 <= |x| < 1e7 the shortest decimal that round-trips, with ".0" appended to whole numbers; otherwise
 * the shortest round-tripping mantissa in scientific notation with at least one fractional digit, "E" and
 * the exponent ("1.0E7", "1.25E-5").
 */
export function formatJavaDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    // JavaScript switches to exponents only below 1e-6 or from 1e21, so String(x) is plain decimal here.
    const plain = String(x);
    return plain.includes('.') ? plain : `${plain}.0`;
  }
  const [mantissa = '', exponent = '0'] = x.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}
