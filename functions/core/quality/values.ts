import type { RawValue } from '../capture/types.js';

/**
 * How labels and predictions are read, the same way for ground truth, captures and CSV files, so that "1",
 * 1, "1.0" and true name the same class.
 */

/** A finite number from a number or a numeric string (trimmed, not empty); undefined otherwise. */
export function numberValue(value: RawValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * A binary label: 1 for 1, "1", "1.0", true, "true"; 0 for 0, "0", "0.0", false, "false" (case-insensitive,
 * trimmed); undefined for anything else.
 */
export function binaryValue(value: RawValue | undefined): 0 | 1 | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true') return 1;
    if (text === 'false') return 0;
  }
  const n = numberValue(value);
  return n === 1 ? 1 : n === 0 ? 0 : undefined;
}

/**
 * A class label as text: numbers and numeric strings in JavaScript's shortest form ("1.0" and 1 -> "1"),
 * other strings trimmed, booleans "true"/"false"; undefined for null and empty strings.
 */
export function classValue(value: RawValue | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean') return String(value);
  const n = numberValue(value);
  if (n !== undefined) return String(n);
  if (typeof value === 'number') return undefined;
  const text = value.trim();
  return text === '' ? undefined : text;
}

/** Orders class labels: numerically when every label is a number, else by code unit. */
export function sortClasses(classes: Iterable<string>): string[] {
  const list = [...new Set(classes)];
  const numeric = list.every((c) => numberValue(c) !== undefined);
  return numeric
    ? list.sort((a, b) => Number(a) - Number(b))
    : list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A short rendering of a raw value for messages. */
export function describeValue(value: RawValue | undefined): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
