import { JsonPathSyntaxError } from './errors.js';

type Segment = { kind: 'name'; name: string } | { kind: 'index'; index: number } | { kind: 'wildcard' };

const NAME_CHAR = /[A-Za-z0-9_-]/;
const INDEX = /^(?:0|[1-9][0-9]*)$/;

/**
 * Compiles a restricted JSONPath into a function returning the matched values in document order.
 *
 * Supported: `$` (the root, required first), `.name` (letters, digits, `_`, `-`), `['name']` / `["name"]`
 * (backslash escapes the quote or a backslash), `[n]` (a non-negative array index) and `[*]` (every element of
 * an array or every member value of an object). A name step matches own members of objects only; an index
 * step matches arrays only; steps that match nothing drop the branch, so a missing key yields `[]`, while a
 * JSON `null` member yields `[null]`. Anything else (`..`, `.*`, filters, slices, unions, negative indices,
 * whitespace) throws a JsonPathSyntaxError naming the path and position.
 *
 * Hand-written on purpose: it runs per record on the hot path of capture parsing, and a general JSONPath
 * library (which re-interprets the expression and supports scripts) is far slower per call.
 * @example compileJsonPath('$.instances[*].age')({ instances: [{ age: 31 }, { age: 40 }] }) // [31, 40]
 */
export function compileJsonPath(path: string): (doc: unknown) => unknown[] {
  const segments = parseSegments(path);
  if (!segments.some((s) => s.kind === 'wildcard')) {
    // At most one match: walk a single node without intermediate arrays.
    return (doc) => {
      let node: unknown = doc;
      for (const segment of segments) {
        if (segment.kind === 'name') {
          if (!isObject(node) || !Object.hasOwn(node, segment.name)) return [];
          node = node[segment.name];
        } else if (segment.kind === 'index') {
          if (!Array.isArray(node) || segment.index >= node.length) return [];
          node = node[segment.index];
        }
      }
      return [node];
    };
  }
  return (doc) => {
    let nodes: unknown[] = [doc];
    for (const segment of segments) {
      const next: unknown[] = [];
      for (const node of nodes) {
        if (segment.kind === 'name') {
          if (isObject(node) && Object.hasOwn(node, segment.name)) next.push(node[segment.name]);
        } else if (segment.kind === 'index') {
          if (Array.isArray(node) && segment.index < node.length) next.push(node[segment.index]);
        } else if (Array.isArray(node)) {
          for (const element of node) next.push(element);
        } else if (isObject(node)) {
          for (const key in node) next.push(node[key]);
        }
      }
      nodes = next;
    }
    return nodes;
  };
}

function isObject(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

function parseSegments(path: string): Segment[] {
  if (path[0] !== '$') throw new JsonPathSyntaxError(path, 0, "expected '$'");
  const segments: Segment[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      const start = i + 1;
      let end = start;
      while (end < path.length && NAME_CHAR.test(path.charAt(end))) end++;
      if (end === start) {
        const found = path[start];
        throw new JsonPathSyntaxError(
          path,
          start,
          found === undefined
            ? "expected a name after '.'"
            : `expected a name after '.', found '${found}' (supported: .name, ['name'], [n], [*])`,
        );
      }
      segments.push({ kind: 'name', name: path.slice(start, end) });
      i = end;
    } else if (c === '[') {
      i = parseBracket(path, i + 1, segments);
    } else {
      throw new JsonPathSyntaxError(path, i, `expected '.' or '[', found '${c}'`);
    }
  }
  return segments;
}

/** Parses the inside of `[...]` starting after the `[`; returns the index after the `]`. */
function parseBracket(path: string, start: number, segments: Segment[]): number {
  const c = path[start];
  if (c === '*') {
    segments.push({ kind: 'wildcard' });
    return expectClose(path, start + 1);
  }
  if (c === "'" || c === '"') {
    let name = '';
    let i = start + 1;
    while (i < path.length && path[i] !== c) {
      if (path[i] === '\\') {
        const escaped = path[i + 1];
        if (escaped !== c && escaped !== '\\') {
          throw new JsonPathSyntaxError(path, i, `expected \\${c} or \\\\ after a backslash`);
        }
        name += escaped;
        i += 2;
      } else {
        name += path[i];
        i++;
      }
    }
    if (i >= path.length) throw new JsonPathSyntaxError(path, start, `unterminated quoted name`);
    segments.push({ kind: 'name', name });
    return expectClose(path, i + 1);
  }
  const close = path.indexOf(']', start);
  const text = close === -1 ? path.slice(start) : path.slice(start, close);
  if (close === -1 || !INDEX.test(text)) {
    throw new JsonPathSyntaxError(
      path,
      start,
      `expected a non-negative index, '*' or a quoted name inside [], found '${text}'`,
    );
  }
  segments.push({ kind: 'index', index: Number(text) });
  return close + 1;
}

function expectClose(path: string, i: number): number {
  if (path[i] !== ']') {
    const found = path[i];
    throw new JsonPathSyntaxError(
      path,
      i,
      found === undefined ? "expected ']'" : `expected ']', found '${found}'`,
    );
  }
  return i + 1;
}
