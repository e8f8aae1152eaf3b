import { describe, expect, it } from 'vitest';
import { canonicalJson, hashJson, sha256Hex } from '../../../functions/core/audit/canonical-json.js';
import { AuditFormatError } from '../../../functions/core/audit/errors.js';
import { auditReference } from './support.js';

const reference = auditReference();

describe('canonicalJson', () => {
  // Expected texts and hashes: scripts/reference/audit-chain.py (independent RFC 8785 implementation + hashlib).
  // The first two cases are the examples of RFC 8785 sections 3.2.2 (primitives) and 3.2.3 (property sorting).
  it.each(reference.canonical)('computes the RFC 8785 form of $name', ({ json, canonical, sha256 }) => {
    // Given the same JSON text the reference parsed
    const value: unknown = JSON.parse(json);
    // When it is canonicalised and hashed
    const text = canonicalJson(value);
    // Then text and hash equal the reference
    expect(text).toBe(canonical);
    expect(hashJson(value)).toBe(sha256);
  });

  it('computes the same text for the same members in any order, and drops undefined properties', () => {
    // Given two objects with the same members in different orders, one with an undefined property
    const a = { z: 1, a: { c: [1, 2], b: 'x' } };
    const b = { a: { b: 'x', c: [1, 2], d: undefined }, z: 1 };
    // When both are canonicalised / Then the texts are equal
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(b)).toBe('{"a":{"b":"x","c":[1,2]},"z":1}');
  });

  it.each([
    ['NaN', { a: Number.NaN }, '$.a: expected a finite number'],
    ['Infinity', [1, Number.POSITIVE_INFINITY], '$[1]: expected a finite number'],
    ['a lone surrogate', { s: 'a\uD800b' }, '$.s: expected well-formed Unicode text'],
    ['an undefined array item', [1, undefined], '$[1]: expected a JSON value, got undefined'],
    ['a Date', { when: new Date(0) }, '$.when: expected a JSON value'],
    ['a Map', new Map(), '$: expected a JSON value'],
    ['a bigint', { n: 1n }, '$.n: expected a JSON value'],
  ])('throws when the value holds %s', (_what, value, message) => {
    // Given a value that is not I-JSON / When canonicalised / Then a typed error names the path
    expect(() => canonicalJson(value)).toThrow(AuditFormatError);
    expect(() => canonicalJson(value)).toThrow(message);
  });
});

describe('sha256Hex', () => {
  it('computes the FIPS 180-2 example digests', () => {
    // Given the messages of FIPS 180-2 Appendix B.1 and the empty string (published digests)
    // When hashed / Then the digests are the published ones
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
