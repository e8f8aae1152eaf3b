import { createHash } from 'node:crypto';
import { AuditFormatError } from './errors.js';

// RFC 8785 (JSON Canonicalization Scheme): the serialisation every audit hash is computed over, so that a record
// re-serialised by another tool (Python, jq, a browser) hashes the same.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function serialise(value: unknown, path: string, out: string[]): void {
  if (value === null || typeof value === 'boolean') {
    out.push(String(value));
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new AuditFormatError(
        `${path}: expected a finite number (JSON has no NaN or Infinity), got ${value}`,
      );
    }
    // ECMAScript Number-to-String is JCS's number format; JSON.stringify applies it (and writes -0 as 0).
    out.push(JSON.stringify(value));
    return;
  }
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) {
      throw new AuditFormatError(`${path}: expected well-formed Unicode text, got a lone surrogate`);
    }
    // JSON.stringify escapes exactly what JCS escapes: quote, backslash, and controls (\b \f \n \r \t or \u00xx).
    out.push(JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, index) => {
      if (index > 0) out.push(',');
      if (item === undefined) {
        throw new AuditFormatError(`${path}[${index}]: expected a JSON value, got undefined`);
      }
      serialise(item, `${path}[${index}]`, out);
    });
    out.push(']');
    return;
  }
  if (typeof value === 'object' && isPlainObject(value)) {
    // Properties whose value is undefined are left out, as JSON.stringify does, so a value hashes the same
    // before and after a JSON round trip. The default sort compares UTF-16 code units, which is JCS's order.
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort();
    out.push('{');
    keys.forEach((key, index) => {
      if (index > 0) out.push(',');
      serialise(key, `${path}.${key} (name)`, out);
      out.push(':');
      serialise(value[key], `${path}.${key}`, out);
    });
    out.push('}');
    return;
  }
  const kind = typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
  throw new AuditFormatError(
    `${path}: expected a JSON value (null, boolean, number, string, array, object), got ${kind}`,
  );
}

/**
 * The RFC 8785 canonical JSON text of `value`: no whitespace, object properties sorted by their UTF-16 code
 * units, numbers in ECMAScript's shortest round-trip form, strings with JSON's minimal escaping.
 * @throws AuditFormatError (naming the path) for NaN, Infinity, lone surrogates, undefined array items, or values
 * that are not JSON (functions, Dates, Maps, class instances)
 * @example canonicalJson({ b: 1, a: [true, 'x'] }) === '{"a":[true,"x"],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  serialise(value, '$', out);
  return out.join('');
}

/** Lower-case hexadecimal SHA-256 (FIPS 180-4) of the UTF-8 bytes of `text`. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** SHA-256 of the canonical JSON of `value`: the hash of an audit input or record. */
export function hashJson(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
