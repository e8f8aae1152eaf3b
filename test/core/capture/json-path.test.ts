import { describe, expect, it } from 'vitest';
import { JsonPathSyntaxError } from '../../../functions/core/capture/errors.js';
import { compileJsonPath } from '../../../functions/core/capture/json-path.js';

// Expected values follow the JSONPath semantics of RFC 9535 (name, index and wildcard selectors) for this subset.
const DOC = {
  instances: [{ age: 31, city: 'Oslo', tags: ['a', 'b'] }, { age: 40, city: null }, { city: 'Rome' }],
  'odd key': { "it's": 1, 'back\\slash': 2 },
  predictions: [0.1, 0.9],
  nested: [
    [1, 2],
    [3, 4],
  ],
};

describe('compileJsonPath', () => {
  it.each([
    ['$', [DOC]],
    ['$.predictions', [[0.1, 0.9]]],
    ['$.predictions[1]', [0.9]],
    ['$.predictions[2]', []],
    ['$.instances[*].age', [31, 40]],
    ['$.instances[*].city', ['Oslo', null, 'Rome']],
    ['$.instances[0].tags[*]', ['a', 'b']],
    ['$.nested[*][1]', [2, 4]],
    ['$.nested[*][*]', [1, 2, 3, 4]],
    ["$['odd key']['it\\'s']", [1]],
    ['$["odd key"]["back\\\\slash"]', [2]],
    ["$['odd key'][*]", [1, 2]],
    ['$.missing', []],
    ['$.missing[*].x', []],
    ['$.predictions.length', []],
    ['$.instances.0', []],
    ['$.instances[0].constructor', []],
    ['$.instances[*].tags[5]', []],
  ])('computes %s', (path, expected) => {
    // Given a compiled path
    const evaluate = compileJsonPath(path);

    // When it is evaluated on the document
    const result = evaluate(DOC);

    // Then it yields the matches in document order
    expect(result).toEqual(expected);
  });

  it('computes matches of scalars and arrays as roots', () => {
    // Given paths evaluated on non-object documents
    // When / Then index and wildcard steps apply to arrays only, name steps to objects only
    expect(compileJsonPath('$[0]')([7, 8])).toEqual([7]);
    expect(compileJsonPath('$[*]')('text')).toEqual([]);
    expect(compileJsonPath('$.a')([1])).toEqual([]);
    expect(compileJsonPath('$')(null)).toEqual([null]);
  });

  it.each([
    ['', 0, "expected '$'"],
    ['instances', 0, "expected '$'"],
    ['$..age', 2, "expected a name after '.', found '.'"],
    ['$.*', 2, "found '*'"],
    ['$.', 2, "expected a name after '.'"],
    ['$[-1]', 2, 'non-negative index'],
    ['$[1:2]', 2, 'non-negative index'],
    ['$[0,1]', 2, 'non-negative index'],
    ['$[?(@.a)]', 2, 'non-negative index'],
    ['$[01]', 2, 'non-negative index'],
    ['$[1', 2, 'non-negative index'],
    ["$['a", 2, 'unterminated quoted name'],
    ["$['a'", 5, "expected ']'"],
    ["$['a'x]", 5, "expected ']', found 'x'"],
    ['$[*', 3, "expected ']'"],
    ["$['a\\b']", 4, 'after a backslash'],
    ['$ .a', 1, "expected '.' or '[', found ' '"],
    ['$a', 1, "expected '.' or '[', found 'a'"],
  ])('throws when the path is %j', (path, position, detail) => {
    // Given a path outside the supported subset
    // When it is compiled
    const compile = () => compileJsonPath(path);

    // Then a JsonPathSyntaxError names the path and the position
    expect(compile).toThrow(JsonPathSyntaxError);
    expect(compile).toThrow(`JSON path '${path}'`);
    expect(compile).toThrow(`at position ${position}`);
    expect(compile).toThrow(detail);
  });

  it('throws an error carrying the path and position as fields', () => {
    // Given an unsupported recursive-descent path
    // When it is compiled
    let caught: unknown;
    try {
      compileJsonPath('$.a..b');
    } catch (error) {
      caught = error;
    }

    // Then the typed error exposes them for callers
    expect(caught).toBeInstanceOf(JsonPathSyntaxError);
    expect(caught).toMatchObject({ name: 'JsonPathSyntaxError', path: '$.a..b', position: 4 });
  });
});
