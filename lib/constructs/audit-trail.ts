import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AUDIT_PREFIX } from '../../functions/shared/env.js';
import { joinKey } from '../../functions/shared/s3-layout.js';
import { grantListAndRead, grantObjectWrite, type S3Location } from './s3-location.js';

/** S3 Object Lock settings of the audit bucket. */
export interface AuditObjectLock {
  /** GOVERNANCE: users with s3:BypassGovernanceRetention can shorten it; COMPLIANCE: nobody can. */
  readonly mode: 'GOVERNANCE' | 'COMPLIANCE';
  /** Default retention of each record. */
  readonly retention: Duration;
}

/** Properties of an {@link AuditTrailStore}. */
export interface AuditTrailStoreProps {
  /**
   * An existing bucket for the records (configure Object Lock on it yourself). Give this or `objectLock`, not both.
   * @default - a new bucket (versioned, KMS-encrypted, TLS-only, access-logged)
   */
  readonly existingBucket?: s3.IBucket;
  /**
   * Key prefix of the records (`<prefix>/<endpoint>/<sequence>.json`).
   * @default 'audit'
   */
  readonly prefix?: string;
  /**
   * Object Lock default retention on the created bucket (Object Lock can only be turned on when a bucket is created).
   * @default - no Object Lock (records are still never overwritten: each is created with If-None-Match)
   */
  readonly objectLock?: AuditObjectLock;
  /**
   * Key of the created bucket.
   * @default - a new KMS key with yearly rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Bucket for the created bucket's server access logs.
   * @default - required when the bucket is created; pass the stack's access-log bucket
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
}

/**
 * Where the audit trail lives: one folder per endpoint of immutable, hash-chained JSON records. The created bucket
 * has S3 Object Lock (by configuration), versioning, KMS encryption, TLS only, no public access and no lifecycle
 * rule that could delete records. Writers get PutObject and reads on one endpoint's folder, never DeleteObject.
 */
export class AuditTrailStore extends Construct implements S3Location {
  /** The bucket. */
  readonly bucket: s3.IBucket;
  /** Key prefix of the trail, without slashes at either end. */
  readonly prefix: string;
  /** Key of the objects, when known. */
  readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: AuditTrailStoreProps = {}) {
    super(scope, id);
    if (props.existingBucket !== undefined && props.objectLock !== undefined) {
      throw new Error(
        `${this.node.path}: got both existingBucket and objectLock; Object Lock can only be set on a bucket this ` +
          'construct creates (turn it on for your own bucket yourself), so pass one of them',
      );
    }
    this.prefix = joinKey(props.prefix ?? AUDIT_PREFIX);
    if (props.existingBucket !== undefined) {
      this.bucket = props.existingBucket;
      return;
    }
    if (props.serverAccessLogsBucket === undefined) {
      throw new Error(
        `${this.node.path}: serverAccessLogsBucket is required when the audit bucket is created`,
      );
    }
    const key =
      props.encryptionKey ??
      new kms.Key(this, 'Key', {
        enableKeyRotation: true,
        description: `Encrypts the audit trail ${this.node.path}`,
      });
    const lock = props.objectLock;
    this.encryptionKey = key;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: `${this.node.path}/`,
      objectLockEnabled: lock !== undefined,
      ...(lock !== undefined
        ? {
            objectLockDefaultRetention:
              lock.mode === 'COMPLIANCE'
                ? s3.ObjectLockRetention.compliance(lock.retention)
                : s3.ObjectLockRetention.governance(lock.retention),
          }
        : {}),
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** The folder of one endpoint's chain (`<prefix>/<endpoint>`). */
  folderOf(endpointName: string): string {
    return joinKey(this.prefix, endpointName);
  }

  /** Allows appending to (and reading) one endpoint's chain: list and get its folder, put new records. */
  grantAppend(grantee: iam.IGrantable, endpointName: string): void {
    this.grantRead(grantee, endpointName);
    grantObjectWrite(
      grantee,
      this,
      endpointName,
      `Appends audit records of endpoint ${endpointName} only (one object per record, created with If-None-Match).`,
    );
  }

  /** Allows listing and reading one endpoint's chain (what `driftwatch audit` needs). */
  grantRead(grantee: iam.IGrantable, endpointName: string): void {
    grantListAndRead(grantee, this, endpointName, `Reads audit records of endpoint ${endpointName} only.`);
  }
}
