/** A parsed `s3://bucket/key` location. `key` is `''` for a whole bucket. */
export interface S3Location {
  bucket: string;
  key: string;
}

/** Thrown by {@link parseS3Uri} when a string is not a well-formed `s3://bucket/key` URI. */
export class S3UriError extends Error {
  override readonly name = 'S3UriError';
  /** The string that was rejected. */
  readonly uri: string;
  /** Why it was rejected, e.g. `bucket name must be 3-63 characters long`. */
  readonly reason: string;

  constructor(uri: string, reason: string) {
    super(`invalid S3 URI ${JSON.stringify(uri)}: ${reason}`);
    this.uri = uri;
    this.reason = reason;
  }
}

const S3_SCHEME = 's3://';
const MAX_KEY_BYTES = 1024;
const IPV4_LIKE = /^\d+\.\d+\.\d+\.\d+$/;
const BUCKET_CHARS = /^[a-z0-9.-]+$/;
const ALNUM = /[a-z0-9]/;
const RESERVED_BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];

/**
 * Why `name` is not a valid S3 general-purpose bucket name, or `undefined` when it is.
 * Rules (S3 user guide, bucket naming rules): 3-63 characters of `a-z`, `0-9`, `.` and `-`; starts and ends with a
 * letter or digit; no `..`; not shaped like an IPv4 address; not starting with a reserved prefix. The reserved
 * suffixes (`-s3alias`, `--ol-s3`) are accepted on purpose: access point aliases work wherever a bucket name does.
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) {
    return `bucket name must be 3-63 characters long (got ${name.length})`;
  }
  if (!BUCKET_CHARS.test(name)) {
    return 'bucket name may only contain lowercase letters, digits, "." and "-"';
  }
  if (!ALNUM.test(name.charAt(0)) || !ALNUM.test(name.charAt(name.length - 1))) {
    return 'bucket name must start and end with a lowercase letter or digit';
  }
  if (name.includes('..')) {
    return 'bucket name must not contain two adjacent periods';
  }
  if (IPV4_LIKE.test(name)) {
    return 'bucket name must not be formatted as an IP address';
  }
  const reserved = RESERVED_BUCKET_PREFIXES.find((prefix) => name.startsWith(prefix));
  if (reserved !== undefined) {
    return `bucket name must not start with the reserved prefix "${reserved}"`;
  }
  return undefined;
}

/** Why `uri` is not a well-formed `s3://bucket[/key]` URI, or `undefined` when it is. */
export function s3UriProblem(uri: string): string | undefined {
  if (!uri.startsWith(S3_SCHEME)) {
    return 'expected a URI starting with "s3://"';
  }
  const rest = uri.slice(S3_SCHEME.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  if (bucket === '') {
    return 'the bucket name is missing';
  }
  const bucketProblem = bucketNameProblem(bucket);
  if (bucketProblem !== undefined) {
    return bucketProblem;
  }
  const key = slash === -1 ? '' : rest.slice(slash + 1);
  if (new TextEncoder().encode(key).length > MAX_KEY_BYTES) {
    return `the key must be at most ${MAX_KEY_BYTES} bytes of UTF-8`;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is rejected here
  if (/[\u0000-\u001f\u007f]/.test(key)) {
    return 'the key must not contain control characters';
  }
  return undefined;
}

/**
 * Why `uri` is not usable as a configured location, or `undefined` when it is: {@link s3UriProblem}, plus no `.` or
 * `..` key segment and no empty segment (`//`, a leading `/`; one trailing `/` is fine). S3 keys are literal, but such
 * keys read as another place to every tool that normalises paths (and `joinKey` drops empty segments), so the
 * location would not mean what containment checks and the IAM grants derived from it mean. Inputs named on the
 * command line only need {@link s3UriProblem}: an existing object may have any key.
 */
export function configuredS3UriProblem(uri: string): string | undefined {
  const problem = s3UriProblem(uri);
  if (problem !== undefined) {
    return problem;
  }
  const slash = uri.indexOf('/', S3_SCHEME.length);
  const segments = slash === -1 ? [] : uri.slice(slash + 1).split('/');
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    return 'the key must not contain "." or ".." path segments';
  }
  if (segments.slice(0, -1).some((segment) => segment === '')) {
    return 'the key must not contain empty path segments ("//" or a leading "/")';
  }
  return undefined;
}

/**
 * Splits an `s3://bucket/key` URI into bucket and key (the key is everything after the first `/` following the
 * bucket, unchanged; `''` for `s3://bucket` and `s3://bucket/`).
 * @throws S3UriError when the URI is not well formed or the bucket name is invalid.
 * @example parseS3Uri('s3://my-bucket/capture/churn') // { bucket: 'my-bucket', key: 'capture/churn' }
 */
export function parseS3Uri(uri: string): S3Location {
  const problem = s3UriProblem(uri);
  if (problem !== undefined) {
    throw new S3UriError(uri, problem);
  }
  const rest = uri.slice(S3_SCHEME.length);
  const slash = rest.indexOf('/');
  return slash === -1
    ? { bucket: rest, key: '' }
    : { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

/**
 * Whether `uri` lies inside `prefix`: same bucket, and the key equals the prefix key or continues it after a `/`
 * (path-segment semantics, so `s3://b/data` contains `s3://b/data/x` but not `s3://b/database`). Trailing slashes are
 * ignored; a prefix with an empty key contains the whole bucket.
 * @throws S3UriError when either argument is not a well-formed S3 URI.
 */
export function isS3UriWithin(uri: string, prefix: string): boolean {
  const location = parseS3Uri(uri);
  const scope = parseS3Uri(prefix);
  if (location.bucket !== scope.bucket) {
    return false;
  }
  const scopeKey = stripTrailingSlashes(scope.key);
  if (scopeKey === '') {
    return true;
  }
  const key = stripTrailingSlashes(location.key);
  return key === scopeKey || key.startsWith(`${scopeKey}/`);
}

function stripTrailingSlashes(key: string): string {
  let end = key.length;
  while (end > 0 && key.charCodeAt(end - 1) === 0x2f) {
    end -= 1;
  }
  return key.slice(0, end);
}
