import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import {
  createDynamoDbClient,
  createS3Client,
  createSecretsClient,
  createSqsClient,
} from '../adapters/aws-clients.js';
import { DynamoDbCaseRegister } from '../adapters/dynamodb-case-register.js';
import { replySaltProvider } from '../adapters/reply-salt.js';
import { S3MailStore } from '../adapters/s3-mail-store.js';
import { SqsPublisher } from '../adapters/sqs-publisher.js';
import { readSesNotification, SetupNotification } from '../core/ses-notification.js';
import { TOPICS } from '../core/types.js';
import {
  ALWAYS,
  checkedReplySalt,
  ENV,
  jobFunctionVariables,
  jsonVariable,
  optionalVariable,
  rawPrefixVariable,
  readEnvironment,
  replySaltVariables,
  requiredVariable,
  requireReplySalt,
} from '../runtime/environment.js';
import { createObservability, SERVICE_NAMES } from '../runtime/observability.js';
import { createSqsJobHandler } from '../runtime/sqs-job-handler.js';
import { routeArrival } from './intake.js';

/** Intake's environment: where mail is stored, where it is routed, and the case register if any. */
export const intakeEnvironment = z
  .object({
    ...jobFunctionVariables,
    [ENV.rawBucket]: requiredVariable(),
    [ENV.rawPrefix]: rawPrefixVariable,
    // A queue URL for every topic, and no other key.
    [ENV.topicQueues]: jsonVariable().pipe(
      z.record(
        z.enum(TOPICS),
        z.url({ error: (issue) => (issue.input === undefined ? 'no queue URL' : 'not a URL') }),
      ),
    ),
    [ENV.repliesQueue]: requiredVariable(),
    [ENV.forwardsQueue]: requiredVariable(),
    [ENV.tagRawMail]: z.enum(['true', 'false'], { error: 'expected true or false' }).default('false'),
    // Optional: without a case table (a replay tool's intake, say) no cases are kept.
    [ENV.casesTable]: optionalVariable(),
    ...replySaltVariables,
  })
  // With a case table, senders of cases are hashed with the reply log's salt.
  .superRefine((env, ctx) => {
    if (env[ENV.casesTable]) requireReplySalt(env, ctx);
  }, ALWAYS)
  .transform((env) => {
    const casesTable = env[ENV.casesTable];
    return {
      config: env[ENV.config],
      rawMail: { bucket: env[ENV.rawBucket], prefix: env[ENV.rawPrefix] },
      topicQueues: env[ENV.topicQueues],
      repliesQueueUrl: env[ENV.repliesQueue],
      forwardsQueueUrl: env[ENV.forwardsQueue],
      idempotencyTable: env[ENV.idempotencyTable],
      tagRawMail: env[ENV.tagRawMail] === 'true',
      cases: casesTable ? { table: casesTable, salt: checkedReplySalt(env) } : undefined,
    };
  });

export interface IntakeClients {
  s3: S3Client;
  sqs: SQSClient;
  dynamodb: DynamoDBClient;
  /** For the salt of case sender hashes when it is a secret (deployed); created when needed. */
  secrets?: SecretsManagerClient;
}

/**
 * The intake Lambda handler, assembled from its environment and real AWS clients: one SES
 * notification per message, routed once per SES message id.
 */
export function intakeHandlerFrom(
  env: Record<string, string | undefined>,
  clients: IntakeClients = { s3: createS3Client(), sqs: createSqsClient(), dynamodb: createDynamoDbClient() },
  now: () => Date = () => new Date(),
) {
  const settings = readEnvironment(env, intakeEnvironment);
  const { logger, metrics } = createObservability(SERVICE_NAMES.intake);
  const { cases } = settings;
  const deps = {
    config: settings.config,
    topicQueues: settings.topicQueues,
    repliesQueueUrl: settings.repliesQueueUrl,
    forwardsQueueUrl: settings.forwardsQueueUrl,
    mailStore: new S3MailStore(clients.s3, settings.rawMail),
    tagRawMail: settings.tagRawMail,
    queues: new SqsPublisher(clients.sqs),
    ...(cases
      ? {
          cases: {
            register: new DynamoDbCaseRegister(clients.dynamodb, cases.table),
            salt: replySaltProvider(
              cases.salt,
              'secretArn' in cases.salt ? (clients.secrets ?? createSecretsClient()) : undefined,
            ),
          },
        }
      : {}),
    logger,
    metrics,
    now,
  };
  return createSqsJobHandler({
    kind: 'intake message',
    read(body) {
      try {
        return readSesNotification(body);
      } catch (error) {
        // SES's test message when a rule is saved: acknowledged, nothing to triage.
        if (error instanceof SetupNotification) return null;
        throw error;
      }
    },
    // A replay is a deliberate second run, so it gets an idempotency key of its own.
    idempotencyKey: (arrival) =>
      arrival.replayId ? `${arrival.sesMessageId}#replay:${arrival.replayId}` : arrival.sesMessageId,
    run: (arrival) => routeArrival(arrival, deps),
    sesMessageId: (arrival) => arrival.sesMessageId,
    logger,
    metrics,
    idempotency: { table: settings.idempotencyTable, dynamodb: clients.dynamodb },
  });
}
