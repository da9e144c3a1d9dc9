import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SESClient } from '@aws-sdk/client-ses';
import type { SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import {
  createDynamoDbClient,
  createSecretsClient,
  createSesClient,
  createSqsClient,
} from '../adapters/aws-clients.js';
import { DynamoDbReplyLog } from '../adapters/dynamodb-reply-log.js';
import { replySaltProvider } from '../adapters/reply-salt.js';
import { SesRawMailSender } from '../adapters/ses-sender.js';
import { SqsReplyQueue } from '../adapters/sqs-reply-queue.js';
import { readReplyJob } from '../core/queue-messages.js';
import {
  ALWAYS,
  checkedReplySalt,
  ENV,
  jobFunctionVariables,
  readEnvironment,
  replySaltVariables,
  requiredVariable,
  requireReplySalt,
} from '../runtime/environment.js';
import { createObservability, SERVICE_NAMES } from '../runtime/observability.js';
import { createSqsJobHandler } from '../runtime/sqs-job-handler.js';
import { sendReply } from './auto-reply.js';

/** Auto-reply's environment: the reply log and its salt, and the replies queue it defers to. */
export const autoReplyEnvironment = z
  .object({
    ...jobFunctionVariables,
    [ENV.replyLogTable]: requiredVariable(),
    [ENV.repliesQueue]: requiredVariable(),
    ...replySaltVariables,
  })
  .superRefine(requireReplySalt, ALWAYS)
  .transform((env) => ({
    config: env[ENV.config],
    replyLogTable: env[ENV.replyLogTable],
    idempotencyTable: env[ENV.idempotencyTable],
    repliesQueueUrl: env[ENV.repliesQueue],
    replySalt: checkedReplySalt(env),
  }));

export interface AutoReplyClients {
  ses: SESClient;
  dynamodb: DynamoDBClient;
  /** For putting a reply the caps hold back on its own queue again; created here when not given. */
  sqs?: SQSClient;
  /** Needed only when the salt is a secret (REPLY_SALT_SECRET_ARN), as it is deployed. */
  secrets?: SecretsManagerClient;
}

/**
 * The auto-reply Lambda handler, assembled from its environment and real AWS clients.
 * Idempotency per SES message id makes a duplicated job a no-op even while the first copy
 * is still sending; the reply log does the rest.
 */
export function autoReplyHandlerFrom(
  env: Record<string, string | undefined>,
  clients: AutoReplyClients = {
    ses: createSesClient(),
    dynamodb: createDynamoDbClient(),
    sqs: createSqsClient(),
    secrets: createSecretsClient(),
  },
  now: () => Date = () => new Date(),
) {
  const settings = readEnvironment(env, autoReplyEnvironment);
  const { logger, metrics } = createObservability(SERVICE_NAMES.autoReply);
  const deps = {
    config: settings.config,
    replyLog: new DynamoDbReplyLog(clients.dynamodb, settings.replyLogTable),
    replyQueue: new SqsReplyQueue(clients.sqs ?? createSqsClient(), settings.repliesQueueUrl),
    sender: new SesRawMailSender(clients.ses),
    salt: replySaltProvider(settings.replySalt, clients.secrets),
    logger,
    metrics,
    now,
  };
  return createSqsJobHandler({
    kind: 'reply job',
    read: readReplyJob,
    // Each try of a deferred reply is a job of its own: the first try's stored outcome
    // ("deferred") must not answer for the retry it queued.
    idempotencyKey: (job) =>
      job.retry ? `reply#${job.sesMessageId}#try${job.retry.attempt}` : `reply#${job.sesMessageId}`,
    run: (job) => sendReply(job, deps),
    sesMessageId: (job) => job.sesMessageId,
    logger,
    metrics,
    idempotency: { table: settings.idempotencyTable, dynamodb: clients.dynamodb },
  });
}
