// STAND-IN FOR SAGEMAKER. The demo has no AWS account, so the SageMaker tasks of the synthesized state machines
// (training job, models, batch transform, model registry, endpoint updates) are answered here. They do real work
// on the local S3 server: training fits the demo's logistic regression on the training channel's CSV, batch
// transform scores the holdout with the named model. Everything else in the workflows is driftwatch's own code.
import { randomUUID } from 'node:crypto';
import { parseS3Uri } from '../../functions/core/config/s3-uri.js';
import type {
  EndpointConfigDescription,
  ModelCatalog,
  ModelDescription,
  ModelPackageDescription,
} from '../../functions/ports/model-catalog.js';
import type { ObjectStore } from '../../functions/ports/object-store.js';
import { joinKey } from '../../functions/shared/s3-layout.js';
import type { TaskHandler } from '../local/state-machine.js';
import { fitLogistic, type LogisticModel, predictProbability } from './model.js';

const REGION = 'us-east-1';
const ACCOUNT = '111111111111';

async function readText(store: ObjectStore, uri: string): Promise<string> {
  const { bucket, key } = parseS3Uri(uri);
  const body = await store.getStream({ bucket, key: joinKey(key) });
  const chunks: Buffer[] = [];
  for await (const chunk of body.body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

/** Every CSV row under an s3:// prefix (headerless, as SageMaker's built-in algorithms read them). */
async function csvRowsUnder(store: ObjectStore, prefix: string): Promise<number[][]> {
  const { bucket, key } = parseS3Uri(prefix);
  const rows: number[][] = [];
  for await (const object of store.list(bucket, joinKey(key))) {
    const text = await readText(store, `s3://${bucket}/${object.key}`);
    for (const line of text.split('\n')) if (line.trim() !== '') rows.push(line.split(',').map(Number));
  }
  return rows;
}

/** The simulated SageMaker account: the endpoint, its models and packages, and the task handlers. */
export class SageMakerStandIn {
  readonly models = new Map<string, ModelDescription>();
  readonly configs = new Map<string, EndpointConfigDescription>();
  readonly packages = new Map<string, ModelPackageDescription>();
  endpointConfigName: string;
  /** The model serving traffic (what the simulated endpoint predicts with). */
  serving: LogisticModel;
  private versions = 0;
  private pendingConfig: string | undefined;

  constructor(
    private readonly store: ObjectStore,
    private readonly putText: (bucket: string, key: string, text: string) => Promise<void>,
    readonly endpointName: string,
    readonly groupName: string,
    champion: { model: LogisticModel; artifactUri: string; image: string; captureUri: string },
  ) {
    this.serving = champion.model;
    const packageArn = this.registerPackage('Approved');
    this.models.set(`${endpointName}-model-1`, {
      modelName: `${endpointName}-model-1`,
      image: champion.image,
      modelDataUrl: champion.artifactUri,
      modelPackageName: packageArn,
    });
    this.endpointConfigName = `${endpointName}-config-1`;
    this.configs.set(this.endpointConfigName, {
      endpointConfigName: this.endpointConfigName,
      productionVariants: [
        {
          VariantName: 'AllTraffic',
          ModelName: `${endpointName}-model-1`,
          InstanceType: 'ml.m5.large',
          InitialInstanceCount: 1,
          InitialVariantWeight: 1,
        },
      ],
      dataCaptureConfig: {
        EnableCapture: true,
        InitialSamplingPercentage: 100,
        DestinationS3Uri: champion.captureUri,
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
      },
    });
  }

  private registerPackage(
    status: string,
    baseline?: { statisticsS3Uri: string; constraintsS3Uri: string },
  ): string {
    this.versions += 1;
    const arn = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:model-package/${this.groupName}/${this.versions}`;
    this.packages.set(arn, {
      modelPackageArn: arn,
      groupName: this.groupName,
      approvalStatus: status,
      ...(baseline ? { dataQualityBaseline: baseline } : {}),
    });
    return arn;
  }

  readonly catalog: ModelCatalog = {
    describeEndpoint: async (name) => ({
      endpointName: name,
      endpointConfigName: this.endpointConfigName,
      status: 'InService',
    }),
    describeEndpointConfig: async (name) => {
      const config = this.configs.get(name);
      if (config === undefined) throw new Error(`no endpoint config ${name}`);
      return structuredClone(config);
    },
    describeModel: async (name) => this.models.get(name) ?? { modelName: name },
    describeModelPackage: async (arn) => {
      const pkg = this.packages.get(arn);
      if (pkg === undefined) throw new Error(`no model package ${arn}`);
      return pkg;
    },
  };

  private async loadModel(modelName: string): Promise<LogisticModel> {
    const url = this.models.get(modelName)?.modelDataUrl;
    if (url === undefined) throw new Error(`no model ${modelName}`);
    return JSON.parse(await readText(this.store, url)) as LogisticModel;
  }

  /** SageMaker's tasks in the retraining state machine. */
  retrainingTasks(features: readonly string[], trained: (model: LogisticModel, rows: number) => void) {
    const transform = async (input: unknown) => {
      const job = input as {
        TransformJobName: string;
        ModelName: string;
        TransformInput: { DataSource: { S3DataSource: { S3Uri: string } } };
        TransformOutput: { S3OutputPath: string };
      };
      const model = await this.loadModel(job.ModelName);
      const rows = await csvRowsUnder(this.store, job.TransformInput.DataSource.S3DataSource.S3Uri);
      // DataProcessing: InputFilter $[1:] (the label is left out of the request), JoinSource Input (the whole
      // input row, label included, comes back with the prediction appended).
      const out = rows.map((row) => `${row.join(',')},${predictProbability(model, row.slice(1)).toFixed(6)}`);
      const { bucket, key } = parseS3Uri(job.TransformOutput.S3OutputPath);
      await this.putText(bucket, joinKey(key, 'holdout.csv.out'), `${out.join('\n')}\n`);
      return { TransformJobName: job.TransformJobName, TransformJobStatus: 'Completed' };
    };
    const handlers: Record<string, TaskHandler> = {
      Train: async (input) => {
        const job = input as {
          TrainingJobName: string;
          InputDataConfig: { ChannelName: string; DataSource: { S3DataSource: { S3Uri: string } } }[];
          OutputDataConfig: { S3OutputPath: string };
          HyperParameters?: Record<string, string>;
        };
        const channel = job.InputDataConfig.find((c) => c.ChannelName === 'train') ?? job.InputDataConfig[0];
        if (channel === undefined) throw new Error('training job without input channels');
        const rows = await csvRowsUnder(this.store, channel.DataSource.S3DataSource.S3Uri);
        const model = fitLogistic(
          features,
          rows.map((r) => r.slice(1)),
          rows.map((r) => r[0] as number),
          {
            epochs: Number(job.HyperParameters?.epochs ?? 300),
            l2: Number(job.HyperParameters?.l2 ?? 0.001),
          },
        );
        trained(model, rows.length);
        const artifact = `${job.OutputDataConfig.S3OutputPath.replace(/\/?$/, '/')}${job.TrainingJobName}/output/model.tar.gz`;
        const { bucket, key } = parseS3Uri(artifact);
        // The artifact is the model's JSON (a real job writes a tarball; nothing here needs one).
        await this.store.putJson({ bucket, key }, model);
        return {
          TrainingJobName: job.TrainingJobName,
          TrainingJobArn: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:training-job/${job.TrainingJobName}`,
          TrainingJobStatus: 'Completed',
          ModelArtifacts: { S3ModelArtifacts: artifact },
        };
      },
      'Create candidate model': (input) => {
        const model = input as {
          ModelName: string;
          PrimaryContainer: { Image: string; ModelDataUrl: string };
        };
        this.models.set(model.ModelName, {
          modelName: model.ModelName,
          image: model.PrimaryContainer.Image,
          modelDataUrl: model.PrimaryContainer.ModelDataUrl,
        });
        return { ModelArn: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:model/${model.ModelName}` };
      },
      'Score champion': transform,
      'Score challenger': transform,
      'Register model package': (input) => {
        const request = input as {
          ModelApprovalStatus?: string;
          InferenceSpecification?: { Containers?: { ModelDataUrl?: string }[] };
          DriftCheckBaselines?: {
            ModelDataQuality?: { Statistics?: { S3Uri: string }; Constraints?: { S3Uri: string } };
          };
          ModelMetrics?: {
            ModelDataQuality?: { Statistics?: { S3Uri: string }; Constraints?: { S3Uri: string } };
          };
        };
        const quality =
          request.DriftCheckBaselines?.ModelDataQuality ?? request.ModelMetrics?.ModelDataQuality;
        const arn = this.registerPackage(
          request.ModelApprovalStatus ?? 'PendingManualApproval',
          quality?.Statistics && quality.Constraints
            ? { statisticsS3Uri: quality.Statistics.S3Uri, constraintsS3Uri: quality.Constraints.S3Uri }
            : undefined,
        );
        const pkg = this.packages.get(arn);
        const url = request.InferenceSpecification?.Containers?.[0]?.ModelDataUrl;
        if (pkg && url) this.packageArtifacts.set(arn, url);
        return { ModelPackageArn: arn };
      },
    };
    for (const name of [
      'Notify registration',
      'Notify rejection',
      'Notify inconclusive gate',
      'Notify training failure',
      'Notify retraining failure',
    ]) {
      handlers[name] = () => ({ MessageId: randomUUID() });
    }
    return handlers;
  }

  /** Model artifacts of registered packages. */
  readonly packageArtifacts = new Map<string, string>();

  /**
   * SageMaker's tasks in the deployment state machine, with a simulated canary: UpdateEndpoint shifts
   * `canaryPercent` of traffic to the new variant, the bake is judged by `canaryHealthy` (the demo checks the
   * rollback alarms), then the rest shifts or the endpoint rolls back.
   */
  deploymentTasks(canary: { percent: number; healthy: () => Promise<boolean>; log: (line: string) => void }) {
    let describes = 0;
    let rolledBack = false;
    const handlers: Record<string, TaskHandler> = {
      'Create model': (input) => {
        const model = input as {
          ModelName: string;
          PrimaryContainer?: { Image?: string; ModelDataUrl?: string; ModelPackageName?: string };
          Containers?: { Image?: string; ModelDataUrl?: string; ModelPackageName?: string }[];
        };
        const container = model.PrimaryContainer ?? model.Containers?.[0] ?? {};
        const packageName = container.ModelPackageName;
        this.models.set(model.ModelName, {
          modelName: model.ModelName,
          ...(container.Image ? { image: container.Image } : {}),
          modelDataUrl:
            container.ModelDataUrl ??
            (packageName ? this.packageArtifacts.get(packageName) : undefined) ??
            '',
          ...(packageName ? { modelPackageName: packageName } : {}),
        });
        return { ModelArn: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:model/${model.ModelName}` };
      },
      'Create endpoint config': (input) => {
        const config = input as {
          EndpointConfigName: string;
          ProductionVariants: EndpointConfigDescription['productionVariants'];
          DataCaptureConfig?: EndpointConfigDescription['dataCaptureConfig'];
        };
        this.configs.set(config.EndpointConfigName, {
          endpointConfigName: config.EndpointConfigName,
          productionVariants: config.ProductionVariants,
          ...(config.DataCaptureConfig ? { dataCaptureConfig: config.DataCaptureConfig } : {}),
        });
        return {
          EndpointConfigArn: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint-config/${config.EndpointConfigName}`,
        };
      },
      'Update endpoint': (input) => {
        this.pendingConfig = (input as { EndpointConfigName: string }).EndpointConfigName;
        canary.log(`canary: ${canary.percent}% of traffic on ${this.pendingConfig}, baking`);
        return { EndpointArn: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/${this.endpointName}` };
      },
      'Describe endpoint': async () => {
        describes += 1;
        if (describes === 1 || this.pendingConfig === undefined) {
          return { EndpointStatus: 'Updating', EndpointConfigName: this.endpointConfigName };
        }
        if (!(await canary.healthy())) {
          rolledBack = true;
          canary.log('canary: a rollback alarm fired during the bake, traffic returned to the old variant');
          this.pendingConfig = undefined;
          return { EndpointStatus: 'InService', EndpointConfigName: this.endpointConfigName };
        }
        this.endpointConfigName = this.pendingConfig;
        this.pendingConfig = undefined;
        const modelName = this.configs.get(this.endpointConfigName)?.productionVariants[0]?.ModelName;
        if (typeof modelName === 'string') this.serving = await this.loadModel(modelName);
        canary.log('canary: rollback alarms quiet through the bake, all traffic shifted');
        return { EndpointStatus: 'InService', EndpointConfigName: this.endpointConfigName };
      },
    };
    for (const name of [
      'Notify success',
      'Notify rollback',
      'Notify failure',
      'Notify timeout',
      'Notify update failure',
      'Notify plan failure',
    ]) {
      handlers[name] = () => ({ MessageId: randomUUID() });
    }
    return { handlers, rolledBack: () => rolledBack };
  }
}
