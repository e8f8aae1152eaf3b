// What a mocked S3Client (aws-sdk-client-mock) answers with, as the SDK would produce it.
import { Readable } from 'node:stream';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/core/serde';

/** A GetObject body (the SDK's stream mix-in) that yields `chunks` in order. */
export function s3Body(...chunks: (string | Uint8Array)[]) {
  return sdkStreamMixin(Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))));
}

/** The error the SDK raises for S3 error code `name` with HTTP `status` (a server fault from 500 up). */
export function s3Error(name: string, status: number, message = name): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message,
  });
}
