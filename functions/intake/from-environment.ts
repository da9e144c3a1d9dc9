import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSClient } from '@aws-sdk/client-sqs';
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
import { ENV, loadRuntimeEnvironment } from '../runtime/environment.js';
import { idempotencyStore } from '../runtime/idempotency-store.js';
import { createObservability, SERVICE_NAMES } from '../runtime/observability.js';
import { createIntakeHandler } from './create-handler.js';

export interface IntakeClients {
  s3: S3Client;
  sqs: SQSClient;
  dynamodb: DynamoDBClient;
  /** For the salt of case sender hashes when it is a secret (deployed); created when needed. */
  secrets?: SecretsManagerClient;
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
    // With a case table, senders of cases are hashed with the reply log's salt.
    ...(env[ENV.casesTable] ? (['replySalt'] as const) : []),
  ]);
  const { logger, metrics } = createObservability(SERVICE_NAMES.intake);
  return createIntakeHandler(
    {
      config: runtime.config,
      topicQueues: runtime.topicQueues,
      repliesQueueUrl: runtime.repliesQueueUrl,
      forwardsQueueUrl: runtime.forwardsQueueUrl,
      mailStore: new S3MailStore(clients.s3, { bucket: runtime.rawBucket, prefix: runtime.rawPrefix }),
      tagRawMail: runtime.tagRawMail,
      queues: new SqsPublisher(clients.sqs),
      ...(runtime.casesTable
        ? {
            cases: {
              register: new DynamoDbCaseRegister(clients.dynamodb, runtime.casesTable),
              salt: replySaltProvider(
                runtime.replySalt,
                'secretArn' in runtime.replySalt ? (clients.secrets ?? createSecretsClient()) : undefined,
              ),
            },
          }
        : {}),
      logger,
      metrics,
      now,
    },
    idempotencyStore(runtime.idempotencyTable, clients.dynamodb),
  );
}
