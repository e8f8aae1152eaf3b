import { z } from 'zod';
import { matching, numberIn, oneOf, optionalWith, s3Uri, withDefault } from './fields.js';

// Account-wide sections: where notifications go and where the audit log is kept.

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/** Where SNS notifications go. */
export const NotificationsConfigSchema = z.strictObject({
  emails: withDefault(
    z.array(z.email({ error: 'expected an email address' })),
    [],
    'Email addresses subscribed to the notification topic.',
  ),
  httpsEndpoints: withDefault(
    z.array(z.url({ protocol: /^https$/, error: 'expected an https:// URL' })),
    [],
    'HTTPS endpoints (chat webhooks, incident tools) subscribed to the topic.',
  ),
  existingTopicArn: optionalWith(
    matching(TOPIC_ARN, 'an SNS topic ARN'),
    'Publish to this existing topic instead of creating one.',
    'a topic created by the stack',
  ),
});
/** The `notifications` section. */
export type NotificationsConfig = z.output<typeof NotificationsConfigSchema>;

/** The immutable audit log. */
export const AuditConfigSchema = z
  .strictObject({
    s3Uri: optionalWith(
      s3Uri(),
      'Prefix of an existing location for audit records.',
      'a bucket created by the stack',
    ),
    objectLock: optionalWith(
      z.strictObject({
        mode: withDefault(
          oneOf(['GOVERNANCE', 'COMPLIANCE']),
          'GOVERNANCE',
          'S3 Object Lock mode; COMPLIANCE cannot be shortened or removed by anyone.',
        ),
        retentionDays: numberIn({ int: true, min: 1, max: 36_500 }).describe(
          'Default retention of each record.',
        ),
      }),
      'Object Lock on the bucket the stack creates.',
      'no Object Lock',
    ),
  })
  .superRefine((audit, ctx) => {
    if (audit.s3Uri !== undefined && audit.objectLock !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['objectLock'],
        message:
          'expected no objectLock together with s3Uri: Object Lock is set on the bucket the stack creates; configure ' +
          'your own bucket yourself, or remove s3Uri',
        input: audit.objectLock,
      });
    }
  });
/** The `audit` section. */
export type AuditConfig = z.output<typeof AuditConfigSchema>;
