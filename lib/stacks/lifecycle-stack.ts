import { resolve } from 'node:path';
import { type App, CfnOutput, Duration, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { EndpointConfig, MonitorConfig } from '../../functions/core/config/index.js';
import { joinKey } from '../../functions/shared/s3-layout.js';
import { AuditTrailStore } from '../constructs/audit-trail.js';
import { createDeadLetterQueue } from '../constructs/dead-letter-queue.js';
import { DeploymentWorkflow } from '../constructs/deployment-workflow.js';
import { RetrainingWorkflow } from '../constructs/retraining-workflow.js';
import { grant, grantListAndRead, ImportedLocations, type S3Location } from '../constructs/s3-location.js';
import { createAccessLogsBucket, SecureBucket } from '../constructs/secure-bucket.js';
import { sameAccountServicePrincipal } from '../constructs/service-principal.js';
import type { MonitoringApp } from '../monitoring-app.js';
import { workflowFunction } from '../workflows/functions.js';
import type { MonitoringStack } from './monitoring-stack.js';

/** An endpoint name as it may appear in an output ID (letters and digits). */
function outputId(endpointName: string): string {
  return endpointName.replace(/[^A-Za-z0-9]/g, '');
}

/** What the lifecycle workflows of one endpoint take from its monitoring. */
export interface EndpointSignals {
  /** The composite alarm whose ALARM state starts retraining. */
  readonly retrainAlarm?: cloudwatch.IAlarm;
  /** Endpoint health alarms (p99 latency, 5xx) that roll a deployment back. */
  readonly healthAlarms: readonly cloudwatch.IAlarm[];
  /**
   * Per variant, the low-latency drift signal of each capture object (`ObjectDriftedFeatureShare`, Maximum); the
   * stack alarms on it during deployments, so drift in the new fleet's captures rolls the shift back.
   */
  readonly captureDriftMetrics: readonly cloudwatch.IMetric[];
}

/** Properties of a {@link LifecycleStack}. */
export interface LifecycleStackProps extends StackProps {
  /** The validated monitor configuration. */
  readonly config: MonitorConfig;
  /** The file it was read from; copied next to each bundled handler. */
  readonly configFile: string;
  /** Where the workflows announce verdicts, registrations, deployments and failures. */
  readonly topic: sns.ITopic;
  /**
   * Per endpoint name, its monitoring signals.
   * @default - none: retraining starts by schedule or by hand only, deployments roll back on configured alarm names only
   */
  readonly signals?: ReadonlyMap<string, EndpointSignals>;
}

/** The monitoring stack's signals for the lifecycle stack: retrain alarm, health alarms, capture drift metrics. */
export function signalsOf(monitoring: MonitoringStack): Map<string, EndpointSignals> {
  const signals = new Map<string, EndpointSignals>();
  for (const [name, monitor] of monitoring.endpoints) {
    const variants = [...monitor.alarms.healthAlarms.keys()];
    const healthAlarms = [...monitor.alarms.healthAlarms.values()].flat();
    signals.set(name, {
      ...(monitor.alarms.retrainAlarm !== undefined ? { retrainAlarm: monitor.alarms.retrainAlarm } : {}),
      healthAlarms,
      captureDriftMetrics: variants.map((variant) =>
        monitor.metrics.objectDriftedFeatureShare(variant, { period: Duration.minutes(1) }),
      ),
    });
  }
  return signals;
}

/**
 * Whether any endpoint of `config` has retraining or deployment enabled, which is when bin/app.ts adds the
 * lifecycle stack. A configuration that only monitors (examples/minimal.config.json) gets no lifecycle stack.
 */
export function needsLifecycleStack(config: MonitorConfig): boolean {
  return config.endpoints.some(
    (endpoint) => endpoint.retraining?.enabled === true || endpoint.deployment?.enabled === true,
  );
}

/**
 * Adds the lifecycle stack (`<stackName>-Lifecycle`) next to the monitoring stack of `monitoring`, wired to its
 * topic, retrain alarms, health alarms and capture-drift metrics by reference. This is what bin/app.ts calls.
 */
export function addLifecycleStack(
  app: App,
  monitoring: MonitoringApp,
  options: { configFile: string; env?: StackProps['env'] },
): LifecycleStack {
  const { config, monitoringStack } = monitoring;
  return new LifecycleStack(app, `${config.stackName}-Lifecycle`, {
    config,
    configFile: resolve(options.configFile),
    topic: monitoringStack.topic,
    signals: signalsOf(monitoringStack),
    description: `driftwatch retraining, deployment and audit trail of ${config.endpoints.map((e) => e.name).join(', ')}`,
    ...(options.env !== undefined ? { env: options.env } : {}),
  });
}

/**
 * Retraining and blue/green deployment for every endpoint of a monitor configuration that has them, with the
 * audit trail they share: per endpoint a model package group, an audit-append function, a
 * {@link RetrainingWorkflow} and a {@link DeploymentWorkflow}.
 */
export class LifecycleStack extends Stack {
  /** The audit trail. */
  readonly auditTrail: AuditTrailStore;
  /** The retraining workflows, by endpoint name. */
  readonly retraining: ReadonlyMap<string, RetrainingWorkflow>;
  /** The deployment workflows, by endpoint name. */
  readonly deployment: ReadonlyMap<string, DeploymentWorkflow>;

  private accessLogs?: s3.IBucket;
  private artifactsBucket?: SecureBucket;
  private readonly imports = new ImportedLocations(this);

  constructor(scope: Construct, id: string, props: LifecycleStackProps) {
    super(scope, id, props);
    const { config } = props;
    for (const [key, value] of Object.entries(config.tags)) Tags.of(this).add(key, value);
    const key = new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      description: 'driftwatch: encrypts the lifecycle dead-letter queue and buckets',
    });
    const audit = config.audit;
    if (audit.s3Uri !== undefined) {
      const location = this.imports.locationOf(audit.s3Uri);
      this.auditTrail = new AuditTrailStore(this, 'AuditTrail', {
        existingBucket: location.bucket,
        prefix: location.prefix,
      });
    } else {
      this.auditTrail = new AuditTrailStore(this, 'AuditTrail', {
        encryptionKey: key,
        serverAccessLogsBucket: this.accessLogsBucket(),
        ...(audit.objectLock !== undefined
          ? {
              objectLock: {
                mode: audit.objectLock.mode,
                retention: Duration.days(audit.objectLock.retentionDays),
              },
            }
          : {}),
      });
    }
    const deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue', key);
    new CfnOutput(this, 'AuditTrailLocation', {
      value: `s3://${this.auditTrail.bucket.bucketName}/${this.auditTrail.prefix}`,
      description: 'Audit trail of the retraining and deployment workflows (driftwatch audit <location>)',
    });

    const retraining = new Map<string, RetrainingWorkflow>();
    const deployment = new Map<string, DeploymentWorkflow>();
    for (const endpoint of config.endpoints) {
      const wantsRetraining = endpoint.retraining?.enabled === true;
      const wantsDeployment = endpoint.deployment?.enabled === true;
      if (!wantsRetraining && !wantsDeployment) continue;
      const scope = new Construct(this, endpoint.name);
      const signals = props.signals?.get(endpoint.name);
      const group = new sagemaker.CfnModelPackageGroup(scope, 'ModelPackageGroup', {
        modelPackageGroupName: endpoint.modelPackageGroupName,
        modelPackageGroupDescription: `driftwatch: models of endpoint ${endpoint.name}`,
      });
      const options = {
        endpointName: endpoint.name,
        configFile: props.configFile,
        auditTrail: this.auditTrail,
        deadLetterQueue,
      };
      const auditFunction = workflowFunction(
        scope,
        'AuditAppend',
        'audit-append.ts',
        'append to the audit trail',
        options,
      );
      this.auditTrail.grantAppend(auditFunction.role, endpoint.name);
      // What the endpoint's retraining and deployment workflows share.
      const workflowProps = {
        endpoint,
        configFile: props.configFile,
        topic: props.topic,
        auditTrail: this.auditTrail,
        auditFunction: auditFunction.function,
        modelPackageGroupName: group.modelPackageGroupName,
        artifacts: this.artifactsOf(endpoint),
        deadLetterQueue,
      };
      let modelRole: iam.IRole | undefined;
      if (wantsRetraining) {
        const workflow = new RetrainingWorkflow(scope, 'Retraining', {
          ...workflowProps,
          ...(signals?.retrainAlarm !== undefined ? { retrainAlarm: signals.retrainAlarm } : {}),
        });
        workflow.node.addDependency(group);
        retraining.set(endpoint.name, workflow);
        new CfnOutput(this, `RetrainingStateMachineArn${outputId(endpoint.name)}`, {
          value: workflow.stateMachine.stateMachineArn,
          description: `Retraining state machine of endpoint ${endpoint.name} (start by hand: {"trigger":"manual","reason":"..."})`,
        });
        modelRole = workflow.sageMakerRole;
      }
      if (wantsDeployment) {
        const baseline = this.imports.locationOf(endpoint.baseline.s3Uri);
        const workflow = new DeploymentWorkflow(scope, 'Deployment', {
          ...workflowProps,
          modelRole: modelRole ?? this.modelRole(scope, endpoint),
          rollbackAlarms: [
            ...(signals?.healthAlarms ?? []),
            ...this.captureDriftAlarms(scope, endpoint, signals),
          ],
          baseline,
        });
        workflow.node.addDependency(group);
        deployment.set(endpoint.name, workflow);
        new CfnOutput(this, `DeploymentStateMachineArn${outputId(endpoint.name)}`, {
          value: workflow.stateMachine.stateMachineArn,
          description: `Deployment state machine of endpoint ${endpoint.name} (roll back: {"modelPackageArn":"...","reason":"..."})`,
        });
      }
    }
    this.retraining = retraining;
    this.deployment = deployment;
  }

  /** Alarms on drift of each capture object during a deployment (1-minute period, the drift-share threshold). */
  private captureDriftAlarms(
    scope: Construct,
    endpoint: EndpointConfig,
    signals?: EndpointSignals,
  ): cloudwatch.Alarm[] {
    const share = endpoint.alarms.driftedFeatureShare;
    if (signals === undefined || !share.enabled) return [];
    return signals.captureDriftMetrics.map(
      (metric, index) =>
        new cloudwatch.Alarm(scope, `CaptureDriftAlarm${index}`, {
          metric,
          threshold: share.threshold,
          evaluationPeriods: 2,
          datapointsToAlarm: 2,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          alarmDescription:
            `driftwatch ${endpoint.name}: drift in capture objects during a deployment (auto-rollback alarm; ` +
            'captures of both fleets while traffic shifts)',
        }),
    );
  }

  /** A role for models of packages when no retraining role exists: pulls this account's ECR images, writes logs. */
  private modelRole(scope: Construct, endpoint: EndpointConfig): iam.Role {
    const role = new iam.Role(scope, 'ModelRole', {
      assumedBy: sameAccountServicePrincipal(scope, 'sagemaker.amazonaws.com'),
      description: `Runs the models deployed to ${endpoint.name}`,
    });
    grant(
      role,
      ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
      [this.formatArn({ service: 'ecr', resource: 'repository', resourceName: '*' })],
      'Packages registered outside driftwatch may use any repository of this account.',
    );
    grant(
      role,
      ['ecr:GetAuthorizationToken'],
      ['*'],
      'ecr:GetAuthorizationToken supports no resource-level permissions.',
    );
    const reports = this.artifactsOf(endpoint);
    grantListAndRead(role, reports, '', 'Reads model artifacts kept with the retraining artifacts.');
    return role;
  }

  private artifactsOf(endpoint: EndpointConfig): S3Location {
    const uri = endpoint.retraining?.evaluation.outputS3Uri ?? endpoint.reports.s3Uri;
    if (uri !== undefined) {
      const location = this.imports.locationOf(uri);
      return endpoint.retraining?.evaluation.outputS3Uri !== undefined
        ? location
        : { ...location, prefix: joinKey(location.prefix, 'retraining', endpoint.name) };
    }
    this.artifactsBucket ??= new SecureBucket(this, 'Artifacts', {
      serverAccessLogsBucket: this.accessLogsBucket(),
    });
    return {
      bucket: this.artifactsBucket.bucket,
      prefix: joinKey('retraining', endpoint.name),
      encryptionKey: this.artifactsBucket.encryptionKey,
    };
  }

  private accessLogsBucket(): s3.IBucket {
    this.accessLogs ??= createAccessLogsBucket(this, 'AccessLogs');
    return this.accessLogs;
  }
}
