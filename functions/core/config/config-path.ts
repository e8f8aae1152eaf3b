/** One step of a path into a configuration document: an object key or an array index. */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Formats a path the way users write it: `endpoints[0].features[2].drift.threshold`. Keys that are not identifiers
 * are quoted (`payload.input.paths["account length"]`); the empty path is `(root)`.
 */
export function formatConfigPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      out += `[${segment}]`;
    } else if (IDENTIFIER.test(segment)) {
      out += out === '' ? segment : `.${segment}`;
    } else {
      out += `[${JSON.stringify(segment)}]`;
    }
  }
  return out === '' ? '(root)' : out;
}
