/** Thrown by `compileJsonPath` when a path is outside the supported subset; names the path and position. */
export class JsonPathSyntaxError extends Error {
  override readonly name = 'JsonPathSyntaxError';

  constructor(
    readonly path: string,
    /** 0-based character offset of the problem. */
    readonly position: number,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`JSON path '${path}': ${detail} at position ${position}`, options);
  }
}

/** Thrown when capture parse options are unusable (bad JSON path, duplicate names, bad limits), before reading. */
export class CaptureOptionsError extends Error {
  override readonly name = 'CaptureOptionsError';

  constructor(
    /** Dotted option name, e.g. 'input.columns'. */
    readonly option: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`capture option ${option}: ${detail}`, options);
  }
}
