import { describe, expect, it } from 'vitest';
import {
  bucketNameProblem,
  isS3UriWithin,
  parseS3Uri,
  S3UriError,
  s3UriProblem,
} from '../../../functions/core/config/s3-uri.js';

// Bucket naming rules: Amazon S3 User Guide, "General purpose bucket naming rules".

describe('parseS3Uri', () => {
  it.each([
    ['s3://my-bucket/capture/churn', { bucket: 'my-bucket', key: 'capture/churn' }],
    ['s3://my-bucket', { bucket: 'my-bucket', key: '' }],
    ['s3://my-bucket/', { bucket: 'my-bucket', key: '' }],
    ['s3://my.bucket.v2/a/b/', { bucket: 'my.bucket.v2', key: 'a/b/' }],
    ['s3://abc/key with spaces/ü.json', { bucket: 'abc', key: 'key with spaces/ü.json' }],
    ['s3://abc//double', { bucket: 'abc', key: '/double' }],
  ])('computes bucket and key of %s', (uri, expected) => {
    // Given a well-formed URI
    // When it is parsed
    const location = parseS3Uri(uri);
    // Then bucket and key are split at the first slash after the bucket
    expect(location).toEqual(expected);
  });

  it.each([
    ['https://my-bucket.s3.amazonaws.com/x', 'expected a URI starting with "s3://"'],
    ['S3://my-bucket/x', 'expected a URI starting with "s3://"'],
    ['s3a://my-bucket/x', 'expected a URI starting with "s3://"'],
    ['s3:///key', 'the bucket name is missing'],
    ['s3://ab/x', 'bucket name must be 3-63 characters long (got 2)'],
    [`s3://${'a'.repeat(64)}/x`, 'bucket name must be 3-63 characters long (got 64)'],
    ['s3://My-Bucket/x', 'bucket name may only contain lowercase letters, digits, "." and "-"'],
    ['s3://my_bucket/x', 'bucket name may only contain lowercase letters, digits, "." and "-"'],
    ['s3://-bucket/x', 'bucket name must start and end with a lowercase letter or digit'],
    ['s3://bucket-/x', 'bucket name must start and end with a lowercase letter or digit'],
    ['s3://my..bucket/x', 'bucket name must not contain two adjacent periods'],
    ['s3://192.168.5.4/x', 'bucket name must not be formatted as an IP address'],
    ['s3://xn--bucket/x', 'bucket name must not start with the reserved prefix "xn--"'],
    ['s3://sthree-bucket/x', 'bucket name must not start with the reserved prefix "sthree-"'],
    [`s3://abc/${'k'.repeat(1025)}`, 'the key must be at most 1024 bytes of UTF-8'],
    [`s3://abc/${'é'.repeat(513)}`, 'the key must be at most 1024 bytes of UTF-8'],
    ['s3://abc/line\nbreak', 'the key must not contain control characters'],
  ])('throws when the URI is %j', (uri, reason) => {
    // Given a malformed URI
    // When it is parsed
    const parse = () => parseS3Uri(uri);
    // Then an S3UriError names the URI and the reason
    expect(parse).toThrow(S3UriError);
    expect(parse).toThrow(`invalid S3 URI ${JSON.stringify(uri)}: ${reason}`);
    expect(s3UriProblem(uri)).toBe(reason);
  });

  it('computes the error name and fields of S3UriError', () => {
    // Given a malformed URI
    // When parsing throws
    let caught: unknown;
    try {
      parseS3Uri('s3://A/x');
    } catch (error) {
      caught = error;
    }
    // Then the typed error carries the name, the URI and the reason
    expect(caught).toBeInstanceOf(S3UriError);
    expect(caught).toMatchObject({ name: 'S3UriError', uri: 's3://A/x' });
  });
});

describe('bucketNameProblem', () => {
  it.each(['abc', 'a'.repeat(63), 'my-bucket.logs', '123bucket', 'access-point-alias-s3alias', 'b1.2.3'])(
    'computes no problem for the valid name %s',
    (name) => {
      // Given a valid bucket name (access point aliases are accepted on purpose)
      // When it is checked
      // Then there is no problem
      expect(bucketNameProblem(name)).toBeUndefined();
    },
  );
});

describe('isS3UriWithin', () => {
  it.each([
    ['s3://b-1/data/x.json', 's3://b-1/data', true],
    ['s3://b-1/data', 's3://b-1/data', true],
    ['s3://b-1/data/', 's3://b-1/data', true],
    ['s3://b-1/data', 's3://b-1/data/', true],
    ['s3://b-1/database/x', 's3://b-1/data', false],
    ['s3://b-1/x', 's3://b-1', true],
    ['s3://b-1/x', 's3://b-1/', true],
    ['s3://b-2/data/x', 's3://b-1/data', false],
    ['s3://b-1/dat', 's3://b-1/data', false],
    ['s3://b-1/a/b/c', 's3://b-1/a/b', true],
  ])('computes whether %s lies within %s', (uri, prefix, expected) => {
    // Given a location and a prefix
    // When containment is checked
    // Then it follows path-segment semantics
    expect(isS3UriWithin(uri, prefix)).toBe(expected);
  });

  it('throws when either argument is malformed', () => {
    // Given a malformed prefix and a malformed location
    // When containment is checked
    // Then the parse error propagates
    expect(() => isS3UriWithin('s3://b-1/x', 'b-1/x')).toThrow(S3UriError);
    expect(() => isS3UriWithin('b-1/x', 's3://b-1')).toThrow(S3UriError);
  });
});
