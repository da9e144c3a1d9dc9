import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createDynamoDbClient, createS3Client, createSqsClient } from '../adapters/aws-clients.js';
import { S3MailStore } from '../adapters/s3-mail-store.js';
import { SqsPublisher } from '../adapters/sqs-publisher.js';
import { loadRuntimeEnvironment } from '../runtime/environment.js';
import { idempotencyStore } from '../runtime/idempotency-store.js';
import { createObservability, SERVICE_NAMES } from '../runtime/observability.js';
import { createIntakeHandler } from './create-handler.js';

export interface IntakeClients {
  s3: S3Client;
  sqs: SQSClient;
  dynamodb: DynamoDBClient;
}

/** The intake handler assembled from its environment and real AWS clients. */
export function intakeHandlerFrom(
  env: Record<string, string | undefined>,
  clients: IntakeClients = { s3: createS3Client(), sqs: createSqsClient(), dynamodb: createDynamoDbClient() },
  now: () => Date = () => new Date(),
) {
  const runtime = loadRuntimeEnvironment(env, [
    'rawBucket',
    'topicQueues',
    'repliesQueueUrl',
    'forwardsQueueUrl',
    'idempotencyTable',
  ]);
  const { logger, metrics } = createObservability(SERVICE_NAMES.intake);
  return createIntakeHandler(
    {
      config: runtime.config,
      rawBucket: runtime.rawBucket,
      rawPrefix: runtime.rawPrefix,
      topicQueues: runtime.topicQueues,
      repliesQueueUrl: runtime.repliesQueueUrl,
      forwardsQueueUrl: runtime.forwardsQueueUrl,
      mailStore: new S3MailStore(clients.s3),
      tagRawMail: runtime.tagRawMail,
      queues: new SqsPublisher(clients.sqs),
      logger,
      metrics,
      now,
    },
    idempotencyStore(runtime.idempotencyTable, clients.dynamodb),
  );
}
