import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { joinKey, PROFILES_PREFIX, REPORTS_PREFIX } from '../../functions/shared/s3-layout.js';
import { grantListAndRead, grantObjectWrite, type S3Location } from './s3-location.js';
import { existingOrSecureBucket, type SecureBucket, type SecureBucketProps } from './secure-bucket.js';

/** Properties of a {@link ReportsStore}. */
export interface ReportsStoreProps {
  /**
   * An existing bucket for profiles and reports. Give this or `bucketProps`, not both.
   * @default - a new bucket built from `bucketProps`
   */
  readonly existingBucket?: s3.IBucket;
  /**
   * KMS key of the objects in `existingBucket`; writers get `kms:GenerateDataKey`, readers `kms:Decrypt`.
   * @default - objects are written with the bucket's default encryption and need no key permission
   */
  readonly existingBucketKey?: kms.IKey;
  /**
   * Settings of the bucket created when `existingBucket` is not given.
   * @default - a {@link SecureBucket} with its defaults
   */
  readonly bucketProps?: SecureBucketProps;
  /**
   * Key prefix under which `profiles/` and `reports/` are written.
   * @default '' (the bucket root)
   */
  readonly prefix?: string;
}

/** A place for profiles and window results (implemented by {@link ReportsStore}). */
export interface IReportsStore extends S3Location {
  /** Allows writing (overwriting) one endpoint's profiles. */
  grantProfileWrite(grantee: iam.IGrantable, endpointName: string): void;
  /** Allows listing and reading one endpoint's profiles. */
  grantProfileRead(grantee: iam.IGrantable, endpointName: string): void;
  /** Allows writing one endpoint's window results. */
  grantReportWrite(grantee: iam.IGrantable, endpointName: string): void;
}

/**
 * Where driftwatch keeps per-object profiles (`<prefix>/profiles/<endpoint>/...`) and window results
 * (`<prefix>/reports/<endpoint>/...`, Model Monitor's layout). Grants are scoped to one endpoint's keys.
 */
export class ReportsStore extends Construct implements IReportsStore {
  /** The bucket. */
  readonly bucket: s3.IBucket;
  /** The prefix, without slashes at either end (`''` for the bucket root). */
  readonly prefix: string;
  /** Key of the objects, when known. */
  readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: ReportsStoreProps = {}) {
    super(scope, id);
    const { bucket, encryptionKey } = existingOrSecureBucket(this, props);
    this.bucket = bucket;
    this.encryptionKey = encryptionKey;
    this.prefix = joinKey(props.prefix ?? '');
  }

  /** Allows writing (overwriting) one endpoint's profiles. */
  grantProfileWrite(grantee: iam.IGrantable, endpointName: string): void {
    grantObjectWrite(
      grantee,
      this,
      joinKey(PROFILES_PREFIX, endpointName),
      `Writes profiles of endpoint ${endpointName} only, under keys derived from capture object names.`,
    );
  }

  /** Allows listing and reading one endpoint's profiles. */
  grantProfileRead(grantee: iam.IGrantable, endpointName: string): void {
    grantListAndRead(
      grantee,
      this,
      joinKey(PROFILES_PREFIX, endpointName),
      `Reads profiles of endpoint ${endpointName} only, under keys derived from capture object names.`,
    );
  }

  /** Allows writing one endpoint's window results (statistics.json, constraint_violations.json, drift-report.json). */
  grantReportWrite(grantee: iam.IGrantable, endpointName: string): void {
    grantObjectWrite(
      grantee,
      this,
      joinKey(REPORTS_PREFIX, endpointName),
      `Writes window results of endpoint ${endpointName} only, under one prefix per schedule and hour.`,
    );
  }
}
