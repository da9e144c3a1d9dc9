import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SESClient } from '@aws-sdk/client-ses';
import * as z from 'zod';
import { createDynamoDbClient, createS3Client, createSesClient } from '../adapters/aws-clients.js';
import { S3MailStore } from '../adapters/s3-mail-store.js';
import { SesRawMailSender } from '../adapters/ses-sender.js';
import { readForwardJob } from '../core/queue-messages.js';
import {
  DEFAULT_MAX_FORWARD_BYTES,
  ENV,
  jobFunctionVariables,
  rawPrefixVariable,
  readEnvironment,
  requiredVariable,
} from '../runtime/environment.js';
import { createObservability, SERVICE_NAMES } from '../runtime/observability.js';
import { createSqsJobHandler } from '../runtime/sqs-job-handler.js';
import { forwardToOwners } from './deliver.js';

/** Deliver's environment: where the originals are stored, and how large an original it attaches. */
export const deliverEnvironment = z
  .object({
    ...jobFunctionVariables,
    [ENV.rawBucket]: requiredVariable(),
    [ENV.rawPrefix]: rawPrefixVariable,
    [ENV.maxForwardBytes]: z
      .string()
      .regex(/^\d+$/, 'not a whole number of bytes')
      .default(String(DEFAULT_MAX_FORWARD_BYTES))
      .transform(Number),
  })
  .transform((env) => ({
    config: env[ENV.config],
    rawMail: { bucket: env[ENV.rawBucket], prefix: env[ENV.rawPrefix] },
    idempotencyTable: env[ENV.idempotencyTable],
    maxForwardBytes: env[ENV.maxForwardBytes],
  }));

export interface DeliverClients {
  s3: S3Client;
  ses: SESClient;
  dynamodb: DynamoDBClient;
}

/**
 * The deliver Lambda handler, assembled from its environment and real AWS clients: one
 * forward per SES message id and topic.
 */
export function deliverHandlerFrom(
  env: Record<string, string | undefined>,
  clients: DeliverClients = {
    s3: createS3Client(),
    ses: createSesClient(),
    dynamodb: createDynamoDbClient(),
  },
  now: () => Date = () => new Date(),
) {
  const settings = readEnvironment(env, deliverEnvironment);
  const { logger, metrics } = createObservability(SERVICE_NAMES.deliver);
  const deps = {
    config: settings.config,
    maxForwardBytes: settings.maxForwardBytes,
    mailStore: new S3MailStore(clients.s3, settings.rawMail),
    sender: new SesRawMailSender(clients.ses),
    logger,
    metrics,
    now,
  };
  return createSqsJobHandler({
    kind: 'forward job',
    read: readForwardJob,
    idempotencyKey: (record) => `forward#${record.sesMessageId}#${record.topic}`,
    run: (record) => forwardToOwners(record, deps),
    sesMessageId: (record) => record.sesMessageId,
    logger,
    metrics,
    idempotency: { table: settings.idempotencyTable, dynamodb: clients.dynamodb },
  });
}
