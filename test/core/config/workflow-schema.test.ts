import { describe, expect, it } from 'vitest';
import { TrainingConfigSchema } from '../../../functions/core/config/workflow-schema.js';

const base = {
  channels: [{ name: 'train', s3Uri: 's3://data/train/' }],
  outputS3Uri: 's3://data/models/',
};
const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';

describe('TrainingConfigSchema', () => {
  it('computes a training section with an image and no inference image (the training image serves)', () => {
    const parsed = TrainingConfigSchema.parse({ ...base, image: IMAGE });
    expect(parsed.inferenceImage).toBeUndefined();
    expect(parsed.image).toBe(IMAGE);
  });

  it('computes a training section with an algorithm and its inference image', () => {
    const parsed = TrainingConfigSchema.parse({ ...base, algorithmName: 'my-algo', inferenceImage: IMAGE });
    expect(parsed.inferenceImage).toBe(IMAGE);
  });

  it('throws when the inference image is not an ECR URI', () => {
    const result = TrainingConfigSchema.safeParse({
      ...base,
      image: IMAGE,
      inferenceImage: 'xgboost:latest',
    });
    expect(result.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [['inferenceImage'], expect.stringContaining('expected an ECR image URI')],
    ]);
  });
});
