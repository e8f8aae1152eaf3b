import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { parseS3Uri } from '../../functions/core/config/s3-uri.js';
import { joinKey } from '../../functions/shared/s3-layout.js';
import { acknowledgeWildcards, defaultPolicyOf } from '../nag.js';

/** A prefix in a bucket, with the KMS key its objects are encrypted with (if any). */
export interface S3Location {
  /** The bucket. */
  readonly bucket: s3.IBucket;
  /** Key prefix without leading or trailing slash; `''` for the whole bucket. */
  readonly prefix: string;
  /** Customer-managed key of the objects; readers get `kms:Decrypt`, writers `kms:GenerateDataKey` too. */
  readonly encryptionKey?: kms.IKey;
}

/**
 * Locations of `s3://` URIs from the configuration, in buckets imported by name: each bucket once into `scope` (as
 * `Bucket-<name>`), however many URIs point into it. Their objects' keys are not known (no `encryptionKey`).
 */
export class ImportedLocations {
  private readonly buckets = new Map<string, s3.IBucket>();

  constructor(private readonly scope: Construct) {}

  /** The bucket and prefix of `uri` (`s3://bucket/prefix`). */
  locationOf(uri: string): S3Location {
    const { bucket, key } = parseS3Uri(uri);
    let imported = this.buckets.get(bucket);
    if (imported === undefined) {
      imported = s3.Bucket.fromBucketName(this.scope, `Bucket-${bucket}`, bucket);
      this.buckets.set(bucket, imported);
    }
    return { bucket: imported, prefix: joinKey(key) };
  }
}

/** `prefix` + `/` (or `''` for the bucket root): what an object key under `prefix` starts with. */
export function keyPrefix(...parts: string[]): string {
  const joined = joinKey(...parts);
  return joined === '' ? '' : `${joined}/`;
}

/**
 * An EventBridge pattern matching S3 `Object Created` events of `bucket` (its EventBridge notifications must be on)
 * for keys that start with `prefix`.
 */
export function objectCreatedPattern(bucket: s3.IBucket, prefix: string): events.EventPattern {
  return {
    source: ['aws.s3'],
    detailType: ['Object Created'],
    detail: {
      bucket: { name: [bucket.bucketName] },
      object: { key: [{ prefix }] },
    },
  };
}

/**
 * Allows `s3:GetObject` on the objects under `subPrefix` of `location` (and `kms:Decrypt` on its key). The object
 * ARN ends in `/*`: cdk-nag's IAM5 finding for it is acknowledged on the grantee's policy with `why`.
 */
export function grantObjectRead(
  grantee: iam.IGrantable,
  location: S3Location,
  subPrefix: string,
  why: string,
) {
  grantObjects(grantee, location, subPrefix, ['s3:GetObject'], ['kms:Decrypt'], why);
}

/**
 * Allows `s3:PutObject` on the objects under `subPrefix` of `location` (and `kms:GenerateDataKey` and
 * `kms:Decrypt`, which SSE-KMS uploads need, on its key).
 */
export function grantObjectWrite(
  grantee: iam.IGrantable,
  location: S3Location,
  subPrefix: string,
  why: string,
) {
  grantObjects(grantee, location, subPrefix, ['s3:PutObject'], ['kms:GenerateDataKey', 'kms:Decrypt'], why);
}

/**
 * Allows listing (see {@link grantListUnder}) and reading (see {@link grantObjectRead}) the objects under
 * `subPrefix` of `location`: what a reader of files whose names it does not know in advance needs.
 */
export function grantListAndRead(
  grantee: iam.IGrantable,
  location: S3Location,
  subPrefix: string,
  why: string,
): void {
  grantListUnder(grantee, location, subPrefix);
  grantObjectRead(grantee, location, subPrefix, why);
}

/**
 * Allows `s3:ListBucket` on the bucket of `location`, only for listings whose `Prefix` lies under `subPrefix`
 * (condition `s3:prefix`), so key names elsewhere in the bucket stay hidden.
 */
export function grantListUnder(grantee: iam.IGrantable, location: S3Location, subPrefix: string) {
  const prefix = keyPrefix(location.prefix, subPrefix);
  const statement = new iam.PolicyStatement({
    actions: ['s3:ListBucket'],
    resources: [location.bucket.bucketArn],
    conditions: { StringLike: { 's3:prefix': prefix === '' ? ['*'] : [prefix.slice(0, -1), `${prefix}*`] } },
  });
  grantee.grantPrincipal.addToPrincipalPolicy(statement);
}

/** Adds an Allow statement to the grantee's policy and acknowledges its wildcards there, with `why`. */
export function grant(grantee: iam.IGrantable, actions: string[], resources: string[], why: string): void {
  const statement = new iam.PolicyStatement({ actions, resources });
  grantee.grantPrincipal.addToPrincipalPolicy(statement);
  const principal = grantee.grantPrincipal;
  if (principal instanceof iam.Role) {
    acknowledgeWildcards(defaultPolicyOf(principal), statement, why);
  }
}

// The object ARN under the prefix, then the key's actions (when the objects have a customer-managed key).
function grantObjects(
  grantee: iam.IGrantable,
  location: S3Location,
  subPrefix: string,
  objectActions: string[],
  keyActions: string[],
  why: string,
): void {
  grant(
    grantee,
    objectActions,
    [location.bucket.arnForObjects(`${keyPrefix(location.prefix, subPrefix)}*`)],
    why,
  );
  if (location.encryptionKey !== undefined) {
    grant(grantee, keyActions, [location.encryptionKey.keyArn], why);
  }
}
