import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A KMS-encrypted, TLS-only SQS queue that keeps failed events for 14 days. Its key lets EventBridge deliver
 * (rule targets' dead-letter queues); Lambda delivers with the function's role.
 * @param encryptionKey the queue's key; default: a new KMS key with yearly rotation.
 */
export function createDeadLetterQueue(scope: Construct, id: string, encryptionKey?: kms.IKey): sqs.Queue {
  const key =
    encryptionKey ??
    new kms.Key(scope, `${id}Key`, { enableKeyRotation: true, description: 'Encrypts a dead-letter queue' });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowEventBridgeDeadLetters',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      // In a key policy "*" is this key.
      resources: ['*'],
    }),
  );
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: key,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  return queue;
}
