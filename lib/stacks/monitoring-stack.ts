import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { type MonitorConfig, parseS3Uri } from '../../functions/core/config/index.js';
import { EndpointMonitor } from '../constructs/endpoint-monitor.js';
import { NotificationTopic } from '../constructs/monitoring-alarms.js';
import { type IReportsStore, ReportsStore } from '../constructs/reports-store.js';
import { createAccessLogsBucket, SecureBucket } from '../constructs/secure-bucket.js';

/** Properties of a {@link MonitoringStack}. */
export interface MonitoringStackProps extends StackProps {
  /** The validated monitor configuration. */
  readonly config: MonitorConfig;
  /** The file it was read from; copied next to each bundled handler. */
  readonly configFile: string;
}

interface KnownBucket {
  bucket: s3.IBucket;
  key?: kms.IKey;
  keyArn?: string;
  created: boolean;
}

/**
 * The deployed monitoring pipeline for every endpoint of a monitor configuration: one {@link EndpointMonitor} per
 * endpoint, plus what they share (a KMS key, the alarm topic, the access-log bucket, the reports bucket and the
 * capture buckets, each created or imported once).
 */
export class MonitoringStack extends Stack {
  /** The per-endpoint monitors, by endpoint name. */
  readonly endpoints: ReadonlyMap<string, EndpointMonitor>;
  /** The topic every alarm notifies. */
  readonly topic: sns.ITopic;
  /** The key of the queues, topic and buckets this stack creates. */
  readonly encryptionKey: kms.Key;

  private readonly buckets = new Map<string, KnownBucket>();
  private accessLogs?: s3.IBucket;
  private sharedReports?: ReportsStore;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.encryptionKey = new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      description: 'driftwatch: encrypts the monitoring queues, topic and buckets',
    });
    const notifications = config.notifications;
    this.topic =
      notifications.existingTopicArn !== undefined
        ? sns.Topic.fromTopicArn(this, 'ExistingTopic', notifications.existingTopicArn)
        : new NotificationTopic(this, 'Notifications', {
            emails: notifications.emails,
            httpsUrls: notifications.httpsEndpoints,
            encryptionKey: this.encryptionKey,
          }).topic;
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.topic.topicArn,
      description: 'SNS topic of every alarm',
    });

    const endpoints = new Map<string, EndpointMonitor>();
    for (const endpoint of config.endpoints) {
      const capture = parseS3Uri(endpoint.capture.s3Uri);
      const captureBucket = this.captureBucket(
        capture.bucket,
        endpoint.capture.existingBucket,
        endpoint.capture.kmsKeyArn,
      );
      const baseline = parseS3Uri(endpoint.baseline.s3Uri);
      const baselineBucket = this.knownBucket(baseline.bucket);
      const reportsUri = endpoint.reports.s3Uri;
      let reports: IReportsStore;
      if (reportsUri === undefined) {
        reports = this.defaultReports();
      } else {
        const location = parseS3Uri(reportsUri);
        const known = this.knownBucket(location.bucket);
        reports = new ReportsStore(this, `Reports-${endpoint.name}`, {
          existingBucket: known.bucket,
          existingBucketKey: known.key,
          prefix: location.key,
        });
      }
      const groundTruth =
        endpoint.groundTruth === undefined
          ? undefined
          : this.knownBucket(parseS3Uri(endpoint.groundTruth.s3Uri).bucket);
      const monitor = new EndpointMonitor(this, endpoint.name, {
        endpoint,
        configFile: props.configFile,
        captureBucket: captureBucket.bucket,
        captureKey: captureBucket.key,
        baseline: { bucket: baselineBucket.bucket, prefix: baseline.key, encryptionKey: baselineBucket.key },
        reports,
        topic: this.topic,
        encryptionKey: this.encryptionKey,
        groundTruthBucket: groundTruth?.bucket,
        groundTruthKey:
          endpoint.groundTruth?.kmsKeyArn !== undefined
            ? kms.Key.fromKeyArn(this, `GroundTruthKey-${endpoint.name}`, endpoint.groundTruth.kmsKeyArn)
            : groundTruth?.key,
      });
      endpoints.set(endpoint.name, monitor);
      const outputId = endpoint.name.replace(/[^A-Za-z0-9]/g, '');
      new CfnOutput(this, `BackfillStateMachineArn${outputId}`, {
        value: monitor.backfill.stateMachine.stateMachineArn,
        description: `Backfill state machine of endpoint ${endpoint.name}`,
      });
      new CfnOutput(this, `DashboardName${outputId}`, {
        value: monitor.dashboard.dashboard.dashboardName,
        description: `CloudWatch dashboard of endpoint ${endpoint.name}`,
      });
    }
    this.endpoints = endpoints;
  }

  // One construct per capture bucket, so endpoints sharing a bucket share its notifications (and a created bucket
  // is created once).
  private captureBucket(name: string, existing: boolean, kmsKeyArn: string | undefined): KnownBucket {
    const known = this.buckets.get(name);
    if (known !== undefined) {
      if (known.created === existing) {
        throw new Error(
          `${this.node.path}: capture bucket ${name} is configured with capture.existingBucket ${!existing} by one ` +
            `endpoint and ${existing} by another; set the same value for every endpoint that captures into it`,
        );
      }
      if (known.keyArn !== kmsKeyArn) {
        throw new Error(
          `${this.node.path}: capture bucket ${name} is configured with different capture.kmsKeyArn values ` +
            `(${known.keyArn ?? 'none'} and ${kmsKeyArn ?? 'none'}); endpoints sharing a bucket must share its key`,
        );
      }
      return known;
    }
    const key =
      kmsKeyArn === undefined ? undefined : kms.Key.fromKeyArn(this, `CaptureKey-${name}`, kmsKeyArn);
    let entry: KnownBucket;
    if (existing) {
      entry = {
        bucket: s3.Bucket.fromBucketName(this, `Bucket-${name}`, name),
        key,
        keyArn: kmsKeyArn,
        created: false,
      };
    } else {
      const created = new SecureBucket(this, `CaptureBucket-${name}`, {
        bucketName: name,
        encryptionKey: key ?? this.encryptionKey,
        serverAccessLogsBucket: this.accessLogsBucket(),
      });
      entry = { bucket: created.bucket, key: created.encryptionKey, keyArn: kmsKeyArn, created: true };
    }
    this.buckets.set(name, entry);
    return entry;
  }

  private knownBucket(name: string): KnownBucket {
    const known = this.buckets.get(name);
    if (known !== undefined) {
      return known;
    }
    const entry = { bucket: s3.Bucket.fromBucketName(this, `Bucket-${name}`, name), created: false };
    this.buckets.set(name, entry);
    return entry;
  }

  private defaultReports(): ReportsStore {
    this.sharedReports ??= new ReportsStore(this, 'Reports', {
      bucketProps: { encryptionKey: this.encryptionKey, serverAccessLogsBucket: this.accessLogsBucket() },
    });
    return this.sharedReports;
  }

  // Created only when a bucket of this stack logs to it.
  private accessLogsBucket(): s3.IBucket {
    this.accessLogs ??= createAccessLogsBucket(this, 'AccessLogs');
    return this.accessLogs;
  }
}
